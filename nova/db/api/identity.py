"""Query functions of the built-in identity service (the ``identity_*`` tables).

Records come back as plain dicts of JSON values (times as ISO 8601 strings), read inside
the transaction, because they travel over RPC from conductor to nova-api as they are.
Missing rows raise IdentityNotFound, duplicates IdentityConflict, with Keystone's messages.

Deleting a domain, project, user or role deletes what hangs off it (role assignments,
credentials) in the same transaction, as Keystone does.
"""

import datetime
import uuid

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
from oslo_utils import timeutils
import sqlalchemy as sa

from nova import exception
from nova.db.api import models
from nova.db.engines import api_reader
from nova.db.engines import api_writer
from nova.i18n import _
from nova.identity import roles as role_names

USER_PROJECT = 'UserProject'
USER_DOMAIN = 'UserDomain'
INTERFACES = ('public', 'internal', 'admin')


def new_id():
    return uuid.uuid4().hex


def _iso(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%fZ') if value is not None else None


def _first(context, statement):
    return context.session.execute(statement).unique().scalars().first()


def _all(context, statement):
    return list(context.session.execute(statement).unique().scalars().all())


def _extra_in(values):
    values = dict(values)
    if 'extra' in values:
        values['extra'] = jsonutils.dumps(values['extra']) if values['extra'] else None
    return values


def _extra_out(row):
    return jsonutils.loads(row.extra) if row.extra else {}


def _filtered(statement, model, filters, allowed):
    for name in allowed:
        value = (filters or {}).get(name)
        if value is not None:
            statement = statement.where(getattr(model, name) == value)
    return statement


def _insert(context, row, kind, detail):
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.IdentityConflict(kind=kind, detail=detail)
    return row


def _update(context, row, values, kind, detail):
    row.update(values)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.IdentityConflict(kind=kind, detail=detail)
    return row


def _get(context, model, kind, row_id, **filters):
    row = _first(context, sa.select(model).filter_by(id=row_id, **filters))
    if row is None:
        raise exception.IdentityNotFound(kind=kind, id=row_id)
    return row


# -- domains -------------------------------------------------------------------------------

def _domain_dict(row):
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'enabled': row.enabled, 'extra': _extra_out(row)}


def _domain_duplicate(values):
    return _('Duplicate entry found with name %s.') % values.get('name')


@api_writer
def domain_create(context, values):
    values = _extra_in(values)
    values.setdefault('id', new_id())
    return _domain_dict(_insert(context, models.IdentityDomain(**values), 'domain',
                                _domain_duplicate(values)))


@api_reader
def domain_get(context, domain_id):
    return _domain_dict(_get(context, models.IdentityDomain, 'domain', domain_id))


@api_reader
def domain_get_by_name(context, name):
    row = _first(context, sa.select(models.IdentityDomain).filter_by(name=name))
    if row is None:
        raise exception.IdentityNotFound(kind='domain', id=name)
    return _domain_dict(row)


@api_reader
def domain_get_all(context, filters=None):
    statement = _filtered(sa.select(models.IdentityDomain), models.IdentityDomain, filters,
                          ('name', 'enabled'))
    return [_domain_dict(row) for row in _all(context, statement.order_by(
        models.IdentityDomain.name))]


@api_writer
def domain_update(context, domain_id, values):
    row = _get(context, models.IdentityDomain, 'domain', domain_id)
    return _domain_dict(_update(context, row, _extra_in(values), 'domain',
                                _domain_duplicate(values)))


@api_writer
def domain_destroy(context, domain_id):
    """Delete a (disabled) domain with its projects, users and role assignments."""
    row = _get(context, models.IdentityDomain, 'domain', domain_id)
    if row.enabled:
        raise exception.IdentityForbidden(
            message=_('Cannot delete a domain that is enabled, please disable it first.'),
            action='identity:delete_domain')
    for project in _all(context, sa.select(models.IdentityProject).filter_by(
            domain_id=domain_id)):
        project_destroy(context, project.id)
    for user in _all(context, sa.select(models.IdentityUser).filter_by(domain_id=domain_id)):
        user_destroy(context, user.id)
    _delete_assignments(context, target_id=domain_id, type=USER_DOMAIN)
    context.session.delete(row)
    context.session.flush()


