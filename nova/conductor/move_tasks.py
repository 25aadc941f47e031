"""Move orchestration in conductor: resize and cold migration, live migration and
evacuation. Each asks the scheduler for a destination with a move claim (the chosen node
becomes the migration's destination and holds the instance's new size), then hands the move
to the compute hosts. A move that cannot be placed ends here: the migration is 'error',
the instance back in its state with a fault, so nothing waits in a task state forever.

ComputeTaskManager mixes this class in (conductor compute_task RPC 1.2).
"""

import logging
import sys

from nova import exception
from nova import objects
from nova.compute import moves
from nova.compute import task_states
from nova.compute import utils as compute_utils
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _new_migration(context, instance, migration_type, status, new_flavor=None):
    migration = objects.Migration(
        context, instance_uuid=instance.uuid, migration_type=migration_type, status=status,
        source_compute=instance.host, source_node=instance.node,
        old_instance_type_id=instance.flavor.id if instance.flavor else None,
        new_instance_type_id=(new_flavor or instance.flavor).id if (
            new_flavor or instance.flavor) else None,
        user_id=context.user_id, project_id=context.project_id, hidden=False,
        cross_cell_move=False)
    migration.create()
    return migration


class MoveTasksMixin:
    """Needs self.scheduler and self.compute (RPC clients)."""

    def _request_spec(self, context, instance, flavor):
        try:
            spec = objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        except exception.NotFound:
            spec = objects.RequestSpec(context, instance_uuid=instance.uuid,
                                       project_id=instance.project_id,
                                       user_id=instance.user_id)
            spec.obj_set_defaults()
        spec.flavor = flavor
        spec.retry = None
        spec.force_hosts = None
        spec.force_nodes = None
        spec.requested_destination = None
        spec.ignore_hosts = None
        return spec

    def _claim_destination(self, context, instance, migration, flavor, host=None,
                           node=None, allow_source=False, force=False):
        """Choose and claim the destination node; the migration names it afterwards."""
        spec = self._request_spec(context, instance, flavor)
        if host and force:
            spec.force_hosts = [host]
        elif host:
            spec.requested_destination = {'host': host, 'node': node}
        if not allow_source:
            spec.ignore_hosts = [instance.host]
        self.scheduler.select_destinations(context, spec, [instance.uuid],
                                           migration_uuid=migration.uuid)
        return objects.Migration.get_by_id(context, migration.id)

    def _unplaced(self, context, instance, migration, error, exc_info, action_task,
                  status='error'):
        """The move found no destination: the instance stays where and as it was."""
        if isinstance(error, exception.NoValidHost):
            LOG.warning('No destination for instance %s: %s', instance.uuid,
                        error.format_message())
            exc_info = None
        else:
            LOG.error('Move of instance %s failed in conductor: %s', instance.uuid, error,
                      exc_info=exc_info)
        compute_utils.add_instance_fault_from_exc(context, instance, error, exc_info)
        migration.status = status
        migration.save()
        try:
            instance.refresh()
            instance.task_state = None
            instance.new_flavor = None
            instance.save(expected_task_state=action_task)
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
            pass
        moves.recount_move(context, migration)

    # -- resize and cold migration ---------------------------------------------------------

    def migrate_server(self, context, instance, flavor, host=None):
        """Resize (``flavor`` differs from the instance's) or cold-migrate the instance;
        ``host``: the destination an admin asked for (2.56)."""
        migration_type = ('resize' if flavor.flavorid != instance.flavor.flavorid
                          else 'migration')
        migration = _new_migration(context, instance, migration_type, 'pre-migrating',
                                   new_flavor=flavor)
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'conductor_migrate_server'):
                migration = self._claim_destination(
                    context, instance, migration, flavor, host=host,
                    allow_source=CONF.allow_resize_to_same_host)
        except Exception as error:
            self._unplaced(context, instance, migration, error, sys.exc_info(),
                           task_states.RESIZE_PREP)
            return
        LOG.info('Moving instance %s (%s) from %s to %s', instance.uuid, migration_type,
                 migration.source_compute, migration.dest_compute)
        self.compute.prep_resize(context, instance, migration, flavor)

    # -- live migration --------------------------------------------------------------------

    def live_migrate_instance(self, context, instance, host, block_migration, force):
        migration = _new_migration(context, instance, 'live-migration', 'accepted')
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'conductor_live_migrate_instance'):
                migration = self._claim_destination(context, instance, migration,
                                                    instance.flavor, host=host, force=force)
                data = self.compute.check_can_live_migrate_destination(
                    context, instance, migration.dest_compute, block_migration)
                migration.status = 'queued'
                migration.save()
        except Exception as error:
            self._unplaced(context, instance, migration, error, sys.exc_info(),
                           task_states.MIGRATING)
            return
        self.compute.live_migration(context, instance, migration, block_migration, data)

    # -- evacuation ------------------------------------------------------------------------

    def evacuate_server(self, context, instance, migration, host, force, admin_password):
        """Rebuild the instance of a failed host on another one."""
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'conductor_rebuild_server'):
                migration = self._claim_destination(context, instance, migration,
                                                    instance.flavor, host=host, force=force)
        except Exception as error:
            # Upstream leaves an instance that could not be evacuated as it was.
            self._unplaced(context, instance, migration, error, sys.exc_info(),
                           task_states.REBUILDING, status='failed')
            return
        self.compute.evacuate_instance(context, instance, migration, admin_password,
                                       instance.image_ref)
