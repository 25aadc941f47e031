"""Keeps each node's compute node record true: capacity from the driver, usage from the
instances the database places on the node."""

import collections
import logging

from oslo_utils import uuidutils

from nova import exception
from nova import objects
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Instances in these vm states hold no resources on their host.
_NOT_CONSUMING = ('deleted', 'shelved_offloaded')
# Task states that count as work in progress (compute node current_workload).
_BUSY_TASK_STATES = ('scheduling', 'block_device_mapping', 'networking', 'spawning',
                     'resize_migrating', 'resize_migrated', 'resize_prep', 'resize_finish',
                     'rebuilding', 'rebuild_spawning', 'image_snapshot', 'image_uploading',
                     'migrating')


class ResourceTracker:
    def __init__(self, host, driver):
        self.host = host
        self.driver = driver
        self.compute_nodes = {}  # nodename -> ComputeNode

    def update_available_resource(self, context, service_id):
        """Refresh every node of this host; drop records of nodes the driver no longer has."""
        nodes = self.driver.get_available_nodes(refresh=True)
        for nodename in nodes:
            self._update_node(context, nodename, service_id)
        for nodename in set(self.compute_nodes) - set(nodes):
            LOG.info('Compute node %s of host %s is gone from the driver; deleting its '
                     'record', nodename, self.host)
            self.compute_nodes.pop(nodename).destroy()

    def _update_node(self, context, nodename, service_id):
        resources = self.driver.get_available_resource(nodename)
        node = self.compute_nodes.get(nodename) or self._get_or_create(
            context, nodename, service_id, resources)
        self._apply_capacity(node, resources)
        if node.obj_what_changed():
            node.save()
        self.recount_usage(context, node)
        self._apply_activity(node, self._instances_on(context, nodename))
        if node.obj_what_changed():
            node.save()
        self.compute_nodes[nodename] = node

    @staticmethod
    def recount_usage(context, node):
        """Usage of the node recounted from its instances, in the database under the node's
        row lock: a claim landing between a count here and a write would otherwise be
        undone."""
        node.update_usage_from_instances(CONF.reserved_host_memory_mb,
                                         CONF.reserved_host_disk_mb // 1024, _NOT_CONSUMING)

    def _get_or_create(self, context, nodename, service_id, resources):
        try:
            return objects.ComputeNode.get_by_host_and_nodename(context, self.host, nodename)
        except exception.ComputeHostNotFound:
            pass
        node = objects.ComputeNode(
            context, uuid=uuidutils.generate_uuid(), host=self.host, service_id=service_id,
            cpu_allocation_ratio=CONF.initial_cpu_allocation_ratio,
            ram_allocation_ratio=CONF.initial_ram_allocation_ratio,
            disk_allocation_ratio=CONF.initial_disk_allocation_ratio)
        self._apply_capacity(node, resources)
        self._apply_usage(node, [])
        node.create()
        LOG.info('Created compute node record %s for %s/%s', node.uuid, self.host, nodename)
        return node

    @staticmethod
    def _set(node, field, value):
        # Only real changes are marked dirty, so an idle host costs no database write.
        if not node.obj_attr_is_set(field) or getattr(node, field) != value:
            setattr(node, field, value)

    def _apply_capacity(self, node, resources):
        for field in ('vcpus', 'memory_mb', 'local_gb', 'hypervisor_type',
                      'hypervisor_version', 'hypervisor_hostname', 'cpu_info',
                      'disk_available_least'):
            self._set(node, field, resources[field])
        if resources.get('host_ip'):
            self._set(node, 'host_ip', resources['host_ip'])
        for kind in ('cpu', 'ram', 'disk'):
            configured = getattr(CONF, '%s_allocation_ratio' % kind)
            if configured is not None:
                self._set(node, '%s_allocation_ratio' % kind, configured)

    def _instances_on(self, context, nodename):
        return [inst for inst in objects.InstanceList.get_by_host_and_node(
                context, self.host, nodename) if inst.vm_state not in _NOT_CONSUMING]

    def _apply_usage(self, node, instances):
        """Usage of a new node record (an existing one is recounted in the database)."""
        memory_used = CONF.reserved_host_memory_mb + sum(i.memory_mb for i in instances)
        disk_used = CONF.reserved_host_disk_mb // 1024 + sum(
            i.root_gb + i.ephemeral_gb for i in instances)
        vcpus_used = sum(i.vcpus for i in instances)
        self._set(node, 'memory_mb_used', memory_used)
        self._set(node, 'local_gb_used', disk_used)
        self._set(node, 'vcpus_used', vcpus_used)
        self._set(node, 'free_ram_mb', node.memory_mb - memory_used)
        self._set(node, 'free_disk_gb', node.local_gb - disk_used)
        self._set(node, 'running_vms', len(instances))
        self._apply_activity(node, instances)

    def _apply_activity(self, node, instances):
        """current_workload and stats: informative, not guarded by claims."""
        self._set(node, 'current_workload',
                  sum(1 for i in instances if i.task_state in _BUSY_TASK_STATES))
        self._set(node, 'stats', self._stats(instances))

    @staticmethod
    def _stats(instances):
        counts = collections.Counter()
        for inst in instances:
            counts['num_instances'] += 1
            counts['num_vm_%s' % inst.vm_state] += 1
            counts['num_task_%s' % inst.task_state] += 1
            counts['num_proj_%s' % inst.project_id] += 1
            counts['num_os_type_%s' % inst.os_type] += 1
        counts.setdefault('num_instances', 0)
        counts['io_workload'] = sum(1 for i in instances if i.task_state in _BUSY_TASK_STATES)
        return {key: str(value) for key, value in counts.items()}
