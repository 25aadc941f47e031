"""The building blocks of the default rules: upstream Nova's personas.

An administrator (``admin`` role) may do anything; a project member (``member`` role on the
project that owns the resource) may use and change it; a project reader (``reader`` role) may
look. Keystone's default implied roles (admin > member > reader) make every admin a member and
every member a reader; the built-in identity and noauth2 give the same sets.
"""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER = 'rule:project_member_api'
PROJECT_READER = 'rule:project_reader_api'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'
SERVICE_OR_ADMIN = 'rule:service_or_admin'
ADMIN_OR_KEYPAIR_OWNER = 'rule:context_is_admin or user_id:%(user_id)s'
ANY = '@'

PROJECT = ('project',)

RULES = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       'Decides what is an administrator everywhere in the API.'),
    policy.RuleDefault('project_member_api', 'role:member and project_id:%(project_id)s',
                       'A member of the project that owns the resource.'),
    policy.RuleDefault('project_reader_api', 'role:reader and project_id:%(project_id)s',
                       'A reader of the project that owns the resource.'),
    policy.RuleDefault('project_member_or_admin',
                       'rule:project_member_api or rule:context_is_admin',
                       'A project member or an administrator.'),
    policy.RuleDefault('project_reader_or_admin',
                       'rule:project_reader_api or rule:context_is_admin',
                       'A project reader or an administrator.'),
    policy.RuleDefault('service_api', 'role:service',
                       'Another OpenStack service calling on its own behalf.'),
    policy.RuleDefault('service_or_admin', 'rule:service_api or rule:context_is_admin',
                       'A service user or an administrator.'),
]


def rule(name, check_str, description, *operations):
    """A documented default: ``operations`` are ``(METHOD, path)`` pairs."""
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path} for method, path in operations],
        scope_types=list(PROJECT))


def action_rule(name, check_str, description, action):
    """A default for one ``POST /servers/{server_id}/action`` body key."""
    return rule(name, check_str, '%s (the %s action).' % (description, action),
                ('POST', '/servers/{server_id}/action (%s)' % action))
