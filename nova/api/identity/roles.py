"""/v3/roles, role grants on projects and domains, and /v3/role_assignments."""

from nova import exception
from nova.api.identity import common
from nova.api.identity import policy
from nova.api.identity import schemas
from nova.api.identity import views
from nova.api.identity import wsgi
from nova.db.api import identity as db_identity
from nova.i18n import _
from nova.identity import auth
from nova.identity import roles as role_names
from nova.objects import identity as identity_obj

Assignments = identity_obj.IdentityAssignment
TARGET_TYPES = {'projects': db_identity.USER_PROJECT, 'domains': db_identity.USER_DOMAIN}


def _role_values(body):
    return {key: body[key] for key in ('name', 'description') if key in body}


def list_roles(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_roles')
    found = Assignments.list_roles(caller.context, common.filters(req, ('name',)))
    if req.GET.get('domain_id'):
        found = []  # every role here is global; none belongs to a domain
    return wsgi.json_response(views.collection(req, 'roles',
                                               [views.role(req, r) for r in found]))


def create_role(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_role')
    body = wsgi.read_json(req, schemas.ROLE_CREATE)['role']
    role = Assignments.create_role(caller.context, _role_values(body))
    return wsgi.json_response({'role': views.role(req, role)}, status=201)


def show_role(req, role_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_role')
    return wsgi.json_response({'role': views.role(req, Assignments.get_role(caller.context,
                                                                            role_id))})


def update_role(req, role_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:update_role')
    body = wsgi.read_json(req, schemas.ROLE_UPDATE)['role']
    role = Assignments.update_role(caller.context, role_id, _role_values(body))
    return wsgi.json_response({'role': views.role(req, role)})


def delete_role(req, role_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:delete_role')
    Assignments.delete_role(caller.context, role_id)
    return wsgi.no_content()


# -- grants: /v3/{projects|domains}/{target_id}/users/{user_id}/roles[/{role_id}] ------------

def _target_type(target_kind):
    return TARGET_TYPES[target_kind]


def list_grants(req, target_kind, target_id, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_grants')
    context = caller.context
    # 404s for a missing user or target, as Keystone answers.
    identity_obj.IdentityUser.get_user(context, user_id)
    if target_kind == 'projects':
        identity_obj.IdentityResource.get_project(context, target_id)
    else:
        identity_obj.IdentityResource.get_domain(context, target_id)
    assignments = Assignments.list_assignments(context, {
        'type': _target_type(target_kind), 'user_id': user_id, 'target_id': target_id})
    found = [Assignments.get_role(context, a['role_id']) for a in assignments]
    return wsgi.json_response(views.collection(req, 'roles',
                                               [views.role(req, r) for r in found]))


def grant(req, target_kind, target_id, user_id, role_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_grant')
    Assignments.grant(caller.context, _target_type(target_kind), user_id, target_id, role_id)
    return wsgi.no_content()


def check_grant(req, target_kind, target_id, user_id, role_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:check_grant')
    Assignments.check(caller.context, _target_type(target_kind), user_id, target_id, role_id)
    return wsgi.no_content()


def revoke_grant(req, target_kind, target_id, user_id, role_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:revoke_grant')
    Assignments.revoke(caller.context, _target_type(target_kind), user_id, target_id,
                       role_id)
    # Tokens carry roles as they are at validation, but a token of a scope the user no
    # longer holds any role on must stop at once: revoke the user's tokens there.
    if target_kind == 'projects':
        auth.revoke_user_tokens(caller.context, user_id, project_id=target_id)
    return wsgi.no_content()


# -- GET /v3/role_assignments ----------------------------------------------------------------

def _assignment_filters(req):
    filters = {}
    if req.GET.get('user.id'):
        filters['user_id'] = req.GET['user.id']
    if req.GET.get('scope.project.id'):
        filters['type'] = db_identity.USER_PROJECT
        filters['target_id'] = req.GET['scope.project.id']
    if req.GET.get('scope.domain.id'):
        if 'target_id' in filters:
            raise exception.ValidationError(detail=_(
                'Specify a domain or project, not both'))
        filters['type'] = db_identity.USER_DOMAIN
        filters['target_id'] = req.GET['scope.domain.id']
    return filters


def _effective(context, assignments, role_filter):
    """Each assignment plus the assignments of the roles it implies."""
    all_roles = {role['id']: role for role in Assignments.list_roles(context)}
    by_name = {role['name'].lower(): role for role in all_roles.values()}
    result, seen = [], set()
    for assignment in assignments:
        name = all_roles[assignment['role_id']]['name']
        for implied in sorted(role_names.implied_names([name])):
            role = by_name.get(implied)
            if role is None:
                continue
            item = dict(assignment, role_id=role['id'])
            key = (item['type'], item['user_id'], item['target_id'], item['role_id'])
            if key not in seen:
                seen.add(key)
                result.append(item)
    if role_filter:
        result = [item for item in result if item['role_id'] == role_filter]
    return result


def _names(context, assignments):
    """{(kind, id): {"name": .., "domain": {..}}} for include_names."""
    names = {}
    domains = {d['id']: d for d in identity_obj.IdentityResource.list_domains(context)}

    def domain_ref(domain_id):
        return {'id': domain_id, 'name': domains.get(domain_id, {}).get('name')}

    for assignment in assignments:
        if ('role', assignment['role_id']) not in names:
            role = Assignments.get_role(context, assignment['role_id'])
            names[('role', role['id'])] = {'name': role['name']}
        if ('user', assignment['user_id']) not in names:
            user = identity_obj.IdentityUser.get_user(context, assignment['user_id'])
            names[('user', user['id'])] = {'name': user['name'],
                                           'domain': domain_ref(user['domain_id'])}
        if assignment['type'] == db_identity.USER_PROJECT:
            if ('project', assignment['target_id']) not in names:
                project = identity_obj.IdentityResource.get_project(
                    context, assignment['target_id'])
                names[('project', project['id'])] = {
                    'name': project['name'], 'domain': domain_ref(project['domain_id'])}
        else:
            names[('domain', assignment['target_id'])] = {
                'name': domains.get(assignment['target_id'], {}).get('name')}
    return names


def list_role_assignments(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_role_assignments')
    if req.GET.get('group.id') or req.GET.get('scope.system'):
        # No groups and no system scope here: nothing can match.
        return wsgi.json_response(views.collection(req, 'role_assignments', []))
    filters = _assignment_filters(req)
    role_filter = req.GET.get('role.id')
    effective = common.flag(req, 'effective')
    if effective:
        assignments = _effective(caller.context,
                                 Assignments.list_assignments(caller.context, filters),
                                 role_filter)
    else:
        if role_filter:
            filters['role_id'] = role_filter
        assignments = Assignments.list_assignments(caller.context, filters)
    include_names = common.flag(req, 'include_names')
    names = _names(caller.context, assignments) if include_names else None
    return wsgi.json_response(views.collection(
        req, 'role_assignments', [views.role_assignment(req, a, names)
                                  for a in assignments]))
