"""Client side of the compute RPC API: the only place messages to nova-compute are built.

Version history:
    1.0 - initial: get_host_uptime, build_and_run_instance, terminate_instance
    1.1 - get_diagnostics, get_instance_diagnostics
    1.4 - rebuild_instance, snapshot_instance, backup_instance, shelve_instance,
          shelve_offload_instance, unshelve_instance
"""

import oslo_messaging as messaging

from nova import rpc

TOPIC = 'compute'


class ComputeAPI:
    VERSION = '1.4'

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
