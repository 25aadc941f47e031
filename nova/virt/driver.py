"""The interface between nova-compute and a hypervisor.

A driver implements what its hypervisor can do; anything else raises NotImplementedError,
which the API turns into a clear 501/409.
"""

import logging

from oslo_utils import importutils

from nova import exception
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeDriver:
    """Base of every virt driver."""

    capabilities = {
        'has_imagecache': False,
        'supports_evacuate': False,
        'supports_migrate_to_same_host': False,
    }

    def __init__(self, virtapi=None):
        self.virtapi = virtapi

    def init_host(self, host):
        """Prepare the hypervisor on ``host`` before the service takes requests."""

    def cleanup_host(self, host):
        """Release hypervisor connections on a clean stop."""

    def get_available_nodes(self, refresh=False):
        """Names of the nodes (hypervisors) this host manages."""
        raise NotImplementedError()

    def get_available_resource(self, nodename):
        """Capacity and usage of ``nodename`` as a dict of compute node fields.

        Keys: vcpus, memory_mb, local_gb, vcpus_used, memory_mb_used, local_gb_used,
        hypervisor_type, hypervisor_version, hypervisor_hostname, cpu_info,
        disk_available_least; optionally host_ip.
        """
        raise NotImplementedError()

    def spawn(self, context, instance, image_meta, injected_files=None, admin_password=None,
              allocations=None, network_info=None, block_device_info=None):
        """Create and start the guest for ``instance``; raise to fail the build."""
        raise NotImplementedError()

    def destroy(self, context, instance, network_info=None, block_device_info=None,
                destroy_disks=True):
        """Stop and remove the guest; succeed when it is already gone."""
        raise NotImplementedError()

    def snapshot(self, context, instance, image_id, update_task_state):
        """Upload the guest's root disk into the queued image ``image_id``.

        Calls ``update_task_state(task_state=IMAGE_PENDING_UPLOAD)`` before reading the
        disk and ``update_task_state(task_state=IMAGE_UPLOADING,
        expected_state=IMAGE_PENDING_UPLOAD)`` before the upload, as upstream drivers do.
        """
        raise NotImplementedError()

    def get_info(self, instance):
        """The guest's state: a dict with at least 'state' (a nova.compute.power_state)."""
        raise NotImplementedError()

    def list_instances(self):
        """Names of the guests the hypervisor runs."""
        raise NotImplementedError()

    def get_diagnostics(self, instance):
        """The guest's diagnostics in the driver's own free-form shape (a flat dict of
        counters), as the API shows them before microversion 2.48."""
        raise NotImplementedError()

    def get_instance_diagnostics(self, instance):
        """The guest's standardized diagnostics: a nova.virt.diagnostics.Diagnostics."""
        raise NotImplementedError()

    # -- power and guest state: each raises InstanceNotFound when the guest is gone ----------

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None):
        """Reboot the guest: 'SOFT' asks the guest OS to restart; 'HARD' power-cycles it,
        recreating the guest from the instance if the hypervisor lost it."""
        raise NotImplementedError()

    def power_off(self, instance, timeout=0, retry_interval=0):
        """Shut the guest down (a clean shutdown first when ``timeout`` > 0)."""
        raise NotImplementedError()

    def power_on(self, context, instance, network_info, block_device_info=None):
        """Start a stopped guest."""
        raise NotImplementedError()

    def pause(self, instance):
        """Freeze the guest's vCPUs, keeping its memory in place."""
        raise NotImplementedError()

    def unpause(self, instance):
        raise NotImplementedError()

    def suspend(self, context, instance):
        """Save the guest's memory to disk and stop it."""
        raise NotImplementedError()

    def resume(self, context, instance, network_info, block_device_info=None):
        """Bring a suspended guest back from its saved memory."""
        raise NotImplementedError()

    def rescue(self, context, instance, network_info, image_meta, rescue_password,
               block_device_info=None):
        """Boot the guest from a rescue image, with its own disk attached as a second one."""
        raise NotImplementedError()

    def unrescue(self, context, instance):
        """Boot the guest from its own disk again."""
        raise NotImplementedError()

    def set_admin_password(self, instance, new_pass):
        """Set the guest's administrator password (through a guest agent)."""
        raise NotImplementedError()

    def inject_network_info(self, instance, nw_info):
        """Give the guest its network information again."""
        raise NotImplementedError()

    def trigger_crash_dump(self, instance):
        """Make the guest OS dump its kernel (an NMI on most hypervisors)."""
        raise NotImplementedError()

    def get_console_output(self, context, instance):
        """The guest's console log so far (str or bytes)."""
        raise NotImplementedError()

    def soft_delete(self, instance):
        """Keep the guest, stopped, until it is restored or reclaimed."""
        raise NotImplementedError()

    def restore(self, instance):
        """Bring a soft-deleted guest back."""
        raise NotImplementedError()

    def get_host_uptime(self):
        """The host's `uptime` line."""
        raise NotImplementedError()

    def cache_image(self, context, image_id):
        """Fetch an image into the host's image cache ahead of boots: True when it was
        fetched now, False when it was already there."""
        raise NotImplementedError()

    def external_instance_event(self, instance, event):
        """React to an external event (network-vif-plugged, ...) about an instance."""

    # -- moves between hosts ---------------------------------------------------------------

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info=None,
                                   block_device_info=None):
        """Source side of a resize/cold migration: stop the guest and copy its disks to
        ``dest``. The source guest stays until the move is confirmed or reverted."""
        raise NotImplementedError()

    def finish_migration(self, context, migration, instance, image_meta, network_info=None,
                         block_device_info=None, power_on=True):
        """Destination side: create the guest with the instance's (new) flavor."""
        raise NotImplementedError()

    def confirm_migration(self, context, migration, instance, network_info=None):
        """Source side of a confirm: remove the stopped source guest."""
        raise NotImplementedError()

    def finish_revert_migration(self, context, instance, network_info=None, migration=None,
                                block_device_info=None, power_on=True):
        """Source side of a revert: bring the source guest back (old flavor)."""
        raise NotImplementedError()

    def check_can_live_migrate_destination(self, context, instance, block_migration):
        """Destination side, first pre-check of a live migration: can this host take the
        guest? ``block_migration`` None means "auto". Returns the migrate data (a dict)
        for the source's check."""
        raise NotImplementedError()

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        """Source side, second pre-check: completes the destination's migrate data (and
        decides block migration when it is "auto"); raises when the move cannot work."""
        raise NotImplementedError()

    def cleanup_live_migration_destination_check(self, context, dest_check_data):
        """Destination side: drop what check_can_live_migrate_destination left behind."""

    def pre_live_migration(self, context, instance, block_device_info=None, network_info=None,
                           disk_info=None, migrate_data=None):
        """Destination side, before a live migration: prepare to receive the guest."""
        raise NotImplementedError()

    def rollback_live_migration_at_destination(self, context, instance, migrate_data=None):
        """Destination side, after a live migration that failed or was aborted once
        pre_live_migration had run: drop what it prepared."""

    def live_migration(self, context, instance, dest, migrate_data=None):
        """Source side: move the running guest to ``dest``; returns when it is there.
        Raises LiveMigrationAborted when aborted first."""
        raise NotImplementedError()

    def post_live_migration_at_destination(self, context, instance, network_info=None,
                                           block_migration=False, block_device_info=None):
        """Destination side, after a live migration: the guest runs here now."""
        raise NotImplementedError()

    def live_migration_force_complete(self, instance):
        """Make an in-progress live migration of ``instance`` complete now."""
        raise NotImplementedError()

    def live_migration_abort(self, instance):
        """Abort an in-progress live migration of ``instance``."""
        raise NotImplementedError()
    # -- consoles, events, image cache --------------------------------------------------------

    def get_vnc_console(self, context, instance):
        """{'host', 'port', 'internal_access_path'} of the guest's VNC server."""
        raise NotImplementedError()

    def get_spice_console(self, context, instance):
        """{'host', 'port', 'tlsPort', 'internal_access_path'} of its SPICE server."""
        raise NotImplementedError()

    def get_serial_console(self, context, instance):
        """{'host', 'port', 'internal_access_path'} of its serial port over TCP."""
        raise NotImplementedError()

    def register_event_listener(self, callback):
        """Call ``callback(instance_uuid, power_state)`` when a guest changes power state
        by itself (drivers without events ignore it: the periodic sync covers them)."""

    def manage_image_cache(self, context, all_instances):
        """Remove cached images no instance of this host uses (drivers with
        capabilities['has_imagecache'])."""


def load_compute_driver(virtapi=None, compute_driver=None):
    """The driver named by ``compute_driver`` (default: the option), instantiated."""
    name = compute_driver or CONF.compute_driver
    if not name:
        raise exception.VirtDriverNotFound(name=name, reason='compute_driver is not set')
    LOG.info('Loading compute driver %s', name)
    try:
        driver = importutils.import_object_ns('nova.virt', name, virtapi)
    except ImportError as error:
        raise exception.VirtDriverNotFound(name=name, reason=error) from error
    if not isinstance(driver, ComputeDriver):
        raise exception.VirtDriverNotFound(name=name, reason='not a ComputeDriver')
    return driver
