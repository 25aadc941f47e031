"""The identity API's authorization rules (one table, Keystone's action names)."""

import pytest

from nova import exception
from nova.api.identity import policy
from nova.api.identity import router


class _Caller:
    def __init__(self, roles=(), user_id='u1', project_id='p1', domain_id=None,
                 project_domain='d1'):
        self.role_names = list(roles)
        self.is_admin = 'admin' in roles
        self.user_id, self.project_id, self.domain_id = user_id, project_id, domain_id
        self.data = {'project': {'id': project_id, 'domain': {'id': project_domain}}
                     if project_id else None}


ADMIN = _Caller(roles=('admin', 'member', 'reader'))
MEMBER = _Caller(roles=('member', 'reader'))


def test_admin_may_do_everything():
    for action in policy.RULES:
        if action != 'identity:create_application_credential':  # the owner's own only
            policy.enforce(ADMIN, action, {'user_id': 'someone-else'})


@pytest.mark.parametrize('action', ['identity:create_user', 'identity:list_users',
                                    'identity:create_grant', 'identity:list_projects',
                                    'identity:list_role_assignments',
                                    'identity:create_endpoint', 'identity:delete_domain'])
def test_members_may_not_administer(action):
    with pytest.raises(exception.IdentityForbidden, match=action):
        policy.enforce(MEMBER, action)


def test_owner_rules():
    policy.enforce(MEMBER, 'identity:get_user', {'user_id': 'u1'})
    policy.enforce(MEMBER, 'identity:validate_token', {'user_id': 'u1'})
    policy.enforce(MEMBER, 'identity:create_application_credential', {'user_id': 'u1'})
    for action in ('identity:get_user', 'identity:validate_token',
                   'identity:ec2_list_credentials', 'identity:create_application_credential'):
        with pytest.raises(exception.IdentityForbidden):
            policy.enforce(MEMBER, action, {'user_id': 'u2'})
    with pytest.raises(exception.IdentityForbidden):
        policy.enforce(ADMIN, 'identity:create_application_credential', {'user_id': 'u2'})


def test_scope_rules():
    policy.enforce(MEMBER, 'identity:get_project', {'project_id': 'p1'})
    with pytest.raises(exception.IdentityForbidden):
        policy.enforce(MEMBER, 'identity:get_project', {'project_id': 'p2'})
    policy.enforce(MEMBER, 'identity:get_domain', {'domain_id': 'd1'})
    with pytest.raises(exception.IdentityForbidden):
        policy.enforce(MEMBER, 'identity:get_domain', {'domain_id': 'd2'})
    domain_scoped = _Caller(roles=('reader',), project_id=None, domain_id='d3')
    policy.enforce(domain_scoped, 'identity:get_domain', {'domain_id': 'd3'})


def test_every_handler_action_has_a_rule():
    """Each action a handler enforces is in the table (a typo would be a KeyError, 500)."""
    import inspect
    import re
    modules = {inspect.getmodule(handler) for _path, methods in router.route_table()
               for handler in methods.values()}
    actions = set()
    for module in modules:
        actions |= set(re.findall(r"'(identity:[a-z_0-9]+)'", inspect.getsource(module)))
    assert actions and actions <= set(policy.RULES)
