"""nova-compute's side of moving instances between hosts: resize and cold migration
(prep_resize, resize_instance, finish_resize, confirm, revert), live migration and
evacuation, the automatic confirm of finished resizes, and recovery after a restart in the
middle of a move.

Resources: the scheduler's move claim adds the new size to the destination node; from then
on the node usage recount (nova.db.main.api.compute_node_update_usage) counts the move
itself: the source holds the old flavor and the destination the new one until the
migration is done. Every step that ends or fails a move recounts both nodes, so usage is
right after each step whatever happened before.

ComputeManager mixes this class in; its methods are RPC endpoints (compute RPC 1.3).
"""

import logging
import sys

from oslo_utils import timeutils

from nova import context as nova_context
from nova import exception
from nova import objects
from nova.compute import power_state
from nova.compute import resource_tracker
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

OLD_VM_STATE = 'old_vm_state'  # system_metadata: ACTIVE or STOPPED before the move


def recount(context, host, nodename):
    """Recount one node's usage (it may be another host's): moves change both ends."""
    if not host or not nodename:
        return
    try:
        node = objects.ComputeNode.get_by_host_and_nodename(context, host, nodename)
    except exception.ComputeHostNotFound:
        return
    resource_tracker.ResourceTracker.recount_usage(context, node)


def recount_move(context, migration):
    recount(context, migration.source_compute, migration.source_node)
    if (migration.dest_compute, migration.dest_node) != (migration.source_compute,
                                                         migration.source_node):
        recount(context, migration.dest_compute, migration.dest_node)


def _apply_flavor(instance, flavor):
    instance.flavor = flavor
    instance.instance_type_id = flavor.id
    instance.memory_mb = flavor.memory_mb
    instance.vcpus = flavor.vcpus
    instance.root_gb = flavor.root_gb
    instance.ephemeral_gb = flavor.ephemeral_gb


def _settled_vm_state(instance):
    """The vm_state the instance returns to after a move: STOPPED if it was stopped."""
    old = (instance.system_metadata or {}).get(OLD_VM_STATE)
    return vm_states.STOPPED if old == vm_states.STOPPED else vm_states.ACTIVE


def _set_status(migration, status):
    migration.status = status
    migration.save()