# -- projects ------------------------------------------------------------------------------

def _project_dict(row):
    return {'id': row.id, 'name': row.name, 'domain_id': row.domain_id,
            'description': row.description, 'enabled': row.enabled,
            'extra': _extra_out(row)}


def _duplicate_in_domain(values, domain_id):
    return _('Duplicate entry found with name %(name)s at domain ID %(domain)s.') % {
        'name': values.get('name'), 'domain': domain_id}


@api_writer
def project_create(context, values):
    values = _extra_in(values)
    values.setdefault('id', new_id())
    _get(context, models.IdentityDomain, 'domain', values.get('domain_id'))
    return _project_dict(_insert(context, models.IdentityProject(**values), 'project',
                                 _duplicate_in_domain(values, values.get('domain_id'))))


@api_reader
def project_get(context, project_id):
    return _project_dict(_get(context, models.IdentityProject, 'project', project_id))


@api_reader
def project_get_by_name(context, domain_id, name):
    row = _first(context, sa.select(models.IdentityProject).filter_by(domain_id=domain_id,
                                                                       name=name))
    if row is None:
        raise exception.IdentityNotFound(kind='project', id=name)
    return _project_dict(row)


@api_reader
def project_get_all(context, filters=None):
    """Projects matching ``filters`` (name, domain_id, enabled; user_id: those the user
    holds a role on)."""
    filters = filters or {}
    statement = _filtered(sa.select(models.IdentityProject), models.IdentityProject, filters,
                          ('name', 'domain_id', 'enabled'))
    if filters.get('user_id') is not None:
        assignment = models.IdentityRoleAssignment
        statement = statement.where(models.IdentityProject.id.in_(
            sa.select(assignment.target_id).filter_by(type=USER_PROJECT,
                                                      actor_id=filters['user_id'])))
    return [_project_dict(row) for row in _all(context, statement.order_by(
        models.IdentityProject.name))]


@api_writer
def project_update(context, project_id, values):
    row = _get(context, models.IdentityProject, 'project', project_id)
    return _project_dict(_update(context, row, _extra_in(values), 'project',
                                 _duplicate_in_domain(values, row.domain_id)))


@api_writer
def project_destroy(context, project_id):
    """Delete a project, its role assignments and the credentials scoped to it."""
    row = _get(context, models.IdentityProject, 'project', project_id)
    _delete_assignments(context, target_id=project_id, type=USER_PROJECT)
    for model in (models.IdentityApplicationCredential, models.IdentityEC2Credential):
        for credential in _all(context, sa.select(model).filter_by(project_id=project_id)):
            context.session.delete(credential)
    context.session.delete(row)
    context.session.flush()


# -- users ---------------------------------------------------------------------------------

def _user_dict(row):
    """The user, with its password hash (for the identity service's own checks only)."""
    return {'id': row.id, 'name': row.name, 'domain_id': row.domain_id,
            'enabled': row.enabled, 'password_hash': row.password_hash,
            'default_project_id': row.default_project_id, 'extra': _extra_out(row)}


@api_writer
def user_create(context, values):
    values = _extra_in(values)
    values.setdefault('id', new_id())
    _get(context, models.IdentityDomain, 'domain', values.get('domain_id'))
    return _user_dict(_insert(context, models.IdentityUser(**values), 'user',
                              _duplicate_in_domain(values, values.get('domain_id'))))


@api_reader
def user_get(context, user_id):
    return _user_dict(_get(context, models.IdentityUser, 'user', user_id))


