"""Servers and what hangs off one server: metadata, tags, actions log, diagnostics."""

from nova.policies import base
from nova.policies.base import ADMIN
from nova.policies.base import PROJECT_MEMBER_OR_ADMIN
from nova.policies.base import PROJECT_READER_OR_ADMIN

S = 'os_compute_api:servers:%s'
SERVER = '/servers/{server_id}'


def _server_rules():
    crud = [
        base.rule(S % 'index', PROJECT_READER_OR_ADMIN, 'List servers.', ('GET', '/servers')),
        base.rule(S % 'detail', PROJECT_READER_OR_ADMIN, 'List servers with details.',
                  ('GET', '/servers/detail')),
        base.rule(S % 'index:get_all_tenants', ADMIN, 'List the servers of all projects.',
                  ('GET', '/servers')),
        base.rule(S % 'detail:get_all_tenants', ADMIN,
                  'List the servers of all projects with details.', ('GET', '/servers/detail')),
        base.rule(S % 'allow_all_filters', ADMIN,
                  'Filter server lists by any field, not only the ones for everyone.',
                  ('GET', '/servers'), ('GET', '/servers/detail')),
        base.rule(S % 'show', PROJECT_READER_OR_ADMIN, 'Show a server.', ('GET', SERVER)),
        base.rule(S % 'show:flavor-extra-specs', PROJECT_READER_OR_ADMIN,
                  "Show the extra specs of a server's flavor (2.47+).", ('GET', SERVER),
                  ('GET', '/servers/detail'), ('PUT', SERVER)),
        base.rule(S % 'show:host_status', ADMIN, "Show the state of a server's host (2.16+).",
                  ('GET', SERVER), ('GET', '/servers/detail'), ('PUT', SERVER)),
        base.rule(S % 'show:host_status:unknown-only', ADMIN,
                  "Show a server's host state only when it is UNKNOWN.",
                  ('GET', SERVER), ('GET', '/servers/detail'), ('PUT', SERVER)),
        base.rule(S % 'create', PROJECT_MEMBER_OR_ADMIN, 'Create a server.',
                  ('POST', '/servers')),
        base.rule(S % 'create:forced_host', ADMIN,
                  'Create a server on a named host or node (availability_zone "az:host").',
                  ('POST', '/servers')),
        base.rule(S % 'create:requested_destination', ADMIN,
                  'Create a server on a requested host or node (2.74+).',
                  ('POST', '/servers')),
        base.rule(S % 'create:attach_volume', PROJECT_MEMBER_OR_ADMIN,
                  'Create a server with block device mappings.', ('POST', '/servers')),
        base.rule(S % 'create:attach_network', PROJECT_MEMBER_OR_ADMIN,
                  'Create a server with requested networks.', ('POST', '/servers')),
        base.rule(S % 'create:trusted_certs', PROJECT_MEMBER_OR_ADMIN,
                  'Create a server with trusted image certificate ids.', ('POST', '/servers')),
        base.rule(S % 'create:zero_disk_flavor', ADMIN,
                  'Create a server from an image with a flavor of zero root disk.',
                  ('POST', '/servers')),
        base.rule(S % 'update', PROJECT_MEMBER_OR_ADMIN, 'Update a server.', ('PUT', SERVER)),
        base.rule(S % 'delete', PROJECT_MEMBER_OR_ADMIN, 'Delete a server.',
                  ('DELETE', SERVER)),
        base.rule('os_compute_api:os-extended-server-attributes', ADMIN,
                  'Show the OS-EXT-SRV-ATTR fields of servers.', ('GET', SERVER),
                  ('GET', '/servers/detail'), ('PUT', SERVER)),
        base.rule('os_compute_api:os-deferred-delete:restore', PROJECT_MEMBER_OR_ADMIN,
                  'Restore a soft-deleted server.', ('POST', SERVER + '/action (restore)')),
        base.rule('os_compute_api:os-deferred-delete:force', PROJECT_MEMBER_OR_ADMIN,
                  'Delete a soft-deleted server at once.',
                  ('POST', SERVER + '/action (forceDelete)')),
    ]
    actions = [
        ('reboot', PROJECT_MEMBER_OR_ADMIN, 'Reboot a server', 'reboot'),
        ('resize', PROJECT_MEMBER_OR_ADMIN, 'Resize a server', 'resize'),
        ('confirm_resize', PROJECT_MEMBER_OR_ADMIN, 'Confirm a resize', 'confirmResize'),
        ('revert_resize', PROJECT_MEMBER_OR_ADMIN, 'Revert a resize', 'revertResize'),
        ('rebuild', PROJECT_MEMBER_OR_ADMIN, 'Rebuild a server', 'rebuild'),
        ('rebuild:trusted_certs', PROJECT_MEMBER_OR_ADMIN,
         'Rebuild a server with trusted image certificate ids', 'rebuild'),
        ('create_image', PROJECT_MEMBER_OR_ADMIN, 'Snapshot a server', 'createImage'),
        ('create_image:allow_volume_backed', PROJECT_MEMBER_OR_ADMIN,
         'Snapshot a volume-backed server', 'createImage'),
        ('start', PROJECT_MEMBER_OR_ADMIN, 'Start a server', 'os-start'),
        ('stop', PROJECT_MEMBER_OR_ADMIN, 'Stop a server', 'os-stop'),
        ('trigger_crash_dump', PROJECT_MEMBER_OR_ADMIN,
         "Trigger a crash dump in a server's guest", 'trigger_crash_dump'),
    ]
    actions = [base.action_rule(S % name, check, text, action)
               for name, check, text, action in actions]
    migrations = [
        base.rule(S % 'migrations:%s' % name, ADMIN, text, (method, path))
        for name, text, method, path in (
            ('index', 'List the in-progress live migrations of a server.', 'GET',
             SERVER + '/migrations'),
            ('show', 'Show an in-progress live migration of a server.', 'GET',
             SERVER + '/migrations/{migration_id}'),
            ('force_complete', 'Force an in-progress live migration to complete.', 'POST',
             SERVER + '/migrations/{migration_id}/action (force_complete)'),
            ('delete', 'Abort an in-progress live migration.', 'DELETE',
             SERVER + '/migrations/{migration_id}'),
        )]
    return crud + actions + migrations


