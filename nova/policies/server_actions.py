"""Server actions that upstream files under their own extensions (pause, lock, shelve, ...)."""

from nova.policies import base
from nova.policies.base import ADMIN
from nova.policies.base import PROJECT_MEMBER_OR_ADMIN
from nova.policies.base import PROJECT_READER_OR_ADMIN

P = 'os_compute_api:%s'

_ACTIONS = (
    # (rule, default, description, action body key)
    ('os-pause-server:pause', PROJECT_MEMBER_OR_ADMIN, 'Pause a server', 'pause'),
    ('os-pause-server:unpause', PROJECT_MEMBER_OR_ADMIN, 'Unpause a server', 'unpause'),
    ('os-suspend-server:suspend', PROJECT_MEMBER_OR_ADMIN, 'Suspend a server', 'suspend'),
    ('os-suspend-server:resume', PROJECT_MEMBER_OR_ADMIN, 'Resume a server', 'resume'),
    ('os-lock-server:lock', PROJECT_MEMBER_OR_ADMIN, 'Lock a server', 'lock'),
    ('os-lock-server:unlock', PROJECT_MEMBER_OR_ADMIN, 'Unlock a server', 'unlock'),
    ('os-lock-server:unlock:unlock_override', ADMIN,
     'Unlock a server that someone else locked', 'unlock'),
    ('os-rescue', PROJECT_MEMBER_OR_ADMIN, 'Rescue a server', 'rescue'),
    ('os-unrescue', PROJECT_MEMBER_OR_ADMIN, 'Unrescue a server', 'unrescue'),
    ('os-admin-actions:reset_state', ADMIN, "Reset a server's state", 'os-resetState'),
    ('os-admin-actions:inject_network_info', ADMIN,
     "Inject network information into a server's guest", 'injectNetworkInfo'),
    ('os-admin-actions:reset_network', ADMIN, "Reset a server's networking", 'resetNetwork'),
    ('os-console-output', PROJECT_MEMBER_OR_ADMIN, "Show a server's console output",
     'os-getConsoleOutput'),
    ('os-shelve:shelve', PROJECT_MEMBER_OR_ADMIN, 'Shelve a server', 'shelve'),
    ('os-shelve:shelve_offload', ADMIN, 'Offload a shelved server', 'shelveOffload'),
    ('os-shelve:unshelve', PROJECT_MEMBER_OR_ADMIN, 'Unshelve a server', 'unshelve'),
    ('os-shelve:unshelve_to_host', ADMIN, 'Unshelve a server onto a named host (2.91+)',
     'unshelve'),
    ('os-evacuate', ADMIN, 'Evacuate a server from a failed host', 'evacuate'),
    ('os-migrate-server:migrate', ADMIN, 'Cold-migrate a server', 'migrate'),
    ('os-migrate-server:migrate:host', ADMIN, 'Cold-migrate a server to a named host (2.56+)',
     'migrate'),
    ('os-migrate-server:migrate_live', ADMIN, 'Live-migrate a server', 'os-migrateLive'),
    ('os-admin-password', PROJECT_MEMBER_OR_ADMIN, "Change a server's admin password",
     'changePassword'),
    ('os-create-backup', PROJECT_MEMBER_OR_ADMIN, 'Back a server up', 'createBackup'),
    ('os-remote-consoles', PROJECT_MEMBER_OR_ADMIN, 'Get a remote console of a server',
     'os-getVNCConsole'),
    ('os-floating-ips:add', PROJECT_MEMBER_OR_ADMIN, 'Associate a floating IP',
     'addFloatingIp'),
    ('os-floating-ips:remove', PROJECT_MEMBER_OR_ADMIN, 'Disassociate a floating IP',
     'removeFloatingIp'),
    ('os-security-groups:add', PROJECT_MEMBER_OR_ADMIN, 'Add a security group to a server',
     'addSecurityGroup'),
    ('os-security-groups:remove', PROJECT_MEMBER_OR_ADMIN,
     'Remove a security group from a server', 'removeSecurityGroup'),
)


def list_rules():
    rules = [base.action_rule(P % name, check, text, action)
             for name, check, text, action in _ACTIONS]
    rules += [
        base.rule(P % 'os-migrations:index', ADMIN, 'List migrations.',
                  ('GET', '/os-migrations')),
        base.rule(P % 'os-server-password:show', PROJECT_READER_OR_ADMIN,
                  "Show a server's encrypted admin password.",
                  ('GET', '/servers/{server_id}/os-server-password')),
        base.rule(P % 'os-server-password:clear', PROJECT_MEMBER_OR_ADMIN,
                  "Clear a server's encrypted admin password.",
                  ('DELETE', '/servers/{server_id}/os-server-password')),
    ]
    return rules