@api_reader
def user_get_by_name(context, domain_id, name):
    row = _first(context, sa.select(models.IdentityUser).filter_by(domain_id=domain_id,
                                                                    name=name))
    if row is None:
        raise exception.IdentityNotFound(kind='user', id=name)
    return _user_dict(row)


@api_reader
def user_get_all(context, filters=None):
    statement = _filtered(sa.select(models.IdentityUser), models.IdentityUser, filters,
                          ('name', 'domain_id', 'enabled'))
    return [_user_dict(row) for row in _all(context, statement.order_by(
        models.IdentityUser.name))]


@api_writer
def user_update(context, user_id, values):
    row = _get(context, models.IdentityUser, 'user', user_id)
    return _user_dict(_update(context, row, _extra_in(values), 'user',
                              _duplicate_in_domain(values, row.domain_id)))


@api_writer
def user_destroy(context, user_id):
    """Delete a user with its role assignments and credentials."""
    row = _get(context, models.IdentityUser, 'user', user_id)
    _delete_assignments(context, actor_id=user_id)
    for model in (models.IdentityApplicationCredential, models.IdentityEC2Credential):
        for credential in _all(context, sa.select(model).filter_by(user_id=user_id)):
            context.session.delete(credential)
    context.session.delete(row)
    context.session.flush()


# -- roles ---------------------------------------------------------------------------------

def _role_dict(row):
    return {'id': row.id, 'name': row.name, 'description': row.description}


@api_writer
def role_create(context, values):
    values = dict(values)
    values.setdefault('id', new_id())
    return _role_dict(_insert(context, models.IdentityRole(**values), 'role',
                              _domain_duplicate(values)))


@api_reader
def role_get(context, role_id):
    return _role_dict(_get(context, models.IdentityRole, 'role', role_id))


@api_reader
def role_get_by_name(context, name):
    row = _first(context, sa.select(models.IdentityRole).filter_by(name=name))
    if row is None:
        raise exception.IdentityNotFound(kind='role', id=name)
    return _role_dict(row)


@api_reader
def role_get_all(context, filters=None):
    statement = _filtered(sa.select(models.IdentityRole), models.IdentityRole, filters,
                          ('name',))
    return [_role_dict(row) for row in _all(context, statement.order_by(
        models.IdentityRole.name))]


@api_writer
def role_update(context, role_id, values):
    row = _get(context, models.IdentityRole, 'role', role_id)
    return _role_dict(_update(context, row, values, 'role', _domain_duplicate(values)))


@api_writer
def role_destroy(context, role_id):
    row = _get(context, models.IdentityRole, 'role', role_id)
    _delete_assignments(context, role_id=role_id)
    context.session.execute(sa.delete(models.IdentityApplicationCredentialRole).where(
        models.IdentityApplicationCredentialRole.role_id == role_id))
    context.session.delete(row)
    context.session.flush()


# -- role assignments ----------------------------------------------------------------------

def _assignment_dict(row):
    return {'type': row.type, 'user_id': row.actor_id, 'target_id': row.target_id,
            'role_id': row.role_id}


def _target(context, type, target_id):
    if type == USER_PROJECT:
        return _get(context, models.IdentityProject, 'project', target_id)
    return _get(context, models.IdentityDomain, 'domain', target_id)


@api_writer
def assignment_create(context, type, user_id, target_id, role_id):
    """Grant a role; granting one already held is not an error (Keystone answers 204)."""
    _get(context, models.IdentityUser, 'user', user_id)
    _get(context, models.IdentityRole, 'role', role_id)
    _target(context, type, target_id)
    existing = _first(context, sa.select(models.IdentityRoleAssignment).filter_by(
        type=type, actor_id=user_id, target_id=target_id, role_id=role_id))
    if existing is not None:
        return _assignment_dict(existing)
    row = models.IdentityRoleAssignment(type=type, actor_id=user_id, target_id=target_id,
                                        role_id=role_id)
    return _assignment_dict(_insert(context, row, 'role assignment',
                                    _('Duplicate entry.')))


