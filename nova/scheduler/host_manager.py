"""The scheduler's view of compute hosts: one HostState per compute node, built from the
compute node and service records (through conductor), and the filter and weigher pipeline
run over those states.

Host states are built afresh for every request, so concurrent requests never share (or
consume from) the same state; the database claim is what settles races between them.
"""

import logging
import threading

from oslo_serialization import jsonutils

from nova import exception
from nova import objects
from nova import servicegroup
import nova.conf
from nova.scheduler import loadables
from nova.scheduler import utils
from nova.scheduler import weights as scheduler_weights

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Virtual machine modes a hypervisor type runs (images may ask for one with hw_vm_mode).
_VM_MODES = {'xen': ('xen', 'hvm'), 'lxc': ('exe',), 'uml': ('uml',)}
# Hypervisor types a reported type also serves: libvirt reports QEMU for qemu and kvm.
_HV_TYPE_ALIASES = {'qemu': ('qemu', 'kvm'), 'kvm': ('kvm', 'qemu')}


def _ratio(value):
    # A node that never reported a ratio is not overcommitted (the claim agrees).
    return 1.0 if value is None else value


def _cpu_info(text):
    if not text:
        return {}
    try:
        info = jsonutils.loads(text)
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def supported_instances(hypervisor_type, cpu_info):
    """[(architecture, hypervisor type, vm mode)] a node runs, derived from its report."""
    arch = cpu_info.get('arch')
    hv_type = (hypervisor_type or '').lower()
    if not arch or not hv_type:
        return []
    return [(arch, hv, mode) for hv in _HV_TYPE_ALIASES.get(hv_type, (hv_type,))
            for mode in _VM_MODES.get(hv_type, ('hvm',))]


class HostState:
    """What the scheduler knows about one compute node."""

    def __init__(self, compute_node, service, aggregates=None, instances=None):
        self.host = compute_node.host
        self.nodename = compute_node.hypervisor_hostname
        self.service = service
        # The host's aggregates (each with .metadata / ['metadata']).
        self.aggregates = list(aggregates or [])
        # uuids of the instances on this host the request refers to (group members,
        # same_host/different_host hints) and those placed by the request itself.
        self.instances = set(instances or ())
        # Upper bounds the filters computed (memory_mb, disk_gb, vcpu), for the selection.
        self.limits = {}
        self.update(compute_node)

    def update(self, compute_node):
        self.uuid = compute_node.uuid
        self.compute_node_id = compute_node.id
        self.vcpus_total = compute_node.vcpus
        self.vcpus_used = compute_node.vcpus_used
        self.total_usable_ram_mb = compute_node.memory_mb
        self.free_ram_mb = compute_node.memory_mb - compute_node.memory_mb_used
        self.total_usable_disk_gb = compute_node.local_gb
        self.free_disk_mb = (compute_node.local_gb - compute_node.local_gb_used) * 1024
        self.disk_mb_used = compute_node.local_gb_used * 1024
        self.cpu_allocation_ratio = _ratio(compute_node.cpu_allocation_ratio)
        self.ram_allocation_ratio = _ratio(compute_node.ram_allocation_ratio)
        self.disk_allocation_ratio = _ratio(compute_node.disk_allocation_ratio)
        self.num_instances = compute_node.running_vms or 0
        self.hypervisor_type = compute_node.hypervisor_type
        self.hypervisor_version = compute_node.hypervisor_version
        self.hypervisor_hostname = compute_node.hypervisor_hostname
        self.cpu_info = _cpu_info(compute_node.cpu_info)
        self.supported_instances = supported_instances(self.hypervisor_type, self.cpu_info)
        self.stats = dict(compute_node.stats or {})
        self.host_ip = compute_node.host_ip
        self.updated = compute_node.updated_at

    @property
    def is_up(self):
        return self.service is not None and servicegroup.service_is_up(self.service)

    @property
    def enabled(self):
        return self.service is not None and not self.service.disabled

    @property
    def aggregate_metadata(self):
        """{key: {values}} over the host's aggregates."""
        merged = {}
        for aggregate in self.aggregates:
            metadata = (aggregate['metadata'] if isinstance(aggregate, dict)
                        else aggregate.metadata) or {}
            for key, value in metadata.items():
                merged.setdefault(key, set()).add(value)
        return merged

    @property
    def availability_zone(self):
        zones = self.aggregate_metadata.get('availability_zone')
        return sorted(zones)[0] if zones else CONF.default_availability_zone

    def consume_from_request(self, spec_obj, instance_uuid=None):
        """Account for one instance of the request placed here, for the next instances."""
        vcpus, memory_mb, disk_gb = utils.requested_resources(spec_obj)
        self.vcpus_used += vcpus
        self.free_ram_mb -= memory_mb
        self.free_disk_mb -= disk_gb * 1024
        self.disk_mb_used += disk_gb * 1024
        self.num_instances += 1
        if instance_uuid:
            self.instances.add(instance_uuid)

    def __repr__(self):
        return '(%s, %s) ram: %sMB disk: %sMB instances: %s' % (
            self.host, self.nodename, self.free_ram_mb, self.free_disk_mb, self.num_instances)


