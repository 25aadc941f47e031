"""The operator APIs: services, hypervisors, zones, aggregates, limits and quotas, usage."""

from nova.policies import base
from nova.policies.base import ADMIN
from nova.policies.base import ANY
from nova.policies.base import PROJECT_MEMBER
from nova.policies.base import PROJECT_MEMBER_OR_ADMIN
from nova.policies.base import PROJECT_READER_OR_ADMIN
from nova.policies.base import SERVICE_OR_ADMIN

P = 'os_compute_api:%s'


def _admin_rules(prefix, entries):
    return [base.rule(P % (prefix + name), ADMIN, text, (method, path))
            for name, text, method, path in entries]


def list_rules():
    rules = _admin_rules('os-services:', (
        ('list', 'List compute services.', 'GET', '/os-services'),
        ('update', 'Enable, disable or force down a service.', 'PUT', '/os-services/{id}'),
        ('delete', 'Delete a compute service.', 'DELETE', '/os-services/{id}'),
    ))
    rules += _admin_rules('os-hypervisors:', (
        ('list', 'List hypervisors.', 'GET', '/os-hypervisors'),
        ('list-detail', 'List hypervisors with details.', 'GET', '/os-hypervisors/detail'),
        ('statistics', 'Show hypervisor statistics.', 'GET', '/os-hypervisors/statistics'),
        ('show', 'Show a hypervisor.', 'GET', '/os-hypervisors/{hypervisor_id}'),
        ('uptime', "Show a hypervisor's uptime.", 'GET',
         '/os-hypervisors/{hypervisor_id}/uptime'),
        ('search', 'Search hypervisors by host name.', 'GET',
         '/os-hypervisors/{hypervisor_hostname_pattern}/search'),
        ('servers', "List a hypervisor's servers.", 'GET',
         '/os-hypervisors/{hypervisor_hostname_pattern}/servers'),
    ))
    rules += _admin_rules('os-aggregates:', (
        ('index', 'List host aggregates.', 'GET', '/os-aggregates'),
        ('create', 'Create a host aggregate.', 'POST', '/os-aggregates'),
        ('show', 'Show a host aggregate.', 'GET', '/os-aggregates/{aggregate_id}'),
        ('update', 'Update a host aggregate.', 'PUT', '/os-aggregates/{aggregate_id}'),
        ('delete', 'Delete a host aggregate.', 'DELETE', '/os-aggregates/{aggregate_id}'),
        ('add_host', 'Add a host to an aggregate.', 'POST',
         '/os-aggregates/{aggregate_id}/action (add_host)'),
        ('remove_host', 'Remove a host from an aggregate.', 'POST',
         '/os-aggregates/{aggregate_id}/action (remove_host)'),
        ('set_metadata', "Set an aggregate's metadata.", 'POST',
         '/os-aggregates/{aggregate_id}/action (set_metadata)'),
        ('images', "Pre-cache images on an aggregate's hosts (2.81+).", 'POST',
         '/os-aggregates/{aggregate_id}/images'),
    ))
    rules += _admin_rules('os-quota-sets:', (
        ('update', "Update a project's quotas.", 'PUT', '/os-quota-sets/{tenant_id}'),
        ('delete', "Revert a project's quotas to the defaults.", 'DELETE',
         '/os-quota-sets/{tenant_id}'),
    ))
    rules += _admin_rules('os-quota-class-sets:', (
        ('show', 'Show a quota class.', 'GET', '/os-quota-class-sets/{id}'),
        ('update', 'Update a quota class.', 'PUT', '/os-quota-class-sets/{id}'),
    ))
    rules += _admin_rules('os-instance-usage-audit-log:', (
        ('list', 'List usage audits.', 'GET', '/os-instance-usage-audit-log'),
        ('show', 'Show usage audits before a time.', 'GET',
         '/os-instance-usage-audit-log/{before_timestamp}'),
    ))
    rules += [
        base.rule(P % 'os-availability-zone:list', ANY, 'List availability zones.',
                  ('GET', '/os-availability-zone')),
        base.rule(P % 'os-availability-zone:detail', ADMIN,
                  'List availability zones with their hosts.',
                  ('GET', '/os-availability-zone/detail')),
        base.rule(P % 'limits', ANY, "Show the caller's limits.", ('GET', '/limits')),
        base.rule(P % 'limits:other_project', ADMIN, "Show another project's limits.",
                  ('GET', '/limits')),
        base.rule(P % 'os-quota-sets:show', PROJECT_READER_OR_ADMIN, "Show a project's quotas.",
                  ('GET', '/os-quota-sets/{tenant_id}')),
        base.rule(P % 'os-quota-sets:detail', PROJECT_READER_OR_ADMIN,
                  "Show a project's quotas with usage.",
                  ('GET', '/os-quota-sets/{tenant_id}/detail')),
        base.rule(P % 'os-quota-sets:defaults', ANY, 'Show the default quotas.',
                  ('GET', '/os-quota-sets/{tenant_id}/defaults')),
        base.rule(P % 'os-simple-tenant-usage:show', PROJECT_READER_OR_ADMIN,
                  "Show a project's usage.", ('GET', '/os-simple-tenant-usage/{tenant_id}')),
        base.rule(P % 'os-simple-tenant-usage:list', ADMIN, "List every project's usage.",
                  ('GET', '/os-simple-tenant-usage')),
        base.rule(P % 'os-server-external-events:create', SERVICE_OR_ADMIN,
                  'Deliver external events (from the network or volume service).',
                  ('POST', '/os-server-external-events')),
        base.rule(P % 'os-server-groups:create', PROJECT_MEMBER, 'Create a server group.',
                  ('POST', '/os-server-groups')),
        base.rule(P % 'os-server-groups:delete', PROJECT_MEMBER_OR_ADMIN,
                  'Delete a server group.', ('DELETE', '/os-server-groups/{server_group_id}')),
        base.rule(P % 'os-server-groups:index', PROJECT_READER_OR_ADMIN,
                  "List the project's server groups.", ('GET', '/os-server-groups')),
        base.rule(P % 'os-server-groups:index:all_projects', ADMIN,
                  'List the server groups of all projects.', ('GET', '/os-server-groups')),
        base.rule(P % 'os-server-groups:show', PROJECT_READER_OR_ADMIN,
                  'Show a server group.', ('GET', '/os-server-groups/{server_group_id}')),
    ]
    return rules