def _assignment_row(context, type, user_id, target_id, role_id):
    _get(context, models.IdentityUser, 'user', user_id)
    _get(context, models.IdentityRole, 'role', role_id)
    _target(context, type, target_id)
    row = _first(context, sa.select(models.IdentityRoleAssignment).filter_by(
        type=type, actor_id=user_id, target_id=target_id, role_id=role_id))
    if row is None:
        raise exception.IdentityNotFound(
            kind='role assignment',
            id=_('%(role)s for user %(user)s on %(target)s') % {
                'role': role_id, 'user': user_id, 'target': target_id})
    return row


@api_reader
def assignment_get(context, type, user_id, target_id, role_id):
    return _assignment_dict(_assignment_row(context, type, user_id, target_id, role_id))


@api_writer
def assignment_destroy(context, type, user_id, target_id, role_id):
    context.session.delete(_assignment_row(context, type, user_id, target_id, role_id))
    context.session.flush()


def _delete_assignments(context, **filters):
    context.session.execute(sa.delete(models.IdentityRoleAssignment).filter_by(**filters))


@api_reader
def assignment_get_all(context, filters=None):
    """Assignments matching ``filters``: type, user_id, target_id, role_id."""
    filters = dict(filters or {})
    if 'user_id' in filters:
        filters['actor_id'] = filters.pop('user_id')
    model = models.IdentityRoleAssignment
    statement = _filtered(sa.select(model), model, filters,
                          ('type', 'actor_id', 'target_id', 'role_id'))
    return [_assignment_dict(row) for row in _all(context, statement.order_by(model.id))]


def _roles_on(context, user_id, type, target_id):
    """Role rows ``user_id`` holds on the target, with the roles they imply."""
    assignment = models.IdentityRoleAssignment
    direct = _all(context, sa.select(models.IdentityRole).join(
        assignment, assignment.role_id == models.IdentityRole.id).where(
        assignment.type == type, assignment.actor_id == user_id,
        assignment.target_id == target_id))
    if not direct:
        return []
    names = role_names.implied_names([row.name for row in direct])
    implied = _all(context, sa.select(models.IdentityRole).where(
        sa.func.lower(models.IdentityRole.name).in_(sorted(names))))
    by_id = {row.id: row for row in direct + implied}
    return sorted(by_id.values(), key=lambda row: row.name)


@api_reader
def effective_roles(context, user_id, type, target_id):
    """The roles (assigned and implied) ``user_id`` holds on the target."""
    return [_role_dict(row) for row in _roles_on(context, user_id, type, target_id)]


# -- the catalog ---------------------------------------------------------------------------

def _service_dict(row):
    return {'id': row.id, 'type': row.type, 'name': row.name,
            'description': row.description, 'enabled': row.enabled}


def _endpoint_dict(row):
    return {'id': row.id, 'service_id': row.service_id, 'interface': row.interface,
            'region_id': row.region_id, 'url': row.url, 'enabled': row.enabled}


@api_writer
def service_create(context, values):
    values = dict(values)
    values.setdefault('id', new_id())
    return _service_dict(_insert(context, models.IdentityService(**values), 'service', ''))


@api_reader
def service_get(context, service_id):
    return _service_dict(_get(context, models.IdentityService, 'service', service_id))


@api_reader
def service_get_all(context, filters=None):
    statement = _filtered(sa.select(models.IdentityService), models.IdentityService, filters,
                          ('type', 'name'))
    return [_service_dict(row) for row in _all(context, statement.order_by(
        models.IdentityService.type, models.IdentityService.id))]


@api_writer
def service_update(context, service_id, values):
    row = _get(context, models.IdentityService, 'service', service_id)
    return _service_dict(_update(context, row, values, 'service', ''))


@api_writer
def service_destroy(context, service_id):
    """Delete a service and its endpoints."""
    row = _get(context, models.IdentityService, 'service', service_id)
    context.session.execute(sa.delete(models.IdentityEndpoint).where(
        models.IdentityEndpoint.service_id == service_id))
    context.session.delete(row)
    context.session.flush()


