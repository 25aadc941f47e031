"""nova-compute's RPC endpoint and periodic tasks.

Version history:
    1.0 - initial: get_host_uptime, build_and_run_instance, terminate_instance
    1.1 - get_diagnostics, get_instance_diagnostics
    1.4 - rebuild_instance, snapshot_instance, backup_instance, shelve_instance,
          shelve_offload_instance, unshelve_instance
"""

import logging
import sys

import oslo_messaging as messaging
from oslo_utils import timeutils

from nova import exception
from nova import manager
from nova import objects
from nova.compute import power_state
from nova.compute import resource_tracker
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova.conductor import rpcapi as conductor_rpcapi
import nova.conf
from nova.image import api as image_api
from nova.virt import driver as virt_driver

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeManager(manager.Manager):
    target = messaging.Target(version='1.4')
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

    # -- shared by rebuild, snapshots and shelving ----------------------------------------

    def _fail_task(self, context, instance, error, exc_info, vm_state=None):
        """Record the fault and leave the task (ERROR too when ``vm_state`` says so): no
        instance stays in a task state after a failure."""
        LOG.error('%s of instance %s failed: %s', instance.task_state, instance.uuid, error,
                  exc_info=exc_info)
        try:
            compute_utils.add_instance_fault_from_exc(context, instance, error, exc_info)
            instance.refresh()
            if vm_state:
                instance.vm_state = vm_state
            instance.task_state = None
            instance.save()
        except exception.InstanceNotFound:
            pass

    def _power_state(self, instance):
        try:
            return self.driver.get_info(instance)['state']
        except exception.InstanceNotFound:
            return power_state.NOSTATE

    @staticmethod
    def _task_updater(instance, first_expected, names=None):
        """The update_task_state callback a driver's snapshot calls: ``first_expected``
        is the task state before the driver's first update; ``names`` maps the snapshot
        task states to the ones this task shows (shelving has its own)."""
        names = names or {}

        def update_task_state(task_state, expected_state=None):
            instance.task_state = names.get(task_state, task_state)
            expected = (names.get(expected_state, expected_state) if expected_state
                        else first_expected)
            instance.save(expected_task_state=expected)
        return update_task_state

    @staticmethod
    def _delete_image_quietly(context, image_id):
        try:
            image_api.API().delete(context, image_id)
        except exception.NovaException as error:
            LOG.warning('Could not delete image %s: %s', image_id, error)

    # -- rebuild ----------------------------------------------------------------------------

    def rebuild_instance(self, context, instance, image, admin_password, injected_files,
                         preserve_ephemeral):
        """RPC (cast): destroy the guest and spawn it again from ``image`` on this host.

        A stopped instance stays stopped; a failure leaves it in ERROR with a fault.
        """
        compute_utils.notify_about_instance_usage(context, instance, 'rebuild.start')
        keep_stopped = instance.vm_state == vm_states.STOPPED
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_rebuild_instance'):
                self.driver.destroy(context, instance, destroy_disks=not preserve_ephemeral)
                for task in (task_states.REBUILD_BLOCK_DEVICE_MAPPING,
                             task_states.REBUILD_SPAWNING):
                    expected = instance.task_state
                    instance.task_state = task
                    instance.save(expected_task_state=expected)
                self.driver.spawn(context, instance, image, injected_files=injected_files,
                                  admin_password=admin_password, network_info=[])
                if keep_stopped:
                    self.driver.power_off(instance)
                instance.power_state = self._power_state(instance)
                instance.vm_state = vm_states.STOPPED if keep_stopped else vm_states.ACTIVE
                instance.task_state = None
                instance.launched_at = timeutils.utcnow()
                instance.save(expected_task_state=task_states.REBUILD_SPAWNING)
        except (exception.InstanceNotFound, exception.UnexpectedDeletingTaskStateError):
            LOG.info('Instance %s was deleted while it was rebuilding', instance.uuid)
            return
        except Exception as error:
            self._fail_task(context, instance, error, sys.exc_info(), vm_states.ERROR)
            compute_utils.notify_about_instance_usage(context, instance, 'rebuild.error',
                                                      message=str(error))
            return
        compute_utils.notify_about_instance_usage(context, instance, 'rebuild.end')

    # -- snapshots and backups --------------------------------------------------------------

    def snapshot_instance(self, context, instance, image_id):
        """RPC (cast): fill the queued image ``image_id`` with the instance's disk."""
        self._snapshot(context, instance, image_id, task_states.IMAGE_SNAPSHOT,
                       'compute_snapshot_instance')

    def backup_instance(self, context, instance, image_id, backup_type, rotation):
        """RPC (cast): a snapshot, then only the newest ``rotation`` backups of this type
        are kept (0: none, this one included)."""
        if self._snapshot(context, instance, image_id, task_states.IMAGE_BACKUP,
                          'compute_backup_instance'):
            self._rotate_backups(context, instance, backup_type, rotation)

    def _snapshot(self, context, instance, image_id, expected_task_state, event):
        """True when the image was uploaded; otherwise the image is deleted, the fault
        recorded and the task left."""
        compute_utils.notify_about_instance_usage(context, instance, 'snapshot.start',
                                                  image_id=image_id)
        try:
            with compute_utils.event_reporter(context, instance.uuid, event):
                instance.task_state = task_states.IMAGE_SNAPSHOT_PENDING
                instance.save(expected_task_state=expected_task_state)
                self.driver.snapshot(context, instance, image_id, self._task_updater(
                    instance, task_states.IMAGE_SNAPSHOT_PENDING))
                instance.task_state = None
                instance.save(expected_task_state=task_states.IMAGE_UPLOADING)
        except (exception.InstanceNotFound, exception.UnexpectedDeletingTaskStateError):
            LOG.info('Instance %s was deleted during its snapshot', instance.uuid)
            self._delete_image_quietly(context, image_id)
            return False
        except Exception as error:
            self._delete_image_quietly(context, image_id)
            self._fail_task(context, instance, error, sys.exc_info())
            return False
        compute_utils.notify_about_instance_usage(context, instance, 'snapshot.end',
                                                  image_id=image_id)
        return True

    @staticmethod
    def _rotate_backups(context, instance, backup_type, rotation):
        images = image_api.API().list(context, filters={'properties': {
            'instance_uuid': instance.uuid, 'image_type': 'backup',
            'backup_type': backup_type}}, sort_keys=['created_at'], sort_dirs=['desc'])
        for image in images[rotation:]:
            LOG.info('Rotating out backup %s of instance %s', image['id'], instance.uuid)
            ComputeManager._delete_image_quietly(context, image['id'])

    # -- shelving ---------------------------------------------------------------------------

    _SHELVING_TASK_NAMES = {
        task_states.IMAGE_PENDING_UPLOAD: task_states.SHELVING_IMAGE_PENDING_UPLOAD,
        task_states.IMAGE_UPLOADING: task_states.SHELVING_IMAGE_UPLOADING,
    }

    def shelve_instance(self, context, instance, image_id, clean_shutdown=True):
        """RPC (cast): stop the guest, snapshot it into ``image_id``: SHELVED. With
        [DEFAULT] shelved_offload_time = 0 the host is freed at once."""
        compute_utils.notify_about_instance_usage(context, instance, 'shelve.start')
        offload_now = CONF.shelved_offload_time == 0
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_shelve_instance'):
                self.driver.power_off(instance)
                instance.power_state = self._power_state(instance)
                self.driver.snapshot(context, instance, image_id, self._task_updater(
                    instance, task_states.SHELVING, self._SHELVING_TASK_NAMES))
                system_metadata = dict(instance.system_metadata)
                system_metadata.update(shelved_at=timeutils.utcnow().isoformat(),
                                       shelved_image_id=image_id, shelved_host=self.host)
                instance.system_metadata = system_metadata
                instance.vm_state = vm_states.SHELVED
                instance.task_state = (task_states.SHELVING_OFFLOADING if offload_now
                                       else None)
                instance.save(expected_task_state=task_states.SHELVING_IMAGE_UPLOADING)
        except (exception.InstanceNotFound, exception.UnexpectedDeletingTaskStateError):
            LOG.info('Instance %s was deleted while shelving', instance.uuid)
            self._delete_image_quietly(context, image_id)
            return
        except Exception as error:
            self._delete_image_quietly(context, image_id)
            self._fail_task(context, instance, error, sys.exc_info())
            return
        compute_utils.notify_about_instance_usage(context, instance, 'shelve.end')
        if offload_now:
            self._shelve_offload(context, instance)

    def shelve_offload_instance(self, context, instance, clean_shutdown=True):
        """RPC (cast): remove the shelved instance's guest and free this host."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_shelve_offload_instance'):
            self._shelve_offload(context, instance)

    def _shelve_offload(self, context, instance):
        compute_utils.notify_about_instance_usage(context, instance, 'shelve_offload.start')
        node = instance.node
        try:
            self.driver.destroy(context, instance)
            instance.power_state = power_state.NOSTATE
            instance.host = None
            instance.node = None
            instance.vm_state = vm_states.SHELVED_OFFLOADED
            instance.task_state = None
            instance.save(expected_task_state=task_states.SHELVING_OFFLOADING)
        except (exception.InstanceNotFound, exception.UnexpectedDeletingTaskStateError):
            LOG.info('Instance %s was deleted while offloading', instance.uuid)
            return
        except Exception as error:
            self._fail_task(context, instance, error, sys.exc_info())
            raise
        self.release_node_usage(context, node)
        compute_utils.notify_about_instance_usage(context, instance, 'shelve_offload.end')
        LOG.info('Instance %s offloaded from %s', instance.uuid, self.host)

    @manager.periodic_task(spacing_option='shelved_poll_interval')
    def poll_shelved_instances(self, context):
        """Offload the instances shelved here longer than [DEFAULT] shelved_offload_time
        (when it is positive)."""
        if CONF.shelved_offload_time <= 0:
            return
        now = timeutils.utcnow()
        for instance in objects.InstanceList.get_by_host(context, self.host):
            if instance.vm_state != vm_states.SHELVED or instance.task_state is not None:
                continue
            shelved_at = instance.system_metadata.get('shelved_at')
            try:
                shelved_at = timeutils.normalize_time(timeutils.parse_isotime(shelved_at))
            except (TypeError, ValueError):
                continue
            if (now - shelved_at).total_seconds() < CONF.shelved_offload_time:
                continue
            try:
                instance.task_state = task_states.SHELVING_OFFLOADING
                instance.save(expected_task_state=None)
                self._shelve_offload(context, instance)
            except Exception:
                LOG.exception('Could not offload shelved instance %s', instance.uuid)

    def unshelve_instance(self, context, instance, image=None, node=None):
        """RPC (cast): start a SHELVED instance's guest again, or spawn an offloaded one
        on the node the scheduler claimed; then delete the shelved image. A failure
        leaves the instance shelved (an offloaded one gives its claim back)."""
        compute_utils.notify_about_instance_usage(context, instance, 'unshelve.start')
        offloaded = instance.vm_state == vm_states.SHELVED_OFFLOADED
        system_metadata = dict(instance.system_metadata)
        image_id = system_metadata.get('shelved_image_id')
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_unshelve_instance'):
                instance.task_state = task_states.SPAWNING
                instance.save(expected_task_state=task_states.UNSHELVING)
                if offloaded:
                    self.driver.spawn(context, instance, image or {}, network_info=[])
                else:
                    self.driver.power_on(context, instance, network_info=[])
                for key in ('shelved_at', 'shelved_image_id', 'shelved_host'):
                    system_metadata.pop(key, None)
                instance.system_metadata = system_metadata
                instance.power_state = self._power_state(instance)
                instance.vm_state = vm_states.ACTIVE
                instance.task_state = None
                if offloaded:
                    instance.launched_at = timeutils.utcnow()
                instance.save(expected_task_state=task_states.SPAWNING)
        except (exception.InstanceNotFound, exception.UnexpectedDeletingTaskStateError):
            LOG.info('Instance %s was deleted while unshelving', instance.uuid)
            if offloaded:
                self._cleanup_guest(context, instance)
            return
        except Exception as error:
            if offloaded:
                self._cleanup_guest(context, instance)
                try:
                    self._unclaim(context, instance)
                except Exception:
                    LOG.exception('Could not give back the claim of instance %s',
                                  instance.uuid)
            self._fail_task(context, instance, error, sys.exc_info())
            return
        if image_id:
            self._delete_image_quietly(context, image_id)
        compute_utils.notify_about_instance_usage(context, instance, 'unshelve.end')

    @manager.periodic_task(spacing_option='update_resources_interval')
    def update_available_resource(self, context):
        self.rt.update_available_resource(context, self.service_ref.id)
