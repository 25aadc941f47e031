"""Client side of the compute RPC API: the only place messages to nova-compute are built.

Version history:
    1.0 - initial: get_host_uptime, build_and_run_instance, terminate_instance
    1.1 - get_diagnostics, get_instance_diagnostics
    1.2 - reboot_instance, stop_instance, start_instance, pause_instance, unpause_instance,
          suspend_instance, resume_instance, rescue_instance, unrescue_instance,
          set_admin_password, inject_network_info, trigger_crash_dump, get_console_output,
          soft_delete_instance, restore_instance
    1.3 - moves: prep_resize, resize_instance, finish_resize, confirm_resize, revert_resize,
          finish_revert_resize, check_can_live_migrate_destination, live_migration,
          pre_live_migration, post_live_migration_at_destination,
          live_migration_force_complete, live_migration_abort, evacuate_instance
    1.4 - rebuild_instance, snapshot_instance, backup_instance, shelve_instance,
          shelve_offload_instance, unshelve_instance
    1.5 - cache_images, external_instance_event
    1.6 - check_can_live_migrate_source, rollback_live_migration_at_destination
"""

import oslo_messaging as messaging

from nova import rpc

TOPIC = 'compute'


class ComputeAPI:
    VERSION = '1.6'

    def __init__(self):
        self.client = rpc.get_client(messaging.Target(topic=TOPIC, version=self.VERSION))

    def get_host_uptime(self, ctxt, host):
        """The `uptime` line of the nova-compute service on ``host``."""
        return self.client.prepare(server=host, version='1.0').call(ctxt, 'get_host_uptime')

    def build_and_run_instance(self, ctxt, instance, host, node, request_spec, image,
                               admin_password, requested_networks, block_device_mapping,
                               retry):
        """Cast: build the instance the scheduler placed on ``host``/``node``."""
        self.client.prepare(server=host, version='1.0').cast(
            ctxt, 'build_and_run_instance', instance=instance, node=node,
            request_spec=request_spec, image=image, admin_password=admin_password,
            requested_networks=requested_networks, block_device_mapping=block_device_mapping,
            retry=retry)

    def terminate_instance(self, ctxt, instance, host):
        """Cast: destroy the instance's guest on ``host`` and delete the instance."""
        self.client.prepare(server=host, version='1.0').cast(
            ctxt, 'terminate_instance', instance=instance)

    def get_diagnostics(self, ctxt, instance):
        """The guest's diagnostics in its driver's own shape (a dict), from its host."""
        return self.client.prepare(server=instance.host, version='1.1').call(
            ctxt, 'get_diagnostics', instance=instance)

    def get_instance_diagnostics(self, ctxt, instance):
        """The guest's standardized diagnostics (Diagnostics.to_dict()), from its host."""
        return self.client.prepare(server=instance.host, version='1.1').call(
            ctxt, 'get_instance_diagnostics', instance=instance)

    # -- 1.2: the simple server actions; all go to the instance's host ---------------------

    def _cast_to_instance(self, ctxt, instance, method, **kwargs):
        self.client.prepare(server=instance.host, version='1.2').cast(
            ctxt, method, instance=instance, **kwargs)

    def reboot_instance(self, ctxt, instance, reboot_type):
        """Cast: reboot the guest, 'SOFT' or 'HARD'."""
        self._cast_to_instance(ctxt, instance, 'reboot_instance', reboot_type=reboot_type)

    def stop_instance(self, ctxt, instance, clean_shutdown=True):
        self._cast_to_instance(ctxt, instance, 'stop_instance', clean_shutdown=clean_shutdown)

    def start_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'start_instance')

    def pause_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'pause_instance')

    def unpause_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'unpause_instance')

    def suspend_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'suspend_instance')

    def resume_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'resume_instance')

    def rescue_instance(self, ctxt, instance, rescue_password, rescue_image_ref=None):
        self._cast_to_instance(ctxt, instance, 'rescue_instance', rescue_password=rescue_password,
                               rescue_image_ref=rescue_image_ref)

    def unrescue_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'unrescue_instance')

    def set_admin_password(self, ctxt, instance, new_pass):
        """Call: set the guest's admin password; the driver's refusal comes back."""
        return self.client.prepare(server=instance.host, version='1.2').call(
            ctxt, 'set_admin_password', instance=instance, new_pass=new_pass)

    def inject_network_info(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'inject_network_info')

    def trigger_crash_dump(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'trigger_crash_dump')

    def get_console_output(self, ctxt, instance, tail_length=None):
        """Call: the guest's console log, its last ``tail_length`` lines if given."""
        return self.client.prepare(server=instance.host, version='1.2').call(
            ctxt, 'get_console_output', instance=instance, tail_length=tail_length)

    def soft_delete_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'soft_delete_instance')

    def restore_instance(self, ctxt, instance):
        self._cast_to_instance(ctxt, instance, 'restore_instance')
    def cache_images(self, ctxt, host, image_ids):
        """Cast: fetch the images into ``host``'s image cache (aggregate pre-caching)."""
        self.client.prepare(server=host, version='1.5').cast(
            ctxt, 'cache_images', image_ids=image_ids)

    def external_instance_event(self, ctxt, host, instances, events):
        """Cast: deliver external events (dicts: name, tag, status, server_uuid, ...)
        about ``instances`` to their compute ``host``."""
        self.client.prepare(server=host, version='1.5').cast(
            ctxt, 'external_instance_event', instances=instances, events=events)
    # -- moves between hosts (1.3) ---------------------------------------------------------
    # A resize/cold migration goes API -> conductor -> prep_resize (destination) ->
    # resize_instance (source) -> finish_resize (destination); confirm_resize runs on the
    # source, revert_resize on the destination and then finish_revert_resize on the source.

    def _cast(self, ctxt, host, method, **kwargs):
        self.client.prepare(server=host, version='1.3').cast(ctxt, method, **kwargs)

    def _call(self, ctxt, host, method, **kwargs):
        return self.client.prepare(server=host, version='1.3').call(ctxt, method, **kwargs)

    def prep_resize(self, ctxt, instance, migration, flavor):
        """Cast to the destination: get ready to receive the instance."""
        self._cast(ctxt, migration.dest_compute, 'prep_resize', instance=instance,
                   migration=migration, flavor=flavor)

    def resize_instance(self, ctxt, instance, migration, flavor):
        """Cast to the source: stop the guest and send its disks to the destination."""
        self._cast(ctxt, migration.source_compute, 'resize_instance', instance=instance,
                   migration=migration, flavor=flavor)

    def finish_resize(self, ctxt, instance, migration):
        """Cast to the destination: start the guest there (VERIFY_RESIZE)."""
        self._cast(ctxt, migration.dest_compute, 'finish_resize', instance=instance,
                   migration=migration)

    def confirm_resize(self, ctxt, instance, migration):
        """Cast to the source: drop the old guest and free the source's resources."""
        self._cast(ctxt, migration.source_compute, 'confirm_resize', instance=instance,
                   migration=migration)

    def revert_resize(self, ctxt, instance, migration):
        """Cast to the destination: drop the new guest, then hand back to the source."""
        self._cast(ctxt, migration.dest_compute, 'revert_resize', instance=instance,
                   migration=migration)

    def finish_revert_resize(self, ctxt, instance, migration):
        """Cast to the source: bring the instance back with its old flavor."""
        self._cast(ctxt, migration.source_compute, 'finish_revert_resize',
                   instance=instance, migration=migration)

    def check_can_live_migrate_destination(self, ctxt, instance, destination,
                                           block_migration):
        """Call the destination: can it take the instance live? Returns migrate data."""
        return self._call(ctxt, destination, 'check_can_live_migrate_destination',
                          instance=instance, block_migration=block_migration)

    def check_can_live_migrate_source(self, ctxt, instance, dest_check_data):
        """Call the source: its side of the pre-check; returns the completed migrate
        data."""
        return self.client.prepare(server=instance.host, version='1.6').call(
            ctxt, 'check_can_live_migrate_source', instance=instance,
            dest_check_data=dest_check_data)

    def rollback_live_migration_at_destination(self, ctxt, instance, host, migrate_data):
        """Cast to the destination: the guest did not come; drop what it prepared."""
        self.client.prepare(server=host, version='1.6').cast(
            ctxt, 'rollback_live_migration_at_destination', instance=instance,
            migrate_data=migrate_data)

    def live_migration(self, ctxt, instance, migration, block_migration, migrate_data):
        """Cast to the source: migrate the running guest to the migration's destination."""
        self._cast(ctxt, migration.source_compute, 'live_migration', instance=instance,
                   migration=migration, block_migration=block_migration,
                   migrate_data=migrate_data)

    def pre_live_migration(self, ctxt, instance, host, migrate_data):
        return self._call(ctxt, host, 'pre_live_migration', instance=instance,
                          migrate_data=migrate_data)

    def post_live_migration_at_destination(self, ctxt, instance, host, migration):
        return self._call(ctxt, host, 'post_live_migration_at_destination',
                          instance=instance, migration=migration)

    def live_migration_force_complete(self, ctxt, instance, migration):
        self._cast(ctxt, migration.source_compute, 'live_migration_force_complete',
                   instance=instance, migration=migration)

    def live_migration_abort(self, ctxt, instance, migration):
        self._cast(ctxt, migration.source_compute, 'live_migration_abort', instance=instance,
                   migration=migration)

    def evacuate_instance(self, ctxt, instance, migration, admin_password, image_ref):
        """Cast to the destination: build the evacuated instance there."""
        self._cast(ctxt, migration.dest_compute, 'evacuate_instance', instance=instance,
                   migration=migration, admin_password=admin_password, image_ref=image_ref)
    # -- rebuild, snapshots, backups, shelving (1.4) -------------------------------------

    def rebuild_instance(self, ctxt, instance, image, admin_password, injected_files,
                         preserve_ephemeral):
        """Cast: rebuild the instance on its host from ``image`` (an image dict)."""
        self.client.prepare(server=instance.host, version='1.4').cast(
            ctxt, 'rebuild_instance', instance=instance, image=image,
            admin_password=admin_password, injected_files=injected_files,
            preserve_ephemeral=preserve_ephemeral)

    def snapshot_instance(self, ctxt, instance, image_id):
        """Cast: upload the instance's disk into the queued image ``image_id``."""
        self.client.prepare(server=instance.host, version='1.4').cast(
            ctxt, 'snapshot_instance', instance=instance, image_id=image_id)

    def backup_instance(self, ctxt, instance, image_id, backup_type, rotation):
        """Cast: snapshot into ``image_id``, then keep only ``rotation`` backups."""
        self.client.prepare(server=instance.host, version='1.4').cast(
            ctxt, 'backup_instance', instance=instance, image_id=image_id,
            backup_type=backup_type, rotation=rotation)

    def shelve_instance(self, ctxt, instance, image_id, clean_shutdown=True):
        """Cast: stop the instance and snapshot it into ``image_id``."""
        self.client.prepare(server=instance.host, version='1.4').cast(
            ctxt, 'shelve_instance', instance=instance, image_id=image_id,
            clean_shutdown=clean_shutdown)

    def shelve_offload_instance(self, ctxt, instance, clean_shutdown=True):
        """Cast: remove a shelved instance's guest and free its host."""
        self.client.prepare(server=instance.host, version='1.4').cast(
            ctxt, 'shelve_offload_instance', instance=instance,
            clean_shutdown=clean_shutdown)

    def unshelve_instance(self, ctxt, instance, host, image=None, node=None):
        """Cast: spawn a shelved instance on ``host`` (its own, or the one the scheduler
        claimed), from ``image`` when it was offloaded."""
        self.client.prepare(server=host, version='1.4').cast(
            ctxt, 'unshelve_instance', instance=instance, image=image, node=node)
