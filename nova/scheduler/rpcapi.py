"""Client side of the scheduler RPC API.

Version history:
    1.0 - initial: select_destinations
"""

import oslo_messaging as messaging

from nova import rpc

TOPIC = 'scheduler'


class SchedulerAPI:
    VERSION = '1.0'

    def __init__(self):
        target = messaging.Target(topic=TOPIC, version=self.VERSION)
        self.client = rpc.get_client(target)

    def select_destinations(self, ctxt, spec_obj, instance_uuids, return_alternates=False):
        """Per instance, [chosen host, alternates...] as selection dicts (service_host,
        nodename, compute_node_uuid, limits, claimed); the chosen hosts are claimed when
        ``instance_uuids`` are given. Raises NoValidHost."""
        cctxt = self.client.prepare(version='1.0')
        return cctxt.call(ctxt, 'select_destinations', spec_obj=spec_obj,
                          instance_uuids=instance_uuids, return_alternates=return_alternates)
