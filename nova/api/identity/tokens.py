"""/v3/auth: issue, validate, check and revoke tokens; the catalog, projects and domains a
token gives access to."""

from nova import exception
from nova.api.identity import policy
from nova.api.identity import schemas
from nova.api.identity import views
from nova.api.identity import wsgi
import nova.conf
from nova.db.api import identity as db_identity
from nova.i18n import _
from nova.identity import auth
from nova.identity import catalog
from nova.objects import identity as identity_obj

CONF = nova.conf.CONF


def issue(req):
    """POST /v3/auth/tokens: 201, the token in X-Subject-Token and its description."""
    body = wsgi.read_json(req, schemas.AUTH)
    scope = body['auth'].get('scope')
    if isinstance(scope, str) and scope != 'unscoped':
        raise exception.ValidationError(detail=_("Invalid input for field 'scope': %r")
                                        % scope)
    result = auth.authenticate(wsgi.request_context(req), body['auth'],
                               with_catalog='nocatalog' not in req.GET)
    return wsgi.json_response(views.token(result.payload, result.data), status=201,
                              headers={'X-Subject-Token': result.token_id})


def _subject(req, action):
    """The payload and data of the X-Subject-Token, for a caller allowed ``action``."""
    caller = wsgi.caller(req)
    subject_id = req.headers.get('X-Subject-Token')
    try:
        if not subject_id:
            raise exception.IdentityTokenInvalid()
        payload, data = auth.validate(caller.context, subject_id,
                                      with_catalog='nocatalog' not in req.GET)
    except exception.IdentityTokenInvalid:
        raise exception.IdentityNotFound(kind='token', id=subject_id or '')
    policy.enforce(caller, action, {'user_id': payload.user_id})
    return caller, subject_id, payload, data


def validate(req):
    """GET /v3/auth/tokens: 200 and the subject token's description; 404 when invalid."""
    _caller, subject_id, payload, data = _subject(req, 'identity:validate_token')
    return wsgi.json_response(views.token(payload, data),
                              headers={'X-Subject-Token': subject_id})


def check(req):
    """HEAD /v3/auth/tokens: 200 when the subject token is valid, 404 otherwise."""
    _caller, subject_id, _payload, _data = _subject(req, 'identity:check_token')
    return wsgi.no_content(status=200)


def revoke(req):
    """DELETE /v3/auth/tokens: the subject token fails validation from now on."""
    caller, _subject_id, payload, _data = _subject(req, 'identity:revoke_token')
    auth.revoke_token(caller.context, payload)
    return wsgi.no_content()


def auth_catalog(req):
    """GET /v3/auth/catalog: the catalog of the caller's (scoped) token."""
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_auth_catalog')
    if caller.project_id is None and caller.domain_id is None:
        raise exception.IdentityForbidden(action=_('getting the catalog with an unscoped '
                                                   'token'))
    services = identity_obj.IdentityCatalog.get_catalog(caller.context)
    return wsgi.json_response(views.collection(req, 'catalog',
                                               catalog.catalog_view(services)))


def auth_projects(req):
    """GET /v3/auth/projects: the enabled projects the caller may scope a token to."""
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_auth_projects')
    projects = identity_obj.IdentityResource.list_projects(
        caller.context, {'user_id': caller.user_id, 'enabled': True})
    return wsgi.json_response(views.collection(
        req, 'projects', [views.project(req, p) for p in projects]))


def auth_domains(req):
    """GET /v3/auth/domains: the enabled domains the caller holds a role on."""
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_auth_domains')
    assignments = identity_obj.IdentityAssignment.list_assignments(
        caller.context, {'user_id': caller.user_id, 'type': db_identity.USER_DOMAIN})
    domains = []
    for domain_id in dict.fromkeys(a['target_id'] for a in assignments):
        domain = identity_obj.IdentityResource.get_domain(caller.context, domain_id)
        if domain['enabled']:
            domains.append(views.domain(req, domain))
    return wsgi.json_response(views.collection(req, 'domains', domains))
