"""nova-compute's RPC endpoint and periodic tasks.

Version history:
    1.0 - initial: get_host_uptime, build_and_run_instance, terminate_instance
    1.1 - get_diagnostics, get_instance_diagnostics
    1.2 - reboot_instance, stop_instance, start_instance, pause_instance, unpause_instance,
          suspend_instance, resume_instance, rescue_instance, unrescue_instance,
          set_admin_password, inject_network_info, trigger_crash_dump, get_console_output,
          soft_delete_instance, restore_instance
    1.3 - moves (nova.compute.moves): prep_resize, resize_instance, finish_resize,
          confirm_resize, revert_resize, finish_revert_resize,
          check_can_live_migrate_destination, live_migration, pre_live_migration,
          post_live_migration_at_destination, live_migration_force_complete,
          live_migration_abort, evacuate_instance
    1.4 - rebuild_instance, snapshot_instance, backup_instance, shelve_instance,
          shelve_offload_instance, unshelve_instance
    1.5 - cache_images, external_instance_event
    1.6 - check_can_live_migrate_source, rollback_live_migration_at_destination
"""

import contextlib
import datetime
import logging
import sys

import oslo_messaging as messaging
from oslo_utils import excutils
from oslo_utils import timeutils

from nova import context as nova_context
from nova import exception
from nova import manager
from nova import objects
from nova.compute import moves
from nova.compute import power_state
from nova.compute import resource_tracker
from nova.compute import task_states
from nova.compute import usage
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova.conductor import rpcapi as conductor_rpcapi
import nova.conf
from nova.image import api as image_api
from nova.virt import driver as virt_driver

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeManager(moves.MovesMixin, manager.Manager):
    target = messaging.Target(version='1.6')
    service_name = 'compute'

    def __init__(self, host=None, compute_driver=None):
        super().__init__(host=host)
        self.driver = virt_driver.load_compute_driver(compute_driver=compute_driver)
        self.rt = resource_tracker.ResourceTracker(self.host, self.driver)
        self.service_ref = None

    def init_host(self):
        self.driver.init_host(host=self.host)
        self.driver.register_event_listener(self.handle_lifecycle_event)

    def handle_lifecycle_event(self, instance_uuid, vm_power_state):
        """A guest changed power state by itself (a driver event, from the driver's
        thread): sync that instance now rather than at the next periodic sync."""
        context = nova_context.get_admin_context()
        try:
            instance = objects.Instance.get_by_uuid(context, instance_uuid)
        except exception.InstanceNotFound:
            return
        if instance.host != self.host:
            return
        try:
            self._sync_instance_power_state(context, instance)
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError,
                exception.InstanceInvalidState):
            pass  # changed under us: the next sync sees it settled
        except Exception:
            LOG.exception('Power state sync of instance %s after an event failed',
                          instance_uuid)

    def pre_start_hook(self, service_ref):
        # Report the compute node before taking requests: the scheduler can place
        # instances here as soon as the service shows up.
        self.service_ref = service_ref
        self.recover_moves(service_ref._context)
        self.rt.update_available_resource(service_ref._context, service_ref.id)
        self._recover_instances(nova_context.get_admin_context())

    def cleanup_host(self):
        self.driver.cleanup_host(host=self.host)

    def get_host_uptime(self, context):
        """RPC: the hypervisor host's `uptime` line."""
        return self.driver.get_host_uptime()

    # -- image pre-caching (host aggregates, 2.81) ------------------------------------------

    def cache_images(self, context, image_ids):
        """RPC cast: fetch each image into this host's cache; a driver without an image
        cache just logs that it cannot."""
        for image_id in image_ids:
            try:
                cached = self.driver.cache_image(context, image_id)
            except NotImplementedError:
                LOG.info('The %s driver has no image cache: not caching %s',
                         type(self.driver).__name__, image_id)
                return
            except Exception:
                LOG.exception('Could not cache image %s', image_id)
                continue
            LOG.info('Image %s %s', image_id, 'cached' if cached else 'already cached')

    # -- external events (os-server-external-events) ------------------------------------------

    def external_instance_event(self, context, instances, events):
        """RPC cast: events from the network, volume or accelerator service about
        instances on this host, handed to the driver (which may act on them)."""
        by_uuid = {instance.uuid: instance for instance in instances}
        for event in events:
            instance = by_uuid.get(event['server_uuid'])
            if instance is None:
                continue
            LOG.info('Received event %s:%s (%s) for instance %s', event['name'],
                     event.get('tag'), event.get('status'), instance.uuid)
            try:
                self.driver.external_instance_event(instance, event)
            except Exception:
                LOG.exception('The driver could not handle event %s for instance %s',
                              event['name'], instance.uuid)

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

    BUILD_EVENT = 'compute__do_build_and_run_instance'

    def _build(self, context, instance, image, admin_password):
        """Spawn the guest inside the action event BUILD_EVENT. The event starts with the
        first state write and ends with the last, in their round trips to conductor."""
        try:
            # Upstream's build states; nothing is allocated between them here (the build
            # has no networks or volumes to prepare yet), so they are written together.
            instance.save_task_steps(
                [task_states.NETWORKING, task_states.BLOCK_DEVICE_MAPPING,
                 task_states.SPAWNING], instance.task_state,
                start_event=(self.BUILD_EVENT, self.host))
            self.driver.spawn(context, instance, image, admin_password=admin_password,
                              network_info=[])
            instance.power_state = self.driver.get_info(instance)['state']
            instance.vm_state = vm_states.ACTIVE
            instance.task_state = None
            instance.launched_at = timeutils.utcnow()
            instance.save(expected_task_state=task_states.SPAWNING,
                          finish_event=self.BUILD_EVENT)
        except Exception:
            with excutils.save_and_reraise_exception():
                compute_utils.finish_event_with_failure(context, instance.uuid,
                                                        self.BUILD_EVENT, sys.exc_info())

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
        self._delete_instance(context, instance, event='compute_terminate_instance')

    def _delete_instance(self, context, instance, event=None):
        """Destroy the guest and delete the instance (its task state is DELETING); inside
        the action event ``event`` if given."""
        compute_utils.notify_about_instance_usage(context, instance, 'delete.start')
        reporter = (compute_utils.event_reporter(context, instance.uuid, event)
                    if event else contextlib.nullcontext())
        with reporter:
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

    # -- the simple server actions ------------------------------------------------------------

    def _power_state(self, instance):
        try:
            return self.driver.get_info(instance)['state']
        except exception.InstanceNotFound:
            return power_state.NOSTATE

    def _act(self, context, instance, name, event, expected_task_state, work,
             done_vm_state=None, failed_vm_state=None):
        """Run one action on the guest: notify ``name``.start, ``work()`` inside the action
        event ``event`` (None: no event, e.g. on recovery), then the new states with the task
        state cleared; notify ``name``.end.

        A failure records a fault, clears the task state (and sets ``failed_vm_state`` if
        given) so the instance never stays in a task state. Returns True on success.
        """
        compute_utils.notify_about_instance_usage(context, instance, name + '.start')
        reporter = (compute_utils.event_reporter(context, instance.uuid, event)
                    if event else contextlib.nullcontext())
        try:
            with reporter:
                try:
                    work()
                except Exception as error:
                    self._action_failed(context, instance, error, sys.exc_info(),
                                        failed_vm_state)
                    raise
                instance.power_state = self._power_state(instance)
                if done_vm_state is not None:
                    instance.vm_state = done_vm_state
                instance.task_state = None
                instance.save(expected_task_state=expected_task_state)
        except (exception.InstanceNotFound, exception.UnexpectedDeletingTaskStateError):
            LOG.info('Instance %s was deleted during %s', instance.uuid, name)
            return False
        except Exception as error:
            LOG.warning('%s of instance %s failed: %s', name, instance.uuid, error)
            return False
        compute_utils.notify_about_instance_usage(context, instance, name + '.end')
        LOG.info('%s of instance %s done', name, instance.uuid)
        return True

    def _action_failed(self, context, instance, error, exc_info, vm_state=None):
        if isinstance(error, exception.UnexpectedTaskStateError):
            return  # someone else owns the instance now: leave their state alone
        try:
            compute_utils.add_instance_fault_from_exc(context, instance, error, exc_info)
            instance.power_state = self._power_state(instance)
            instance.task_state = None
            if vm_state is not None:
                instance.vm_state = vm_state
            instance.save()
        except exception.InstanceNotFound:
            pass

    def reboot_instance(self, context, instance, reboot_type, event=True):
        """RPC (cast): reboot the guest. The task state goes rebooting -> reboot_pending
        (taken) -> reboot_started (the driver is at work); the _hard variants for HARD."""
        soft = reboot_type == 'SOFT'
        if soft:
            pending, started = task_states.REBOOT_PENDING, task_states.REBOOT_STARTED
            expected = task_states.SOFT_REBOOT_STATES
        else:
            pending, started = task_states.REBOOT_PENDING_HARD, task_states.REBOOT_STARTED_HARD
            expected = task_states.HARD_REBOOT_STATES
        instance.task_state = pending
        try:
            instance.save(expected_task_state=list(expected))
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError) as error:
            LOG.warning('Not rebooting instance %s: %s', instance.uuid, error)
            return

        def work():
            instance.task_state = started
            instance.save(expected_task_state=pending)
            try:
                self.driver.reboot(context, instance, [], reboot_type)
            except exception.InstanceNotFound:
                if not soft:
                    raise
                # No guest to ask to restart: power-cycle it instead, as a hard reboot.
                self.driver.reboot(context, instance, [], 'HARD')

        self._act(context, instance, 'reboot',
                  'compute_reboot_instance' if event else None, started, work,
                  done_vm_state=vm_states.ACTIVE, failed_vm_state=vm_states.ERROR)

    def stop_instance(self, context, instance, clean_shutdown=True, event=True):
        """RPC (cast): power the guest off; a guest the hypervisor lost is off already."""
        def work():
            try:
                self.driver.power_off(instance, timeout=60 if clean_shutdown else 0)
            except exception.InstanceNotFound:
                pass

        self._act(context, instance, 'power_off', 'compute_stop_instance' if event else None,
                  task_states.POWERING_OFF, work, done_vm_state=vm_states.STOPPED)

    def start_instance(self, context, instance, event=True):
        """RPC (cast): power the guest on."""
        self._act(context, instance, 'power_on', 'compute_start_instance' if event else None,
                  task_states.POWERING_ON,
                  lambda: self.driver.power_on(context, instance, []),
                  done_vm_state=vm_states.ACTIVE)

    def pause_instance(self, context, instance):
        """RPC (cast)."""
        self._act(context, instance, 'pause', 'compute_pause_instance', task_states.PAUSING,
                  lambda: self.driver.pause(instance), done_vm_state=vm_states.PAUSED)

    def unpause_instance(self, context, instance, event=True):
        """RPC (cast)."""
        self._act(context, instance, 'unpause',
                  'compute_unpause_instance' if event else None, task_states.UNPAUSING,
                  lambda: self.driver.unpause(instance), done_vm_state=vm_states.ACTIVE)

    def suspend_instance(self, context, instance):
        """RPC (cast)."""
        self._act(context, instance, 'suspend', 'compute_suspend_instance',
                  task_states.SUSPENDING, lambda: self.driver.suspend(context, instance),
                  done_vm_state=vm_states.SUSPENDED)

    def resume_instance(self, context, instance):
        """RPC (cast)."""
        self._act(context, instance, 'resume', 'compute_resume_instance',
                  task_states.RESUMING, lambda: self.driver.resume(context, instance, []),
                  done_vm_state=vm_states.ACTIVE)

    def rescue_instance(self, context, instance, rescue_password, rescue_image_ref=None):
        """RPC (cast): boot the guest from a rescue image (its own image by default)."""
        image_meta = {'id': rescue_image_ref or instance.image_ref}
        self._act(context, instance, 'rescue', 'compute_rescue_instance',
                  task_states.RESCUING,
                  lambda: self.driver.rescue(context, instance, [], image_meta,
                                             rescue_password),
                  done_vm_state=vm_states.RESCUED)

    def unrescue_instance(self, context, instance):
        """RPC (cast)."""
        self._act(context, instance, 'unrescue', 'compute_unrescue_instance',
                  task_states.UNRESCUING, lambda: self.driver.unrescue(context, instance),
                  done_vm_state=vm_states.ACTIVE)

    @messaging.expected_exceptions(NotImplementedError, exception.SetAdminPasswdNotSupported,
                                   exception.InstancePasswordSetFailed,
                                   exception.InstanceNotFound)
    def set_admin_password(self, context, instance, new_pass):
        """RPC (call): set the running guest's admin password; the task state is cleared
        whatever happens, and the driver's refusal goes back to the API."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_set_admin_password'):
            try:
                if self._power_state(instance) != power_state.RUNNING:
                    raise exception.InstancePasswordSetFailed(
                        instance=instance.uuid, reason='the instance is not running')
                self.driver.set_admin_password(instance, new_pass)
            except (NotImplementedError, exception.SetAdminPasswdNotSupported,
                    exception.InstancePasswordSetFailed):
                self._clear_task_state(instance, task_states.UPDATING_PASSWORD)
                raise
            except Exception as error:
                self._clear_task_state(instance, task_states.UPDATING_PASSWORD)
                LOG.warning('Setting the admin password of %s failed: %s', instance.uuid,
                            error)
                raise exception.InstancePasswordSetFailed(
                    instance=instance.uuid, reason='the hypervisor could not set it')
            self._clear_task_state(instance, task_states.UPDATING_PASSWORD)

    @staticmethod
    def _clear_task_state(instance, expected):
        instance.task_state = None
        try:
            instance.save(expected_task_state=expected)
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
            pass

    def inject_network_info(self, context, instance):
        """RPC (cast): give the guest its network information again."""
        network_info = instance.info_cache.network_info if instance.info_cache else None
        try:
            self.driver.inject_network_info(instance, network_info or [])
        except (NotImplementedError, exception.InstanceNotFound) as error:
            LOG.warning('Could not inject network info into %s: %r', instance.uuid, error)

    def trigger_crash_dump(self, context, instance):
        """RPC (cast): make the guest dump its kernel."""
        compute_utils.notify_about_instance_usage(context, instance,
                                                  'trigger_crash_dump.start')
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_trigger_crash_dump'):
                self.driver.trigger_crash_dump(instance)
        except Exception as error:
            LOG.warning('Crash dump of instance %s failed: %r', instance.uuid, error)
            return
        compute_utils.notify_about_instance_usage(context, instance,
                                                  'trigger_crash_dump.end')

    @messaging.expected_exceptions(NotImplementedError, exception.ConsoleNotAvailable,
                                   exception.InstanceNotFound)
    def get_console_output(self, context, instance, tail_length=None):
        """RPC (call): the console log, its last ``tail_length`` lines if given."""
        output = self.driver.get_console_output(context, instance)
        if isinstance(output, str):
            output = output.encode('utf-8')
        if tail_length is not None:
            lines = int(tail_length)
            output = b'\n'.join(output.split(b'\n')[-lines:]) if lines > 0 else b''
        return output.decode('ascii', 'replace')

    def soft_delete_instance(self, context, instance, event=True):
        """RPC (cast): stop the guest and keep it, SOFT_DELETED, until restored or
        reclaimed."""
        def work():
            try:
                self.driver.soft_delete(instance)
            except NotImplementedError:
                self.driver.power_off(instance)
            except exception.InstanceNotFound:
                pass

        self._act(context, instance, 'soft_delete',
                  'compute_soft_delete_instance' if event else None,
                  task_states.SOFT_DELETING, work, done_vm_state=vm_states.SOFT_DELETED)

    def restore_instance(self, context, instance, event=True):
        """RPC (cast): bring a soft-deleted guest back."""
        def work():
            try:
                self.driver.restore(instance)
            except (NotImplementedError, exception.InstanceNotFound):
                self.driver.power_on(context, instance, [])

        self._act(context, instance, 'restore',
                  'compute_restore_instance' if event else None, task_states.RESTORING,
                  work, done_vm_state=vm_states.ACTIVE)

    # -- periodic tasks -------------------------------------------------------------------

    @manager.periodic_task(spacing_option='reclaim_instance_interval', run_immediately=True)
    def reclaim_queued_deletes(self, context):
        """Delete the SOFT_DELETED instances of this host older than
        [DEFAULT] reclaim_instance_interval."""
        interval = CONF.reclaim_instance_interval
        if interval <= 0:
            return
        cutoff = timeutils.utcnow() - datetime.timedelta(seconds=interval)
        for instance in objects.InstanceList.get_by_host(context, self.host):
            if instance.vm_state != vm_states.SOFT_DELETED or instance.task_state:
                continue
            deleted_at = instance.deleted_at
            if deleted_at is not None and timeutils.normalize_time(deleted_at) > cutoff:
                continue
            LOG.info('Reclaiming soft-deleted instance %s', instance.uuid)
            try:
                instance.task_state = task_states.DELETING
                instance.save(expected_task_state=[None])
                self._delete_instance(context, instance)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                continue
            except Exception:
                LOG.exception('Could not reclaim instance %s', instance.uuid)

    @manager.periodic_task(spacing_option='image_cache.manager_interval')
    def run_image_cache_manager_pass(self, context):
        """Remove cached base images no instance of this host uses any more."""
        if not self.driver.capabilities.get('has_imagecache'):
            return
        self.driver.manage_image_cache(
            context, objects.InstanceList.get_by_host(context, self.host))

    @property
    def compute_api(self):
        # The compute API's own rules (lock, states, action records) for the stops the
        # power state sync asks for; imported here, it imports this package's rpcapi.
        if getattr(self, '_compute_api', None) is None:
            from nova.compute import api as compute_api
            self._compute_api = compute_api.API()
        return self._compute_api

    @manager.periodic_task(spacing_option='sync_power_state_interval')
    def sync_power_states(self, context):
        """Align each instance with its guest's power state, as upstream's
        _sync_power_states does: the hypervisor is the truth about power."""
        for instance in objects.InstanceList.get_by_host(context, self.host):
            try:
                self._sync_instance_power_state(context, instance)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError,
                    exception.InstanceInvalidState):
                continue  # changed under us: the next run sees it settled
            except Exception:
                LOG.exception('Power state sync of instance %s failed', instance.uuid)

    def _sync_instance_power_state(self, context, instance):
        if instance.task_state is not None:
            return  # an action is in progress: it sets the states when it ends
        vm_power = self._power_state(instance)
        if instance.power_state != vm_power:
            instance.power_state = vm_power
            instance.save(expected_task_state=[None])
        vm_state = instance.vm_state
        off = (power_state.SHUTDOWN, power_state.CRASHED)
        if vm_state == vm_states.ACTIVE:
            if vm_power in off:
                LOG.warning('Instance %s shut down by itself: stopping it', instance.uuid)
                self.compute_api.stop(context, instance)
            elif vm_power == power_state.NOSTATE:
                LOG.warning('Instance %s is unexpectedly not found: ignored', instance.uuid)
        elif vm_state == vm_states.STOPPED:
            if vm_power not in off + (power_state.NOSTATE,):
                LOG.warning('Instance %s is not stopped: stopping it', instance.uuid)
                self.compute_api.force_stop(context, instance)
        elif vm_state == vm_states.PAUSED:
            if vm_power in off:
                LOG.warning('Paused instance %s shut down by itself: stopping it',
                            instance.uuid)
                self.compute_api.force_stop(context, instance)

    # -- recovery at start-up -------------------------------------------------------------

    def _recover_instances(self, context):
        """Finish or undo what a crash of this service left half-done, so that no instance
        stays in a task state forever (upstream's _init_instance rules)."""
        for instance in objects.InstanceList.get_by_host(context, self.host):
            try:
                self._recover_instance(context, instance)
            except Exception:
                LOG.exception('Could not recover instance %s at start-up', instance.uuid)

    _BUILD_TASKS = (task_states.SCHEDULING, task_states.NETWORKING,
                    task_states.BLOCK_DEVICE_MAPPING, task_states.SPAWNING)
    _CLEARED_TASKS = (task_states.PAUSING, task_states.UNPAUSING, task_states.SUSPENDING,
                      task_states.RESUMING, task_states.RESCUING, task_states.UNRESCUING,
                      task_states.UPDATING_PASSWORD)

    def _recover_instance(self, context, instance):
        task, vm_state = instance.task_state, instance.vm_state
        if task is None and vm_state != vm_states.DELETED:
            return
        LOG.info('Instance %s found in vm_state %s, task_state %s at start-up',
                 instance.uuid, vm_state, task)
        if vm_state == vm_states.DELETED or task == task_states.DELETING:
            instance.task_state = task_states.DELETING
            instance.save()
            self._delete_instance(context, instance)
        elif vm_state == vm_states.BUILDING or task in self._BUILD_TASKS:
            error = exception.NovaException(
                'The build was interrupted by a restart of nova-compute on %s' % self.host)
            self._action_failed(context, instance, error, None, vm_states.ERROR)
        elif task in task_states.SOFT_REBOOT_STATES + task_states.HARD_REBOOT_STATES:
            self._recover_reboot(context, instance)
        elif task == task_states.POWERING_OFF:
            self.stop_instance(context, instance, event=False)
        elif task == task_states.POWERING_ON:
            self.start_instance(context, instance, event=False)
        elif task == task_states.SOFT_DELETING:
            self.soft_delete_instance(context, instance, event=False)
        elif task == task_states.RESTORING:
            self.restore_instance(context, instance, event=False)
        elif task in self._CLEARED_TASKS:
            power = self._power_state(instance)
            if task == task_states.UNPAUSING and power == power_state.PAUSED:
                self.unpause_instance(context, instance, event=False)
                return
            if power == power_state.RUNNING and task in (task_states.PAUSING,
                                                         task_states.UNPAUSING):
                instance.vm_state = vm_states.ACTIVE
            instance.power_state = power
            instance.task_state = None
            instance.save()

    def _recover_reboot(self, context, instance):
        """Reboot again when the reboot had not begun, or left the guest not running;
        a guest running after a reboot had started has rebooted: clear the task."""
        task = instance.task_state
        power = self._power_state(instance)
        soft = task in task_states.SOFT_REBOOT_STATES
        reboot_type = 'SOFT' if soft and power == power_state.RUNNING else 'HARD'
        not_begun = task in (task_states.REBOOTING, task_states.REBOOT_PENDING,
                             task_states.REBOOTING_HARD, task_states.REBOOT_PENDING_HARD)
        started = task in (task_states.REBOOT_STARTED, task_states.REBOOT_STARTED_HARD)
        if not_begun or (started and power != power_state.RUNNING):
            if soft and reboot_type == 'HARD':
                instance.task_state = task_states.REBOOT_PENDING_HARD
                instance.save()
            LOG.info('Rebooting instance %s (%s) again after the restart', instance.uuid,
                     reboot_type)
            self.reboot_instance(context, instance, reboot_type, event=False)
            return
        instance.power_state = power
        instance.vm_state = vm_states.ACTIVE
        instance.task_state = None
        instance.save()
    @manager.periodic_task()
    def instance_usage_audit(self, context):
        """With [DEFAULT] instance_usage_audit: once per audit period, emit
        compute.instance.exists for every instance that ran here in the last completed
        period, recorded in the task log (os-instance-usage-audit-log)."""
        if not CONF.instance_usage_audit:
            return
        begin, end = usage.last_completed_audit_period()
        if len(objects.TaskLogList.get_all(context, usage.AUDIT_TASK_NAME, begin, end,
                                           host=self.host)):
            return  # this period was audited (or is being audited) here already
        instances = [i for i in usage.instances_in_period(context, begin, end)
                     if i.host == self.host]
        try:
            objects.TaskLog.begin_task(
                context, usage.AUDIT_TASK_NAME, begin, end, self.host,
                task_items=len(instances),
                message='Instance usage audit started...')
        except exception.TaskAlreadyRunning:
            return
        errors = 0
        started = timeutils.utcnow()
        for instance in instances:
            try:
                compute_utils.notify_about_instance_usage(
                    context, instance, 'exists', audit_period_beginning=str(begin),
                    audit_period_ending=str(end))
            except Exception:
                errors += 1
                LOG.exception('Could not audit the usage of instance %s', instance.uuid)
        objects.TaskLog.end_task(
            context, usage.AUDIT_TASK_NAME, begin, end, self.host, errors,
            message='Instance usage audit ran for host %s, %s instances in %.2f seconds.'
            % (self.host, len(instances), (timeutils.utcnow() - started).total_seconds()))
    @manager.periodic_task(spacing_option='resize_confirm_window')
    def poll_unconfirmed_resizes(self, context):
        """Confirm finished resizes older than [DEFAULT] resize_confirm_window."""
        self._poll_unconfirmed_resizes(context)
