"""The interface between nova-compute and a hypervisor.

A driver implements what its hypervisor can do; anything else raises NotImplementedError,
which the API turns into a clear 501/409. Later work adds the instance lifecycle calls.
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

    def power_off(self, instance, timeout=0, retry_interval=0):
        """Stop the guest (cleanly within ``timeout`` seconds when asked), keeping it."""
        raise NotImplementedError()

    def power_on(self, context, instance, network_info=None, block_device_info=None):
        """Start a stopped guest."""
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

    def get_host_uptime(self):
        """The host's `uptime` line."""
        raise NotImplementedError()


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