class MovesMixin:
    """Move RPC methods of ComputeManager (self.driver, self.host, self.compute_rpcapi)."""

    @property
    def compute_rpcapi(self):
        if getattr(self, '_compute_rpcapi', None) is None:
            self._compute_rpcapi = compute_rpcapi.ComputeAPI()
        return self._compute_rpcapi

    # -- failure handling ------------------------------------------------------------------

    def _move_failed(self, context, instance, migration, error, exc_info=None,
                     vm_state=None, status='error'):
        """End a failed move: fault, migration status, a settled instance, both nodes
        recounted. ``vm_state`` None: back to the state before the move."""
        LOG.error('Move of instance %s (migration %s) failed: %s', instance.uuid,
                  migration.uuid, error, exc_info=exc_info)
        try:
            compute_utils.add_instance_fault_from_exc(context, instance, error, exc_info)
            _set_status(migration, status)
            instance.refresh()
            instance.vm_state = vm_state or _settled_vm_state(instance)
            instance.task_state = None
            instance.new_flavor = None
            instance.save()
        except exception.InstanceNotFound:
            LOG.info('Instance %s was deleted during its move', instance.uuid)
        recount_move(context, migration)

    def _still_moving(self, context, migration):
        """False when the migration was ended meanwhile (an abort, a restart's recovery)."""
        fresh = objects.Migration.get_by_id(context, migration.id)
        return fresh.status not in ('error', 'failed', 'cancelled', 'done', 'confirmed',
                                    'reverted', 'completed')

    # -- resize and cold migration ---------------------------------------------------------

    def prep_resize(self, context, instance, migration, flavor):
        """RPC (cast), destination: the scheduler claimed room here; get ready and ask the
        source to send the instance."""
        try:
            with compute_utils.event_reporter(context, instance.uuid, 'compute_prep_resize'):
                compute_utils.notify_about_instance_usage(context, instance,
                                                          'resize.prep.start')
                if not self._still_moving(context, migration):
                    return
                if (migration.source_compute == self.host and
                        not CONF.allow_resize_to_same_host):
                    raise exception.UnableToMigrateToSelf(instance_id=instance.uuid,
                                                          host=self.host)
                compute_utils.notify_about_instance_usage(
                    context, instance, 'resize.prep.end', new_instance_type=flavor.name)
        except Exception as error:
            self._move_failed(context, instance, migration, error, sys.exc_info())
            return
        self.compute_rpcapi.resize_instance(context, instance, migration, flavor)

    def resize_instance(self, context, instance, migration, flavor):
        """RPC (cast), source: stop the guest, send its disks, hand the instance to the
        destination (task RESIZE_MIGRATED), and ask the destination to finish."""
        if not self._still_moving(context, migration):
            return
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_resize_instance'):
                _set_status(migration, 'migrating')
                instance.task_state = task_states.RESIZE_MIGRATING
                instance.save(expected_task_state=task_states.RESIZE_PREP)
                compute_utils.notify_about_instance_usage(context, instance, 'resize.start')
                self.driver.migrate_disk_and_power_off(context, instance,
                                                       migration.dest_host, flavor)
                _set_status(migration, 'post-migrating')
                instance.host = migration.dest_compute
                instance.node = migration.dest_node
                instance.power_state = power_state.SHUTDOWN
                instance.task_state = task_states.RESIZE_MIGRATED
                instance.save(expected_task_state=task_states.RESIZE_MIGRATING)
                compute_utils.notify_about_instance_usage(context, instance, 'resize.end')
        except exception.InstanceFaultRollback as rollback:
            # The driver refused before changing anything (e.g. a disk would shrink): the
            # instance stays as it was, the inner error is its fault.
            self._move_failed(context, instance, migration, rollback.inner_exception,
                              sys.exc_info())
            return
        except Exception as error:
            self._move_failed(context, instance, migration, error, sys.exc_info(),
                              vm_state=vm_states.ERROR)
            return
        self.compute_rpcapi.finish_resize(context, instance, migration)

    def finish_resize(self, context, instance, migration):
        """RPC (cast), destination: start the guest with the new flavor; the server waits
        in VERIFY_RESIZE for a confirm or a revert."""
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_finish_resize'):
                instance.task_state = task_states.RESIZE_FINISH
                instance.save(expected_task_state=task_states.RESIZE_MIGRATED)
                compute_utils.notify_about_instance_usage(context, instance,
                                                          'finish_resize.start')
                if instance.new_flavor is not None:
                    _apply_flavor(instance, instance.new_flavor)
                power_on = _settled_vm_state(instance) != vm_states.STOPPED
                self.driver.finish_migration(context, migration, instance, None,
                                             power_on=power_on)
                _set_status(migration, 'finished')
                instance.power_state = self.driver.get_info(instance)['state']
                instance.vm_state = vm_states.RESIZED
                instance.task_state = None
                instance.launched_at = timeutils.utcnow()
                instance.save(expected_task_state=task_states.RESIZE_FINISH)
                compute_utils.notify_about_instance_usage(context, instance,
                                                          'finish_resize.end')
        except Exception as error:
            self._move_failed(context, instance, migration, error, sys.exc_info(),
                              vm_state=vm_states.ERROR)
            return
        recount_move(context, migration)
        LOG.info('Instance %s resized onto %s; waiting for confirm or revert',
                 instance.uuid, self.host)

    def confirm_resize(self, context, instance, migration):
        """RPC (cast), source: drop the old guest; the source's resources are free."""
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_confirm_resize'):
                compute_utils.notify_about_instance_usage(context, instance,
                                                          'resize.confirm.start')
                self.driver.confirm_migration(context, migration, instance)
                _set_status(migration, 'confirmed')
                instance.refresh()
                instance.vm_state = _settled_vm_state(instance)
                instance.task_state = None
                instance.old_flavor = None
                instance.new_flavor = None
                instance.system_metadata = {k: v for k, v in
                                            instance.system_metadata.items()
                                            if k != OLD_VM_STATE}
                instance.save(expected_vm_state=vm_states.RESIZED)
        except Exception as error:
            self._move_failed(context, instance, migration, error, sys.exc_info(),
                              vm_state=vm_states.ERROR)
            return
        recount_move(context, migration)
        compute_utils.notify_about_instance_usage(context, instance, 'resize.confirm.end')

    def revert_resize(self, context, instance, migration):
        """RPC (cast), destination: drop the new guest, then let the source take the
        instance back."""
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_revert_resize'):
                compute_utils.notify_about_instance_usage(context, instance,
                                                          'resize.revert.start')
                if (migration.source_compute, migration.source_node) != (
                        migration.dest_compute, migration.dest_node):
                    self.driver.destroy(context, instance)
        except Exception as error:
            self._move_failed(context, instance, migration, error, sys.exc_info(),
                              vm_state=vm_states.ERROR)
            return
        self.compute_rpcapi.finish_revert_resize(context, instance, migration)

    def finish_revert_resize(self, context, instance, migration):
        """RPC (cast), source: the instance is back here with its old flavor."""
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_finish_revert_resize'):
                instance.refresh()
                if instance.old_flavor is not None:
                    _apply_flavor(instance, instance.old_flavor)
                instance.host = migration.source_compute
                instance.node = migration.source_node
                power_on = _settled_vm_state(instance) != vm_states.STOPPED
                self.driver.finish_revert_migration(context, instance, migration=migration,
                                                    power_on=power_on)
                _set_status(migration, 'reverted')
                instance.power_state = self.driver.get_info(instance)['state']
                instance.vm_state = _settled_vm_state(instance)
                instance.task_state = None
                instance.old_flavor = None
                instance.new_flavor = None
                instance.save(expected_task_state=task_states.RESIZE_REVERTING)
        except Exception as error:
            self._move_failed(context, instance, migration, error, sys.exc_info(),
                              vm_state=vm_states.ERROR)
            return
        recount_move(context, migration)
        compute_utils.notify_about_instance_usage(context, instance, 'resize.revert.end')

    def _poll_unconfirmed_resizes(self, context):
        """Confirm resizes to this host that waited longer than resize_confirm_window."""
        window = CONF.resize_confirm_window
        if window <= 0:
            return
        from nova.compute import api as compute_api  # the API's own rules and records

        api = compute_api.API()
        for migration in objects.MigrationList.get_unconfirmed_by_dest_compute(
                context, window, self.host):
            try:
                instance = objects.Instance.get_by_uuid(context, migration.instance_uuid)
            except exception.InstanceNotFound:
                _set_status(migration, 'error')
                continue
            if instance.vm_state != vm_states.RESIZED or instance.task_state is not None:
                continue
            LOG.info('Confirming the resize of instance %s automatically after %d s',
                     instance.uuid, window)
            try:
                # A request of its own, so its action and events stand apart.
                api.confirm_resize(nova_context.get_admin_context(), instance,
                                   migration=migration)
            except Exception:
                LOG.exception('Automatic confirm of instance %s failed', instance.uuid)

    # -- live migration --------------------------------------------------------------------

    def check_can_live_migrate_destination(self, context, instance, block_migration):
        """RPC (call), destination: the pre-check; returns the migrate data."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_check_can_live_migrate_destination'):
            if instance.host == self.host:
                raise exception.UnableToMigrateToSelf(instance_id=instance.uuid,
                                                      host=self.host)
            dest_data = self.driver.check_can_live_migrate_destination(
                context, instance, block_migration)
            try:
                # The source completes it (block migration or not, its disks).
                return self.compute_rpcapi.check_can_live_migrate_source(
                    context, instance, dest_data)
            finally:
                self.driver.cleanup_live_migration_destination_check(context, dest_data)

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        """RPC (call), source: the second pre-check; returns the completed migrate data."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_check_can_live_migrate_source'):
            return self.driver.check_can_live_migrate_source(context, instance,
                                                             dest_check_data)

    def pre_live_migration(self, context, instance, migrate_data):
        """RPC (call), destination: get ready to receive the running guest."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_pre_live_migration'):
            compute_utils.notify_about_instance_usage(context, instance,
                                                      'live_migration.pre.start')
            data = self.driver.pre_live_migration(context, instance,
                                                  migrate_data=migrate_data)
            compute_utils.notify_about_instance_usage(context, instance,
                                                      'live_migration.pre.end')
            return data

    def live_migration(self, context, instance, migration, block_migration, migrate_data):
        """RPC (cast), source: migrate the running guest; the instance moves to the
        destination when the driver is done."""
        if not self._still_moving(context, migration):
            self._live_migration_ended(context, instance, migration)
            return
        prepared = None  # the destination's migrate data once pre_live_migration ran
        moved = False  # the guest runs on the destination
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_live_migration'):
                _set_status(migration, 'preparing')
                data = self.compute_rpcapi.pre_live_migration(
                    context, instance, migration.dest_compute, migrate_data)
                prepared = data
                if not self._still_moving(context, migration):  # aborted while preparing
                    self._rollback_destination(context, instance, migration, prepared)
                    self._live_migration_ended(context, instance, migration)
                    return
                _set_status(migration, 'running')
                try:
                    self.driver.live_migration(context, instance, migration.dest_compute,
                                               migrate_data=data)
                except exception.LiveMigrationAborted:
                    LOG.info('Live migration of instance %s aborted', instance.uuid)
                    _set_status(migration, 'cancelled')
                    self._rollback_destination(context, instance, migration, prepared)
                    self._live_migration_ended(context, instance, migration)
                    return
                moved = True
                compute_utils.notify_about_instance_usage(context, instance,
                                                          'live_migration._post.start')
                self.compute_rpcapi.post_live_migration_at_destination(
                    context, instance, migration.dest_compute, migration)
                _set_status(migration, 'completed')
        except Exception as error:
            # The guest did not move: it stays here as it was (ACTIVE or PAUSED).
            exc_info = sys.exc_info()
            if prepared is not None and not moved:
                self._rollback_destination(context, instance, migration, prepared)
            self._move_failed(context, instance, migration, error, exc_info,
                              vm_state=instance.vm_state)
            return
        recount_move(context, migration)
        compute_utils.notify_about_instance_usage(context, instance,
                                                  'live_migration._post.end')
        LOG.info('Instance %s live-migrated to %s', instance.uuid, migration.dest_compute)

    def _rollback_destination(self, context, instance, migration, migrate_data):
        """The guest stays here: the destination drops what it prepared for it."""
        try:
            self.compute_rpcapi.rollback_live_migration_at_destination(
                context, instance, migration.dest_compute, migrate_data)
        except Exception:
            LOG.exception('Could not roll back the live migration of %s on %s',
                          instance.uuid, migration.dest_compute)

    def rollback_live_migration_at_destination(self, context, instance, migrate_data):
        """RPC (cast), destination: the guest did not come; drop what was prepared."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_rollback_live_migration_at_destination'):
            self.driver.rollback_live_migration_at_destination(context, instance,
                                                               migrate_data=migrate_data)

    def _live_migration_ended(self, context, instance, migration):
        """A live migration ended before the guest moved: the instance stays here."""
        instance.refresh()
        instance.task_state = None
        instance.save()
        recount_move(context, migration)

    def post_live_migration_at_destination(self, context, instance, migration):
        """RPC (call), destination: the guest runs here now."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_post_live_migration_at_destination'):
            instance.host = self.host
            instance.node = migration.dest_node
            self.driver.post_live_migration_at_destination(context, instance)
            instance.power_state = self.driver.get_info(instance)['state']
            instance.task_state = None  # its vm_state (ACTIVE or PAUSED) moves with it
            instance.save(expected_task_state=task_states.MIGRATING)

    def live_migration_force_complete(self, context, instance, migration):
        """RPC (cast), source: finish the running live migration now."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_live_migration_force_complete'):
            self.driver.live_migration_force_complete(instance)

    def live_migration_abort(self, context, instance, migration):
        """RPC (cast), source: abort the running live migration."""
        with compute_utils.event_reporter(context, instance.uuid,
                                          'compute_live_migration_abort'):
            try:
                self.driver.live_migration_abort(instance)
            except exception.NoActiveMigrationForInstance:
                # Not running yet (queued or preparing, 2.65): it stops before it starts.
                _set_status(migration, 'cancelled')

    # -- evacuation ------------------------------------------------------------------------

    def evacuate_instance(self, context, instance, migration, admin_password, image_ref):
        """RPC (cast), destination: rebuild the instance of a failed host here."""
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'compute_rebuild_instance'):
                compute_utils.notify_about_instance_usage(context, instance,
                                                          'rebuild.start')
                _set_status(migration, 'pre-migrating')
                instance.host = self.host
                instance.node = migration.dest_node
                instance.task_state = task_states.REBUILD_SPAWNING
                instance.save(expected_task_state=task_states.REBUILDING)
                image = {'id': image_ref} if image_ref else None
                self.driver.spawn(context, instance, image, admin_password=admin_password,
                                  network_info=[])
                stopped = _settled_vm_state(instance) == vm_states.STOPPED
                if stopped and hasattr(self.driver, 'power_off'):
                    self.driver.power_off(instance)  # it was stopped before its host failed
                _set_status(migration, 'done')
                instance.power_state = self.driver.get_info(instance)['state']
                instance.vm_state = vm_states.STOPPED if stopped else vm_states.ACTIVE
                instance.task_state = None
                instance.launched_at = timeutils.utcnow()
                instance.save(expected_task_state=task_states.REBUILD_SPAWNING)
        except Exception as error:
            self._move_failed(context, instance, migration, error, sys.exc_info(),
                              vm_state=vm_states.ERROR, status='failed')
            return
        recount_move(context, migration)
        compute_utils.notify_about_instance_usage(context, instance, 'rebuild.end')
        LOG.info('Instance %s evacuated to %s', instance.uuid, self.host)

    # -- after a restart -------------------------------------------------------------------

    def recover_moves(self, context):
        """Settle what a restart interrupted, so no instance stays in a move's task state:

        - a resize/migration still on this (source) host before its hand-off: back to how
          it was, here (the migration is 'error');
        - a move handed to this (destination) host but not finished, or a revert: ERROR
          with a fault (the migration is 'error');
        - a live migration from this host: stays here (the migration is 'error');
        - instances evacuated from this host while it was down: their guests here go.
        """
        for instance in objects.InstanceList.get_by_host(context, self.host):
            moves = objects.MigrationList.get_in_progress_by_instance(context, instance.uuid)
            if not moves:
                continue
            migration = moves[-1]
            task = instance.task_state
            if task in (task_states.RESIZE_PREP, task_states.RESIZE_MIGRATING) and \
                    migration.source_compute == self.host:
                self._revert_here(context, instance, migration)
            elif task in (task_states.RESIZE_MIGRATED, task_states.RESIZE_FINISH,
                          task_states.RESIZE_REVERTING, task_states.REBUILDING,
                          task_states.REBUILD_SPAWNING):
                error = exception.NovaException(
                    'nova-compute on %s restarted during the %s of this instance'
                    % (self.host, migration.migration_type))
                self._move_failed(context, instance, migration, error,
                                  vm_state=vm_states.ERROR,
                                  status='failed' if task.startswith('rebuild') else 'error')
            elif task == task_states.MIGRATING:
                _set_status(migration, 'error')
                self._live_migration_ended(context, instance, migration)
        self._destroy_evacuated_guests(context)

    def _revert_here(self, context, instance, migration):
        LOG.warning('Instance %s was being moved from this host when nova-compute stopped; '
                    'bringing it back here', instance.uuid)
        _set_status(migration, 'error')
        power_on = _settled_vm_state(instance) != vm_states.STOPPED
        try:
            self.driver.finish_revert_migration(context, instance, migration=migration,
                                                power_on=power_on)
            instance.power_state = self.driver.get_info(instance)['state']
            instance.vm_state = _settled_vm_state(instance)
        except Exception as error:
            compute_utils.add_instance_fault_from_exc(context, instance, error,
                                                      sys.exc_info())
            instance.vm_state = vm_states.ERROR
        instance.task_state = None
        instance.new_flavor = None
        instance.save()
        recount_move(context, migration)

    def _destroy_evacuated_guests(self, context):
        for migration in objects.MigrationList.get_by_filters(
                context, {'source_compute': self.host, 'migration_type': 'evacuation',
                          'status': 'done'}):
            try:
                instance = objects.Instance.get_by_uuid(context, migration.instance_uuid)
                self.driver.destroy(context, instance)
            except exception.InstanceNotFound:
                pass
            _set_status(migration, 'completed')
            LOG.info('Removed the guest of instance %s, evacuated from this host',
                     migration.instance_uuid)