def _sub_resource_rules():
    meta = 'os_compute_api:server-metadata:%s'
    tags = 'os_compute_api:os-server-tags:%s'
    acts = 'os_compute_api:os-instance-actions:%s'
    return [
        base.rule(meta % 'index', PROJECT_READER_OR_ADMIN, "List a server's metadata.",
                  ('GET', SERVER + '/metadata')),
        base.rule(meta % 'show', PROJECT_READER_OR_ADMIN, "Show a server's metadata item.",
                  ('GET', SERVER + '/metadata/{key}')),
        base.rule(meta % 'create', PROJECT_MEMBER_OR_ADMIN, "Add to a server's metadata.",
                  ('POST', SERVER + '/metadata')),
        base.rule(meta % 'update_all', PROJECT_MEMBER_OR_ADMIN,
                  "Replace a server's metadata.", ('PUT', SERVER + '/metadata')),
        base.rule(meta % 'update', PROJECT_MEMBER_OR_ADMIN, "Set a server's metadata item.",
                  ('PUT', SERVER + '/metadata/{key}')),
        base.rule(meta % 'delete', PROJECT_MEMBER_OR_ADMIN,
                  "Delete a server's metadata item.", ('DELETE', SERVER + '/metadata/{key}')),
        base.rule(tags % 'index', PROJECT_READER_OR_ADMIN, "List a server's tags.",
                  ('GET', SERVER + '/tags')),
        base.rule(tags % 'show', PROJECT_READER_OR_ADMIN, 'Check a server tag.',
                  ('GET', SERVER + '/tags/{tag}')),
        base.rule(tags % 'update', PROJECT_MEMBER_OR_ADMIN, 'Add a server tag.',
                  ('PUT', SERVER + '/tags/{tag}')),
        base.rule(tags % 'update_all', PROJECT_MEMBER_OR_ADMIN, "Replace a server's tags.",
                  ('PUT', SERVER + '/tags')),
        base.rule(tags % 'delete', PROJECT_MEMBER_OR_ADMIN, 'Delete a server tag.',
                  ('DELETE', SERVER + '/tags/{tag}')),
        base.rule(tags % 'delete_all', PROJECT_MEMBER_OR_ADMIN, "Delete a server's tags.",
                  ('DELETE', SERVER + '/tags')),
        base.rule(acts % 'list', PROJECT_READER_OR_ADMIN, "List a server's actions.",
                  ('GET', SERVER + '/os-instance-actions')),
        base.rule(acts % 'show', PROJECT_READER_OR_ADMIN, "Show a server's action.",
                  ('GET', SERVER + '/os-instance-actions/{request_id}')),
        base.rule(acts % 'events', ADMIN, 'Show the events of a server action.',
                  ('GET', SERVER + '/os-instance-actions/{request_id}')),
        base.rule(acts % 'events:details', ADMIN,
                  'Show the host and details of server action events (2.84+).',
                  ('GET', SERVER + '/os-instance-actions/{request_id}')),
        base.rule('os_compute_api:os-server-diagnostics', ADMIN,
                  "Show a server's diagnostics.", ('GET', SERVER + '/diagnostics')),
    ]


def list_rules():
    return _server_rules() + _sub_resource_rules()