class HostManager:
    def __init__(self):
        self._lock = threading.Lock()
        self.host_states = {}  # (host, nodename) -> HostState of the last refresh
        self.filters = self._load_filters()
        self.weighers = self._load_weighers()

    # -- plugins ----------------------------------------------------------------------------

    @staticmethod
    def _load_filters():
        available = {cls.__name__: cls for cls in loadables.load_classes(
            CONF.filter_scheduler.available_filters)}
        loaded = []
        for name in CONF.filter_scheduler.enabled_filters:
            if name not in available:
                raise exception.SchedulerHostFilterNotFound(filter_name=name)
            loaded.append(available[name]())
        return loaded

    @staticmethod
    def _load_weighers():
        try:
            classes = loadables.load_classes(CONF.filter_scheduler.weight_classes)
        except ImportError as error:
            raise exception.SchedulerHostWeigherNotFound(weigher_name=str(error)) from error
        return [cls() for cls in classes]

    # -- host states ------------------------------------------------------------------------

    def refresh(self, context, instance_uuids=()):
        """Fresh host states of every compute node. ``instance_uuids``: instances whose
        placement the request depends on, recorded on the states of their hosts."""
        view = objects.SchedulerHostView.get(context)  # one conductor call, not three
        services = {s.host: s for s in view.services}
        aggregates = self._aggregates_by_host(view.aggregates)
        placed = self._instances_by_host(context, instance_uuids)
        states = {}
        for node in view.compute_nodes:
            key = (node.host, node.hypervisor_hostname)
            states[key] = HostState(node, services.get(node.host),
                                    aggregates=aggregates.get(node.host),
                                    instances=placed.get(node.host))
        with self._lock:
            self.host_states = states
        LOG.debug('Scheduler sees %d compute nodes', len(states))
        return list(states.values())

    def get_all_host_states(self, context, instance_uuids=()):
        return self.refresh(context, instance_uuids)

    @staticmethod
    def _aggregates_by_host(aggregates):
        """{host: [aggregates]} of every host aggregate."""
        by_host = {}
        for aggregate in aggregates:
            for host in aggregate.hosts:
                by_host.setdefault(host, []).append(aggregate)
        return by_host

    @staticmethod
    def _instances_by_host(context, instance_uuids):
        """{host: {uuids}} of the named live instances that have a host."""
        if not instance_uuids:
            return {}
        found = objects.InstanceList.get_by_filters(
            context.elevated(), {'uuid': sorted(instance_uuids), 'deleted': False})
        by_host = {}
        for instance in found:
            if instance.host:
                by_host.setdefault(instance.host, set()).add(instance.uuid)
        return by_host

    # -- the pipeline -----------------------------------------------------------------------

    def get_filtered_hosts(self, host_states, spec_obj):
        """The hosts the request may use, after ignore/force/destination/retry narrowing
        and (unless hosts are forced) the enabled filters."""
        hosts = self._narrow(host_states, spec_obj)
        if _forced(spec_obj):
            # An admin forcing a host skips the filters; the claim still checks room.
            return hosts
        for host_filter in self.filters:
            hosts = host_filter.filter_all(hosts, spec_obj)
            LOG.debug('%s left %d host(s)', type(host_filter).__name__, len(hosts))
            if not hosts:
                LOG.info('No host passed %s', type(host_filter).__name__)
                break
        return hosts

    @staticmethod
    def _narrow(host_states, spec_obj):
        ignored = {h.lower() for h in _spec_list(spec_obj, 'ignore_hosts')}
        tried = utils.tried_hosts(spec_obj)
        hosts = [h for h in host_states if h.host.lower() not in ignored and
                 (h.host, h.nodename) not in tried]
        force_hosts = {h.lower() for h in _spec_list(spec_obj, 'force_hosts')}
        force_nodes = {n.lower() for n in _spec_list(spec_obj, 'force_nodes')}
        if force_hosts:
            hosts = [h for h in hosts if h.host.lower() in force_hosts]
        if force_nodes:
            hosts = [h for h in hosts if (h.nodename or '').lower() in force_nodes]
        destination = spec_obj.requested_destination if 'requested_destination' in \
            spec_obj else None
        if destination:
            if destination.get('host'):
                hosts = [h for h in hosts if h.host == destination['host']]
            if destination.get('node'):
                hosts = [h for h in hosts if h.nodename == destination['node']]
        return hosts

    def get_weighed_hosts(self, host_states, spec_obj):
        """WeighedHosts, best first."""
        return scheduler_weights.weigh(self.weighers, host_states, spec_obj)


def _spec_list(spec_obj, name):
    return (getattr(spec_obj, name) if name in spec_obj else None) or []


def _forced(spec_obj):
    return bool(_spec_list(spec_obj, 'force_hosts') or _spec_list(spec_obj, 'force_nodes'))