@api_writer
def endpoint_create(context, values):
    values = dict(values)
    values.setdefault('id', new_id())
    _get(context, models.IdentityService, 'service', values.get('service_id'))
    return _endpoint_dict(_insert(context, models.IdentityEndpoint(**values), 'endpoint', ''))


@api_reader
def endpoint_get(context, endpoint_id):
    return _endpoint_dict(_get(context, models.IdentityEndpoint, 'endpoint', endpoint_id))


@api_reader
def endpoint_get_all(context, filters=None):
    statement = _filtered(sa.select(models.IdentityEndpoint), models.IdentityEndpoint,
                          filters, ('service_id', 'interface', 'region_id'))
    return [_endpoint_dict(row) for row in _all(context, statement.order_by(
        models.IdentityEndpoint.service_id, models.IdentityEndpoint.interface))]


@api_writer
def endpoint_update(context, endpoint_id, values):
    row = _get(context, models.IdentityEndpoint, 'endpoint', endpoint_id)
    if values.get('service_id') is not None:
        _get(context, models.IdentityService, 'service', values['service_id'])
    return _endpoint_dict(_update(context, row, values, 'endpoint', ''))


@api_writer
def endpoint_destroy(context, endpoint_id):
    context.session.delete(_get(context, models.IdentityEndpoint, 'endpoint', endpoint_id))
    context.session.flush()


def _catalog(context):
    """Enabled services with their enabled endpoints, as (service dict, [endpoint dicts])."""
    services = _all(context, sa.select(models.IdentityService).filter_by(enabled=True)
                    .order_by(models.IdentityService.type, models.IdentityService.id))
    endpoints = _all(context, sa.select(models.IdentityEndpoint).filter_by(enabled=True)
                     .order_by(models.IdentityEndpoint.interface, models.IdentityEndpoint.id))
    by_service = {}
    for endpoint in endpoints:
        by_service.setdefault(endpoint.service_id, []).append(_endpoint_dict(endpoint))
    return [dict(_service_dict(service), endpoints=by_service.get(service.id, []))
            for service in services]


@api_reader
def catalog_get(context):
    return _catalog(context)


# -- application credentials ---------------------------------------------------------------

def _app_cred_dict(context, row):
    role_ids = [link.role_id for link in row.roles]
    roles = _all(context, sa.select(models.IdentityRole).where(
        models.IdentityRole.id.in_(role_ids))) if role_ids else []
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'user_id': row.user_id, 'project_id': row.project_id,
            'secret_hash': row.secret_hash, 'expires_at': _iso(row.expires_at),
            'unrestricted': row.unrestricted,
            'roles': sorted((_role_dict(role) for role in roles), key=lambda r: r['name'])}


@api_writer
def application_credential_create(context, values, role_ids):
    values = dict(values)
    values.setdefault('id', new_id())
    if values.get('expires_at') is not None:
        values['expires_at'] = timeutils.normalize_time(
            timeutils.parse_isotime(values['expires_at']))
    row = models.IdentityApplicationCredential(**values)
    row.roles = [models.IdentityApplicationCredentialRole(role_id=role_id)
                 for role_id in role_ids]
    _insert(context, row, 'application_credential',
            _('Duplicate entry found with name %s.') % values.get('name'))
    return _app_cred_dict(context, row)


@api_reader
def application_credential_get(context, app_cred_id, user_id=None):
    filters = {'user_id': user_id} if user_id is not None else {}
    return _app_cred_dict(context, _get(context, models.IdentityApplicationCredential,
                                        'application credential', app_cred_id, **filters))


@api_reader
def application_credential_get_by_name(context, user_id, name):
    row = _first(context, sa.select(models.IdentityApplicationCredential).filter_by(
        user_id=user_id, name=name))
    if row is None:
        raise exception.IdentityNotFound(kind='application credential', id=name)
    return _app_cred_dict(context, row)


