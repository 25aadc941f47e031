"""/v3/domains and /v3/projects (and /v3/users/{id}/projects)."""

from nova import exception
from nova.api.identity import common
from nova.api.identity import policy
from nova.api.identity import schemas
from nova.api.identity import views
from nova.api.identity import wsgi
from nova.i18n import _
from nova.identity import auth
from nova.objects import identity as identity_obj

DOMAIN_FIELDS = ('name', 'description', 'enabled')
PROJECT_FIELDS = ('name', 'description', 'enabled', 'domain_id')
# Accepted in bodies with the only value this API supports, never stored.
IGNORED = ('tags', 'options', 'explicit_domain_id', 'parent_id', 'is_domain')

Resource = identity_obj.IdentityResource


def _values(body, fields):
    core, extra = common.split_extra(body, fields + IGNORED)
    for name in IGNORED:
        core.pop(name, None)
    core['extra'] = extra
    return core


# -- domains -------------------------------------------------------------------------------

def list_domains(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_domains')
    domains = Resource.list_domains(caller.context, common.filters(req, ('name',),
                                                                   ('enabled',)))
    return wsgi.json_response(views.collection(req, 'domains',
                                               [views.domain(req, d) for d in domains]))


def create_domain(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_domain')
    body = wsgi.read_json(req, schemas.DOMAIN_CREATE)['domain']
    values = _values(body, DOMAIN_FIELDS)
    if body.get('explicit_domain_id'):
        values['id'] = body['explicit_domain_id']
    domain = Resource.create_domain(caller.context, values)
    return wsgi.json_response({'domain': views.domain(req, domain)}, status=201)


def show_domain(req, domain_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_domain', {'domain_id': domain_id})
    return wsgi.json_response({'domain': views.domain(
        req, Resource.get_domain(caller.context, domain_id))})


def update_domain(req, domain_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:update_domain', {'domain_id': domain_id})
    body = wsgi.read_json(req, schemas.DOMAIN_UPDATE)['domain']
    current = Resource.get_domain(caller.context, domain_id)
    values = _values(body, DOMAIN_FIELDS)
    values['extra'] = dict(current['extra'], **values['extra'])
    domain = Resource.update_domain(caller.context, domain_id, values)
    return wsgi.json_response({'domain': views.domain(req, domain)})


def delete_domain(req, domain_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:delete_domain', {'domain_id': domain_id})
    Resource.delete_domain(caller.context, domain_id)
    return wsgi.no_content()


# -- projects ------------------------------------------------------------------------------

def list_projects(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_projects')
    projects = Resource.list_projects(caller.context, common.filters(
        req, ('name', 'domain_id'), ('enabled',)))
    return wsgi.json_response(views.collection(req, 'projects',
                                               [views.project(req, p) for p in projects]))


def list_user_projects(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_user_projects', {'user_id': user_id})
    identity_obj.IdentityUser.get_user(caller.context, user_id)  # 404 for no such user
    filters = common.filters(req, ('name', 'domain_id'), ('enabled',))
    filters['user_id'] = user_id
    projects = Resource.list_projects(caller.context, filters)
    return wsgi.json_response(views.collection(req, 'projects',
                                               [views.project(req, p) for p in projects]))


def create_project(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_project')
    body = wsgi.read_json(req, schemas.PROJECT_CREATE)['project']
    values = _values(body, PROJECT_FIELDS)
    values.setdefault('domain_id', common.default_domain_id(caller))
    if body.get('parent_id') not in (None, values['domain_id']):
        raise exception.ValidationError(detail=_(
            'Projects are flat here: parent_id may only be the domain of the project.'))
    project = Resource.create_project(caller.context, values)
    return wsgi.json_response({'project': views.project(req, project)}, status=201)


def show_project(req, project_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_project', {'project_id': project_id})
    return wsgi.json_response({'project': views.project(
        req, Resource.get_project(caller.context, project_id))})


def update_project(req, project_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:update_project', {'project_id': project_id})
    body = wsgi.read_json(req, schemas.PROJECT_UPDATE)['project']
    current = Resource.get_project(caller.context, project_id)
    values = _values(body, PROJECT_FIELDS)
    values['extra'] = dict(current['extra'], **values['extra'])
    project = Resource.update_project(caller.context, project_id, values)
    if current['enabled'] and not project['enabled']:
        auth.revoke_project_tokens(caller.context, project_id)
    return wsgi.json_response({'project': views.project(req, project)})


def delete_project(req, project_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:delete_project', {'project_id': project_id})
    Resource.delete_project(caller.context, project_id)
    auth.revoke_project_tokens(caller.context, project_id)
    return wsgi.no_content()
