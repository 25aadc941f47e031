"""Hypervisors (compute nodes) as /os-hypervisors shows them, per microversion."""

from oslo_serialization import jsonutils

from nova import servicegroup
from nova.api.openstack import api_version_request

CPU_INFO_OBJECT_MIN_VERSION = '2.28'
UUID_FOR_ID_MIN_VERSION = '2.53'
SERVERS_ALWAYS_MIN_VERSION = '2.75'
PLACEMENT_FIELDS_GONE_VERSION = '2.88'

# Resource figures dropped at 2.88 (placement is where they are read from).
RESOURCE_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
                   'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload',
                   'running_vms', 'disk_available_least')


def uses_uuids(req):
    return api_version_request.is_supported(req, UUID_FOR_ID_MIN_VERSION)


def summary(req, node, service, servers=None, with_servers=False):
    """id, hypervisor_hostname, state, status (and the servers, when asked for)."""
    view = {
        'id': node.uuid if uses_uuids(req) else node.id,
        'hypervisor_hostname': node.hypervisor_hostname,
        'state': 'up' if servicegroup.service_is_up(service) else 'down',
        'status': 'disabled' if service.disabled else 'enabled',
    }
    if servers:
        view['servers'] = [{'name': server.name, 'uuid': server.uuid} for server in servers]
    elif with_servers and api_version_request.is_supported(req, SERVERS_ALWAYS_MIN_VERSION):
        view['servers'] = []
    return view


def detail(req, node, service, servers=None, with_servers=False, uptime=None):
    """The summary plus the node's details; ``uptime`` is shown from 2.88 on."""
    view = summary(req, node, service, servers, with_servers)
    view.update({
        'hypervisor_type': node.hypervisor_type,
        'hypervisor_version': node.hypervisor_version,
        'host_ip': str(node.host_ip) if node.host_ip is not None else None,
        'service': {
            'id': service.uuid if uses_uuids(req) else service.id,
            'host': node.host,
            'disabled_reason': service.disabled_reason,
        },
    })
    if api_version_request.is_supported(req, PLACEMENT_FIELDS_GONE_VERSION):
        view['uptime'] = uptime
        return view
    for field in RESOURCE_FIELDS:
        view[field] = getattr(node, field)
    if api_version_request.is_supported(req, CPU_INFO_OBJECT_MIN_VERSION):
        view['cpu_info'] = jsonutils.loads(node.cpu_info) if node.cpu_info else {}
    else:
        view['cpu_info'] = node.cpu_info
    return view