@api_reader
def application_credential_get_all(context, user_id, name=None):
    statement = sa.select(models.IdentityApplicationCredential).filter_by(user_id=user_id)
    if name is not None:
        statement = statement.filter_by(name=name)
    return [_app_cred_dict(context, row) for row in _all(context, statement.order_by(
        models.IdentityApplicationCredential.name))]


@api_writer
def application_credential_destroy(context, app_cred_id, user_id):
    context.session.delete(_get(context, models.IdentityApplicationCredential,
                                'application credential', app_cred_id, user_id=user_id))
    context.session.flush()


# -- EC2 credentials -----------------------------------------------------------------------

def _ec2_dict(row):
    return {'access': row.access, 'secret': row.secret, 'user_id': row.user_id,
            'project_id': row.project_id}


@api_writer
def ec2_credential_create(context, values):
    _get(context, models.IdentityUser, 'user', values.get('user_id'))
    _get(context, models.IdentityProject, 'project', values.get('project_id'))
    return _ec2_dict(_insert(context, models.IdentityEC2Credential(**values), 'credential',
                             _('Duplicate access key.')))


def _ec2_row(context, access, user_id=None):
    filters = {'user_id': user_id} if user_id is not None else {}
    row = _first(context, sa.select(models.IdentityEC2Credential).filter_by(
        access=access, **filters))
    if row is None:
        raise exception.IdentityNotFound(kind='credential', id=access)
    return row


@api_reader
def ec2_credential_get(context, access, user_id=None):
    return _ec2_dict(_ec2_row(context, access, user_id))


@api_reader
def ec2_credential_get_all(context, user_id):
    return [_ec2_dict(row) for row in _all(context, sa.select(
        models.IdentityEC2Credential).filter_by(user_id=user_id).order_by(
        models.IdentityEC2Credential.id))]


@api_writer
def ec2_credential_destroy(context, access, user_id):
    context.session.delete(_ec2_row(context, access, user_id))
    context.session.flush()


# -- revocation and token validation -------------------------------------------------------

@api_writer
def revocation_event_create(context, values, token_lifetime):
    """Record that matching tokens issued until now are revoked; purge events that can no
    longer match an unexpired token."""
    now = timeutils.utcnow()
    row = models.IdentityRevocationEvent(
        audit_id=values.get('audit_id'), user_id=values.get('user_id'),
        project_id=values.get('project_id'), issued_before=now, revoked_at=now)
    context.session.add(row)
    horizon = now - datetime.timedelta(seconds=token_lifetime)
    context.session.execute(sa.delete(models.IdentityRevocationEvent).where(
        models.IdentityRevocationEvent.revoked_at < horizon))
    context.session.flush()


def _is_revoked(context, user_id, project_id, audit_ids, issued_at):
    event = models.IdentityRevocationEvent
    statement = sa.select(sa.func.count()).select_from(event).where(
        event.issued_before >= issued_at,
        sa.or_(event.audit_id.is_(None), event.audit_id.in_(list(audit_ids))),
        sa.or_(event.user_id.is_(None), event.user_id == user_id),
        sa.or_(event.project_id.is_(None), event.project_id == project_id),
        # An event with no condition at all would revoke everything: never match one.
        sa.or_(event.audit_id.is_not(None), event.user_id.is_not(None),
               event.project_id.is_not(None)))
    return context.session.execute(statement).scalar() > 0


def _auth_failed(reason):
    return exception.IdentityAuthenticationFailed(message=reason)


def _enabled_domain(context, domain_id, what):
    domain = _first(context, sa.select(models.IdentityDomain).filter_by(id=domain_id))
    if domain is None or not domain.enabled:
        raise _auth_failed(_('%s is disabled or does not exist.') % what)
    return domain


