"""The compute API's rules for moving servers: resize, confirm and revert, cold and live
migration, evacuation, and the migration records (os-migrations, server migrations).

compute.api.API mixes this class in; the checks raise what the REST API turns into 400,
404 or 409 answers, and nothing changes when a check fails.
"""

from nova import exception
from nova import objects
from nova import servicegroup
from nova.compute import moves
from nova.compute import quota
from nova.compute import task_states
from nova.compute import vm_states
from nova.i18n import _

COMPUTE_BINARY = 'nova-compute'

# Statuses of a live migration that force_complete / abort may act on.
LIVE_RUNNING = ('running',)
LIVE_ABORTABLE = ('running',)                              # 2.24
LIVE_ABORTABLE_QUEUED = ('running', 'preparing', 'queued')  # 2.65


class MoveAPIMixin:
    """Needs compute.api.API's compute_task_api, compute_rpcapi and state checks."""

    # -- resize and cold migration ---------------------------------------------------------

    def resize(self, context, instance, flavor_id=None, host_name=None,
               auto_disk_config=None):
        """Resize to the flavor ``flavor_id`` or, without one, cold-migrate (to
        ``host_name`` if given). Errors: InstanceInvalidState, FlavorNotFound,
        CannotResizeToSameFlavor, CannotResizeDisk, ComputeHostNotFound."""
        method = 'resize' if flavor_id else 'migrate'
        self._check_lock_and_state(context, instance, method,
                                   (vm_states.ACTIVE, vm_states.STOPPED))
        current = instance.flavor
        if flavor_id:
            new_flavor = objects.Flavor.get_by_flavor_id(context, flavor_id,
                                                         read_deleted='no')
            if new_flavor.disabled:
                raise exception.FlavorNotFound(flavor_id=flavor_id)
            if not new_flavor.is_public and not context.is_admin:
                projects = new_flavor.projects if 'projects' in new_flavor else []
                if context.project_id not in projects:
                    raise exception.FlavorNotFound(flavor_id=flavor_id)
            if new_flavor.flavorid == current.flavorid:
                raise exception.CannotResizeToSameFlavor()
            if new_flavor.root_gb == 0 and current.root_gb != 0:
                raise exception.CannotResizeDisk(
                    reason=_('Resize to zero disk flavor is not allowed.'))
            self._check_upsize_quota(context, instance, current, new_flavor)
        else:
            new_flavor = current
        if host_name:
            objects.ComputeNodeList.get_all_by_host(context, host_name)  # ComputeHostNotFound
            if host_name == instance.host:
                raise exception.UnableToMigrateToSelf(instance_id=instance.uuid,
                                                      host=host_name)
        instance.task_state = task_states.RESIZE_PREP
        instance.progress = 0
        instance.old_flavor = current
        instance.new_flavor = new_flavor
        if auto_disk_config is not None:
            instance.auto_disk_config = auto_disk_config
        instance.system_metadata = dict(instance.system_metadata,
                                        **{moves.OLD_VM_STATE: instance.vm_state})
        instance.save(expected_task_state=[None])  # UnexpectedTaskStateError: 409
        objects.InstanceAction.action_start(context, instance.uuid, method,
                                            want_result=False)
        self.compute_task_api.migrate_server(context, instance, new_flavor, host=host_name)

    @staticmethod
    def _check_upsize_quota(context, instance, from_flavor, to_flavor):
        """TooManyInstances (403) when growing into ``to_flavor`` would take the instance's
        project or user over its cores or ram quota (usage counts the current flavor)."""
        quota.check_deltas(context, {'cores': to_flavor.vcpus - from_flavor.vcpus,
                                     'ram': to_flavor.memory_mb - from_flavor.memory_mb},
                           project_id=instance.project_id, user_id=instance.user_id)

    def _finished_migration(self, context, instance):
        try:
            return objects.Migration.get_by_instance_and_status(context.elevated(),
                                                                instance.uuid, 'finished')
        except exception.MigrationNotFoundByStatus:
            raise exception.MigrationNotFoundByStatus(instance_id=instance.uuid,
                                                      status='finished')

    def confirm_resize(self, context, instance, migration=None):
        """Keep the resized instance: the source host frees the old flavor's room.
        MigrationNotFoundByStatus (400) when the instance was not resized."""
        self._check_state(instance, 'confirmResize', (vm_states.RESIZED,))
        migration = migration or self._finished_migration(context, instance)
        migration.status = 'confirming'
        migration.save()
        objects.InstanceAction.action_start(context, instance.uuid, 'confirmResize',
                                            want_result=False)
        self.compute_rpcapi.confirm_resize(context, instance, migration)

    def revert_resize(self, context, instance):
        """Go back to the source host and the old flavor."""
        self._check_lock_and_state(context, instance, 'revertResize', (vm_states.RESIZED,))
        migration = self._finished_migration(context, instance)
        # Going back to a bigger old flavor takes more of the quota again.
        self._check_upsize_quota(context, instance, instance.new_flavor, instance.old_flavor)
        instance.task_state = task_states.RESIZE_REVERTING
        instance.save(expected_task_state=[None])
        migration.status = 'reverting'
        migration.save()
        objects.InstanceAction.action_start(context, instance.uuid, 'revertResize',
                                            want_result=False)
        self.compute_rpcapi.revert_resize(context, instance, migration)

    # -- live migration --------------------------------------------------------------------

    def live_migrate(self, context, instance, block_migration, host_name, force=False):
        """Live-migrate (to ``host_name``, checked by the scheduler unless ``force``).
        ComputeHostNotFound, UnableToMigrateToSelf, ComputeServiceUnavailable (400)."""
        self._check_lock_and_state(context, instance, 'os-migrateLive',
                                   (vm_states.ACTIVE, vm_states.PAUSED))
        if host_name:
            service = objects.Service.get_by_compute_host(context, host_name)
            if host_name == instance.host:
                raise exception.UnableToMigrateToSelf(instance_id=instance.uuid,
                                                      host=host_name)
            if not servicegroup.service_is_up(service):
                raise exception.ComputeServiceUnavailable(host=host_name)
        instance.task_state = task_states.MIGRATING
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, 'live-migration',
                                            want_result=False)
        self.compute_task_api.live_migrate_instance(context, instance, host_name,
                                                    block_migration, bool(force))

    # -- evacuation ------------------------------------------------------------------------

    def evacuate(self, context, instance, host_name, admin_password=None, force=False,
                 target_state=None):
        """Rebuild the instance of a failed host elsewhere. The source compute service
        must be down or forced down (ComputeServiceStillInUse, 400). ``target_state``
        'stopped' (microversion 2.95) leaves it stopped there whatever it was before."""
        self._check_state(instance, 'evacuate', (vm_states.ACTIVE, vm_states.STOPPED,
                                                 vm_states.ERROR))
        if not instance.host:
            raise exception.InstanceInvalidState(instance_uuid=instance.uuid, attr='host',
                                                 state='None', method='evacuate')
        source = objects.Service.get_by_compute_host(context, instance.host)
        if servicegroup.service_is_up(source):
            raise exception.ComputeServiceStillInUse(host=instance.host)
        if host_name:
            objects.Service.get_by_compute_host(context, host_name)  # ComputeHostNotFound
        instance.task_state = task_states.REBUILDING
        settle_as = vm_states.STOPPED if target_state == 'stopped' else instance.vm_state
        instance.system_metadata = dict(instance.system_metadata,
                                        **{moves.OLD_VM_STATE: settle_as})
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, 'evacuate',
                                            want_result=False)
        migration = objects.Migration(
            context, instance_uuid=instance.uuid, migration_type='evacuation',
            status='accepted', source_compute=instance.host, source_node=instance.node,
            old_instance_type_id=instance.flavor.id, new_instance_type_id=instance.flavor.id,
            user_id=context.user_id, project_id=context.project_id, hidden=False,
            cross_cell_move=False)
        migration.create()
        self.compute_task_api.evacuate_server(context, instance, migration, host_name,
                                              bool(force), admin_password)
        return migration

    # -- migration records -----------------------------------------------------------------

    @staticmethod
    def get_migrations(context, filters, limit=None, marker=None, sort_keys=None,
                       sort_dirs=None):
        """Migration records (see MigrationList.get_by_filters); MarkerNotFound."""
        return objects.MigrationList.get_by_filters(
            context, filters, limit=limit, marker=marker,
            sort_keys=sort_keys or ['created_at', 'id'],
            sort_dirs=sort_dirs or ['desc', 'desc'])

    @staticmethod
    def get_migrations_in_progress_by_instance(context, instance_uuid,
                                               migration_type=None):
        return objects.MigrationList.get_in_progress_by_instance(
            context, instance_uuid, migration_type=migration_type)

    @staticmethod
    def get_migration_by_id_and_instance(context, migration_id, instance_uuid):
        try:
            migration = objects.Migration.get_by_id(context, int(migration_id))
        except (ValueError, exception.MigrationNotFound):
            raise exception.MigrationNotFoundForInstance(migration_id=migration_id,
                                                         instance_id=instance_uuid)
        if migration.instance_uuid != instance_uuid:
            raise exception.MigrationNotFoundForInstance(migration_id=migration_id,
                                                         instance_id=instance_uuid)
        return migration

    def _live_migration(self, context, instance, migration_id, statuses, method):
        migration = self.get_migration_by_id_and_instance(context, migration_id,
                                                          instance.uuid)
        if not migration.is_live_migration or migration.status not in statuses:
            raise exception.InvalidMigrationState(
                migration_id=migration_id, instance_uuid=instance.uuid,
                state=migration.status, method=method)
        return migration

    def live_migrate_force_complete(self, context, instance, migration_id):
        self._check_state(instance, 'force_complete', (vm_states.ACTIVE,),
                          (task_states.MIGRATING,))
        migration = self._live_migration(context, instance, migration_id, LIVE_RUNNING,
                                         'force complete')
        objects.InstanceAction.action_start(context, instance.uuid,
                                            'live_migration_force_complete',
                                            want_result=False)
        self.compute_rpcapi.live_migration_force_complete(context, instance, migration)

    def live_migrate_abort(self, context, instance, migration_id, allow_queued=False):
        self._check_state(instance, 'abort live migration', (vm_states.ACTIVE,),
                          (task_states.MIGRATING,))
        statuses = LIVE_ABORTABLE_QUEUED if allow_queued else LIVE_ABORTABLE
        migration = self._live_migration(context, instance, migration_id, statuses,
                                         'abort live migration')
        objects.InstanceAction.action_start(context, instance.uuid,
                                            'live_migration_cancel', want_result=False)
        if migration.status in ('queued', 'accepted'):
            # Not started on the source yet: it will see the cancel and stay put.
            migration.status = 'cancelled'
            migration.save()
            return
        self.compute_rpcapi.live_migration_abort(context, instance, migration)
