"""The scheduler's view of compute hosts: one HostState per compute node, refreshed from
the compute node and service records (through conductor)."""

import logging
import threading

from nova import objects
from nova import servicegroup

LOG = logging.getLogger(__name__)


class HostState:
    """What the scheduler knows about one compute node."""

    def __init__(self, compute_node, service):
        self.host = compute_node.host
        self.nodename = compute_node.hypervisor_hostname
        self.uuid = compute_node.uuid
        self.service = service
        self.update(compute_node)

    def update(self, compute_node):
        self.vcpus_total = compute_node.vcpus
        self.vcpus_used = compute_node.vcpus_used
        self.total_usable_ram_mb = compute_node.memory_mb
        self.free_ram_mb = compute_node.free_ram_mb
        self.total_usable_disk_gb = compute_node.local_gb
        self.free_disk_mb = compute_node.free_disk_gb * 1024
        self.cpu_allocation_ratio = compute_node.cpu_allocation_ratio
        self.ram_allocation_ratio = compute_node.ram_allocation_ratio
        self.disk_allocation_ratio = compute_node.disk_allocation_ratio
        self.num_instances = compute_node.running_vms
        self.updated = compute_node.updated_at

    @property
    def is_up(self):
        return self.service is not None and servicegroup.service_is_up(self.service)

    @property
    def enabled(self):
        return self.service is not None and not self.service.disabled

    def __repr__(self):
        return '(%s, %s) ram: %sMB disk: %sMB instances: %s' % (
            self.host, self.nodename, self.free_ram_mb, self.free_disk_mb, self.num_instances)


class HostManager:
    def __init__(self):
        self._lock = threading.Lock()
        self.host_states = {}  # (host, nodename) -> HostState

    def refresh(self, context):
        services = {s.host: s for s in objects.ServiceList.get_by_binary(
            context, 'nova-compute', include_disabled=True)}
        states = {}
        for node in objects.ComputeNodeList.get_all(context):
            key = (node.host, node.hypervisor_hostname)
            state = self.host_states.get(key)
            if state is None:
                state = HostState(node, services.get(node.host))
            else:
                state.service = services.get(node.host)
                state.update(node)
            states[key] = state
        with self._lock:
            self.host_states = states
        LOG.debug('Scheduler sees %d compute nodes', len(states))
        return list(states.values())

    def get_all_host_states(self, context):
        return self.refresh(context)