@api_reader
def token_context_get(context, user_id, project_id=None, domain_id=None, app_cred_id=None,
                      issued_at=None, audit_ids=(), with_catalog=True):
    """What a token for this user and scope shows now (one transaction, one RPC).

    Raises IdentityAuthenticationFailed (with the reason) when the token would be invalid:
    revoked (``issued_at``/``audit_ids`` given), user or scope missing or disabled, no role
    on the scope, an application credential deleted, expired or outgrown its user's roles.
    Returns {'user': {id, name, domain: {id, name}}, 'project': {id, name, domain} or None,
    'domain': {id, name} or None, 'roles': [{id, name}], 'catalog': [...] or None,
    'application_credential': {id, name, restricted} or None}.
    """
    if issued_at is not None and _is_revoked(context, user_id, project_id, audit_ids,
                                             timeutils.normalize_time(
                                                 timeutils.parse_isotime(issued_at))):
        raise _auth_failed(_('The token has been revoked.'))
    user = _first(context, sa.select(models.IdentityUser).filter_by(id=user_id))
    if user is None or not user.enabled:
        raise _auth_failed(_('User %s is disabled or does not exist.') % user_id)
    user_domain = _enabled_domain(context, user.domain_id, _('The domain of the user'))
    result = {'user': {'id': user.id, 'name': user.name,
                       'domain': {'id': user_domain.id, 'name': user_domain.name}},
              'project': None, 'domain': None, 'roles': [], 'catalog': None,
              'application_credential': None}
    roles = []
    if project_id is not None:
        project = _first(context, sa.select(models.IdentityProject).filter_by(id=project_id))
        if project is None or not project.enabled:
            raise _auth_failed(_('Project %s is disabled or does not exist.') % project_id)
        project_domain = _enabled_domain(context, project.domain_id,
                                         _('The domain of the project'))
        result['project'] = {'id': project.id, 'name': project.name,
                             'domain': {'id': project_domain.id,
                                        'name': project_domain.name}}
        roles = _roles_on(context, user_id, USER_PROJECT, project_id)
        if not roles:
            raise _auth_failed(_('User %(user)s has no access to project %(project)s') % {
                'user': user_id, 'project': project_id})
    elif domain_id is not None:
        domain = _enabled_domain(context, domain_id, _('Domain %s') % domain_id)
        result['domain'] = {'id': domain.id, 'name': domain.name}
        roles = _roles_on(context, user_id, USER_DOMAIN, domain_id)
        if not roles:
            raise _auth_failed(_('User %(user)s has no access to domain %(domain)s') % {
                'user': user_id, 'domain': domain_id})
    if app_cred_id is not None:
        roles = _app_cred_roles(context, app_cred_id, user_id, project_id, roles, result)
    result['roles'] = [{'id': role.id, 'name': role.name} for role in roles]
    if with_catalog and (project_id is not None or domain_id is not None):
        result['catalog'] = _catalog(context)
    return result


def _app_cred_roles(context, app_cred_id, user_id, project_id, user_roles, result):
    """The roles a token made from the application credential carries."""
    app_cred = _first(context, sa.select(models.IdentityApplicationCredential).filter_by(
        id=app_cred_id, user_id=user_id))
    if app_cred is None or app_cred.project_id != project_id:
        raise _auth_failed(_('Application credential %s does not exist.') % app_cred_id)
    if app_cred.expires_at is not None and app_cred.expires_at <= timeutils.utcnow():
        raise _auth_failed(_('Application credential %s has expired.') % app_cred_id)
    delegated = {link.role_id for link in app_cred.roles}
    held = {role.id: role for role in user_roles}
    if not delegated <= set(held):
        raise _auth_failed(_('The user no longer holds every role of application '
                             'credential %s.') % app_cred_id)
    result['application_credential'] = {'id': app_cred.id, 'name': app_cred.name,
                                        'restricted': not app_cred.unrestricted}
    # The roles delegated and those they imply, limited to what the user holds.
    names = role_names.implied_names([held[role_id].name for role_id in delegated])
    return [role for role in user_roles if role.name.lower() in names]
