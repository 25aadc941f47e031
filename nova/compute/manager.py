"""nova-compute's RPC endpoint and periodic tasks.

Version history:
    1.0 - initial: get_host_uptime, build_and_run_instance, terminate_instance
    1.1 - get_diagnostics, get_instance_diagnostics
    1.3 - moves (nova.compute.moves): prep_resize, resize_instance, finish_resize,
          confirm_resize, revert_resize, finish_revert_resize,
          check_can_live_migrate_destination, live_migration, pre_live_migration,
          post_live_migration_at_destination, live_migration_force_complete,
          live_migration_abort, evacuate_instance
"""

import logging
import sys

import oslo_messaging as messaging
from oslo_utils import timeutils

from nova import exception
from nova import manager
from nova import objects
from nova.compute import moves
from nova.compute import power_state
from nova.compute import resource_tracker
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova.conductor import rpcapi as conductor_rpcapi
import nova.conf
from nova.virt import driver as virt_driver

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeManager(moves.MovesMixin, manager.Manager):
    target = messaging.Target(version='1.3')
    service_name = 'compute'

    def __init__(self, host=None, compute_driver=None):
        super().__init__(host=host)
        self.driver = virt_driver.load_compute_driver(compute_driver=compute_driver)
        self.rt = resource_tracker.ResourceTracker(self.host, self.driver)
        self.service_ref = None

    def init_host(self):
        self.driver.init_host(host=self.host)

    def pre_start_hook(self, service_ref):
        # Report the compute node before taking requests: the scheduler can place
        # instances here as soon as the service shows up.
        self.service_ref = service_ref
        self.recover_moves(service_ref._context)
        self.rt.update_available_resource(service_ref._context, service_ref.id)

    def cleanup_host(self):
        self.driver.cleanup_host(host=self.host)

    def get_host_uptime(self, context):
        """RPC: the hypervisor host's `uptime` line."""
        return self.driver.get_host_uptime()

    # -- diagnostics ------------------------------------------------------------------------

    @messaging.expected_exceptions(NotImplementedError, exception.InstanceInvalidState)
    def get_diagnostics(self, context, instance):
        """RPC: the running guest's diagnostics in the driver's own shape."""
        self._check_running(instance)
        return self.driver.get_diagnostics(instance)

    @messaging.expected_exceptions(NotImplementedError, exception.InstanceInvalidState)
    def get_instance_diagnostics(self, context, instance):
        """RPC: the running guest's standardized diagnostics, as a dict."""
        self._check_running(instance)
        return self.driver.get_instance_diagnostics(instance).to_dict()

    def _check_running(self, instance):
        """Diagnostics come from a running guest: InstanceInvalidState otherwise (a guest
        the hypervisor does not know counts as 'pending', no state yet)."""
        try:
            state = self.driver.get_info(instance)['state']
        except exception.InstanceNotFound:
            state = power_state.NOSTATE
        if state != power_state.RUNNING:
            raise exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='power state',
                state=power_state.STATE_MAP.get(state, 'pending'), method='get_diagnostics')

    # -- building ---------------------------------------------------------------------------

    def build_and_run_instance(self, context, instance, node, request_spec, image,
                               admin_password, requested_networks, block_device_mapping,
                               retry):
        """RPC (cast): spawn the instance the scheduler placed here.

        A failure gives the claim back and asks conductor to try another host; an instance
        deleted while building is cleaned up and dropped.
        """
        compute_utils.notify_about_instance_usage(context, instance, 'create.start')
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute__do_build_and_run_instance'):
                self._build(context, instance, image, admin_password)
        except (exception.InstanceNotFound, exception.UnexpectedDeletingTaskStateError):
            LOG.info('Instance %s was deleted while it was building', instance.uuid)
            self._cleanup_guest(context, instance)
            return
        except Exception as error:
            self._reschedule(context, instance, error, sys.exc_info(), request_spec, image,
                             admin_password, requested_networks, block_device_mapping,
                             retry)
            return
        compute_utils.notify_about_instance_usage(context, instance, 'create.end')
        LOG.info('Instance %s is ACTIVE on %s', instance.uuid, self.host)

    def _build(self, context, instance, image, admin_password):
        for task in (task_states.NETWORKING, task_states.BLOCK_DEVICE_MAPPING,
                     task_states.SPAWNING):
            expected = instance.task_state
            instance.task_state = task
            instance.save(expected_task_state=expected)
        self.driver.spawn(context, instance, image, admin_password=admin_password,
                          network_info=[])
        instance.power_state = self.driver.get_info(instance)['state']
        instance.vm_state = vm_states.ACTIVE
        instance.task_state = None
        instance.launched_at = timeutils.utcnow()
        instance.save(expected_task_state=task_states.SPAWNING)

    def _reschedule(self, context, instance, error, exc_info, request_spec, image,
                    admin_password, requested_networks, block_device_mapping, retry):
        LOG.warning('Build of instance %s failed on %s, rescheduling: %s', instance.uuid,
                    self.host, error, exc_info=exc_info)
        self._cleanup_guest(context, instance)
        compute_utils.add_instance_fault_from_exc(context, instance, error, exc_info)
        compute_utils.notify_about_instance_usage(context, instance, 'create.error',
                                                  message=str(error))
        try:
            self._unclaim(context, instance)
            instance.refresh()
            instance.task_state = task_states.SCHEDULING
            instance.save()
        except exception.InstanceNotFound:
            return
        conductor_rpcapi.ComputeTaskAPI().build_instances(
            context, instance, request_spec, image, admin_password, requested_networks,
            block_device_mapping, retry)

    def _cleanup_guest(self, context, instance):
        try:
            self.driver.destroy(context, instance)
        except Exception:
            LOG.exception('Could not clean up the guest of instance %s', instance.uuid)

    def _node(self, nodename):
        return self.rt.compute_nodes.get(nodename)

    def _unclaim(self, context, instance):
        node = self._node(instance.node)
        if node is not None:
            objects.ComputeNode.unclaim_for_instance(
                context, node.uuid, instance.uuid, instance.vcpus, instance.memory_mb,
                instance.root_gb + instance.ephemeral_gb)

    # -- deleting ---------------------------------------------------------------------------

    def terminate_instance(self, context, instance):
        """RPC (cast): destroy the guest, delete the instance, give its resources back."""
        compute_utils.notify_about_instance_usage(context, instance, 'delete.start')
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_terminate_instance'):
            self.driver.destroy(context, instance)
            instance.vm_state = vm_states.DELETED
            instance.task_state = None
            instance.power_state = power_state.NOSTATE
            instance.terminated_at = timeutils.utcnow()
            instance.save(expected_task_state=task_states.DELETING)
            instance.destroy()
        self.release_node_usage(context, instance.node)
        compute_utils.notify_about_instance_usage(context, instance, 'delete.end')
        LOG.info('Instance %s deleted from %s', instance.uuid, self.host)

    def release_node_usage(self, context, nodename):
        """Recount the node's usage now, so the scheduler sees the room at once."""
        node = self._node(nodename)
        if node is not None:
            self.rt.recount_usage(context, node)

    @manager.periodic_task(spacing_option='update_resources_interval')
    def update_available_resource(self, context):
        self.rt.update_available_resource(context, self.service_ref.id)

    @manager.periodic_task(spacing_option='resize_confirm_window')
    def poll_unconfirmed_resizes(self, context):
        """Confirm finished resizes older than [DEFAULT] resize_confirm_window."""
        self._poll_unconfirmed_resizes(context)
