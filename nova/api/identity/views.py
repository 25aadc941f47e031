"""How identity resources look in responses: Keystone v3's shapes, with their links."""

from nova.identity import catalog as catalog_mod
from nova.identity import tokens


def url(req, *parts):
    """An absolute URL below this API's /v3."""
    return '/'.join([req.application_url.rstrip('/'), 'v3'] + [str(p) for p in parts])


def collection(req, name, items):
    return {name: items,
            'links': {'self': req.path_url + ('?' + req.query_string
                                              if req.query_string else ''),
                      'previous': None, 'next': None}}


def _with_extra(body, record):
    # Extra attributes never shadow the known ones.
    for key, value in (record.get('extra') or {}).items():
        body.setdefault(key, value)
    return body


def domain(req, record):
    return _with_extra({'id': record['id'], 'name': record['name'],
                        'description': record['description'] or '',
                        'enabled': record['enabled'], 'tags': [], 'options': {},
                        'links': {'self': url(req, 'domains', record['id'])}}, record)


def project(req, record):
    return _with_extra({'id': record['id'], 'name': record['name'],
                        'domain_id': record['domain_id'],
                        'description': record['description'] or '',
                        'enabled': record['enabled'], 'parent_id': record['domain_id'],
                        'is_domain': False, 'tags': [], 'options': {},
                        'links': {'self': url(req, 'projects', record['id'])}}, record)


def user(req, record):
    body = {'id': record['id'], 'name': record['name'], 'domain_id': record['domain_id'],
            'enabled': record['enabled'], 'password_expires_at': None, 'options': {},
            'links': {'self': url(req, 'users', record['id'])}}
    if record['default_project_id']:
        body['default_project_id'] = record['default_project_id']
    return _with_extra(body, record)


def role(req, record):
    return {'id': record['id'], 'name': record['name'], 'domain_id': None,
            'description': record['description'], 'options': {},
            'links': {'self': url(req, 'roles', record['id'])}}


def service(req, record):
    return {'id': record['id'], 'type': record['type'], 'name': record['name'],
            'description': record['description'], 'enabled': record['enabled'],
            'links': {'self': url(req, 'services', record['id'])}}


def endpoint(req, record):
    return {'id': record['id'], 'interface': record['interface'],
            'region': record['region_id'], 'region_id': record['region_id'],
            'url': record['url'], 'service_id': record['service_id'],
            'enabled': record['enabled'],
            'links': {'self': url(req, 'endpoints', record['id'])}}


def role_assignment(req, assignment, names=None):
    """An assignment of GET /v3/role_assignments; ``names`` adds names (include_names)."""
    names = names or {}
    scope_kind = 'project' if assignment['type'] == 'UserProject' else 'domain'
    target = {'id': assignment['target_id']}
    body = {'role': {'id': assignment['role_id']}, 'user': {'id': assignment['user_id']},
            'scope': {scope_kind: target},
            'links': {'assignment': url(req, scope_kind + 's', assignment['target_id'],
                                        'users', assignment['user_id'], 'roles',
                                        assignment['role_id'])}}
    for key, part in (('role', body['role']), ('user', body['user']),
                      (scope_kind, target)):
        extra = names.get((key, part['id']))
        if extra:
            part.update(extra)
    return body


def application_credential(req, record, secret=None):
    body = {'id': record['id'], 'name': record['name'],
            'description': record['description'], 'user_id': record['user_id'],
            'project_id': record['project_id'], 'expires_at': record['expires_at'],
            'unrestricted': record['unrestricted'], 'access_rules': [],
            'roles': [{'id': r['id'], 'name': r['name'], 'domain_id': None}
                      for r in record['roles']],
            'links': {'self': url(req, 'users', record['user_id'],
                                  'application_credentials', record['id'])}}
    if secret is not None:
        body['secret'] = secret
    return body


def ec2_credential(req, record):
    return {'user_id': record['user_id'], 'tenant_id': record['project_id'],
            'access': record['access'], 'secret': record['secret'], 'trust_id': None,
            'links': {'self': url(req, 'users', record['user_id'], 'credentials', 'OS-EC2',
                                  record['access'])}}


def token(payload, data):
    """The body of a token response: what the token proves and what it shows now."""
    body = {'methods': list(payload.methods),
            'user': dict(data['user'], password_expires_at=None),
            'audit_ids': list(payload.audit_ids),
            'issued_at': tokens.format_time(payload.issued_at),
            'expires_at': tokens.format_time(payload.expires_at)}
    if data['project'] is not None:
        body['project'] = data['project']
        body['is_domain'] = False
    elif data['domain'] is not None:
        body['domain'] = data['domain']
    if data['project'] is not None or data['domain'] is not None:
        body['roles'] = data['roles']
    if data['catalog'] is not None:
        body['catalog'] = catalog_mod.catalog_view(data['catalog'])
    if data['application_credential'] is not None:
        body['application_credential'] = data['application_credential']
    return {'token': body}
