"""Client side of the compute RPC API: the only place messages to nova-compute are built.

Version history:
    1.0 - initial: get_host_uptime, build_and_run_instance, terminate_instance
    1.1 - get_diagnostics, get_instance_diagnostics
    1.5 - cache_images, external_instance_event
"""

import oslo_messaging as messaging

from nova import rpc

TOPIC = 'compute'


class ComputeAPI:
    VERSION = '1.5'

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

    def cache_images(self, ctxt, host, image_ids):
        """Cast: fetch the images into ``host``'s image cache (aggregate pre-caching)."""
        self.client.prepare(server=host, version='1.5').cast(
            ctxt, 'cache_images', image_ids=image_ids)

    def external_instance_event(self, ctxt, host, instances, events):
        """Cast: deliver external events (dicts: name, tag, status, server_uuid, ...)
        about ``instances`` to their compute ``host``."""
        self.client.prepare(server=host, version='1.5').cast(
            ctxt, 'external_instance_event', instances=instances, events=events)
