"""Who may call what in the identity API: the one place authorization is decided.

Actions carry Keystone's policy names (``identity:create_user``), so the rules below can be
replaced by oslo.policy with Keystone's defaults without touching a handler. For now the
rules are the legacy ones: the admin role may do everything; a user may read itself, its
own projects and the project its token is scoped to, and manage its own credentials.
"""

from nova import exception


def _admin(caller, target):
    return caller.is_admin


def _owner(caller, target):
    return caller.user_id == target.get('user_id')


def _admin_or_owner(caller, target):
    return caller.is_admin or _owner(caller, target)


def _admin_or_scoped_project(caller, target):
    return caller.is_admin or (caller.project_id is not None and
                               caller.project_id == target.get('project_id'))


def _admin_or_domain_member(caller, target):
    if caller.is_admin:
        return True
    domain_id = target.get('domain_id')
    project = caller.data.get('project')
    return domain_id is not None and (
        caller.domain_id == domain_id or
        (project is not None and project['domain']['id'] == domain_id))


def _authenticated(caller, target):
    return True


RULES = {
    'identity:get_domain': _admin_or_domain_member,
    'identity:list_domains': _admin,
    'identity:create_domain': _admin,
    'identity:update_domain': _admin,
    'identity:delete_domain': _admin,
    'identity:get_project': _admin_or_scoped_project,
    'identity:list_projects': _admin,
    'identity:list_user_projects': _admin_or_owner,
    'identity:create_project': _admin,
    'identity:update_project': _admin,
    'identity:delete_project': _admin,
    'identity:get_user': _admin_or_owner,
    'identity:list_users': _admin,
    'identity:create_user': _admin,
    'identity:update_user': _admin,
    'identity:delete_user': _admin,
    'identity:get_role': _admin,
    'identity:list_roles': _admin,
    'identity:create_role': _admin,
    'identity:update_role': _admin,
    'identity:delete_role': _admin,
    'identity:check_grant': _admin,
    'identity:list_grants': _admin,
    'identity:create_grant': _admin,
    'identity:revoke_grant': _admin,
    'identity:list_role_assignments': _admin,
    'identity:get_service': _admin,
    'identity:list_services': _admin,
    'identity:create_service': _admin,
    'identity:update_service': _admin,
    'identity:delete_service': _admin,
    'identity:get_endpoint': _admin,
    'identity:list_endpoints': _admin,
    'identity:create_endpoint': _admin,
    'identity:update_endpoint': _admin,
    'identity:delete_endpoint': _admin,
    'identity:get_auth_catalog': _authenticated,
    'identity:get_auth_projects': _authenticated,
    'identity:get_auth_domains': _authenticated,
    'identity:validate_token': _admin_or_owner,
    'identity:check_token': _admin_or_owner,
    'identity:revoke_token': _admin_or_owner,
    'identity:get_application_credential': _admin_or_owner,
    'identity:list_application_credentials': _admin_or_owner,
    'identity:create_application_credential': _owner,
    'identity:delete_application_credential': _admin_or_owner,
    'identity:ec2_get_credential': _admin_or_owner,
    'identity:ec2_list_credentials': _admin_or_owner,
    'identity:ec2_create_credential': _admin_or_owner,
    'identity:ec2_delete_credential': _admin_or_owner,
}


def enforce(caller, action, target=None):
    """Raise IdentityForbidden unless ``caller`` may perform ``action`` on ``target``.

    ``target`` holds the attributes rules look at: user_id, project_id, domain_id.
    """
    if not RULES[action](caller, target or {}):
        raise exception.IdentityForbidden(action=action)
