"""Client side of the scheduler RPC API.

Version history:
    1.0 - initial: select_destinations
    1.1 - select_destinations takes migration_uuid (a move claim)
"""

import oslo_messaging as messaging

from nova import rpc

TOPIC = 'scheduler'


class SchedulerAPI:
    VERSION = '1.1'

    def __init__(self):
        target = messaging.Target(topic=TOPIC, version=self.VERSION)
        self.client = rpc.get_client(target)

    def select_destinations(self, ctxt, spec_obj, instance_uuids, return_alternates=False,
                            migration_uuid=None):
        """Per instance, [chosen host, alternates...] as selection dicts (service_host,
        nodename, compute_node_uuid, limits, claimed); the chosen hosts are claimed when
        ``instance_uuids`` are given (a move claim for the migration ``migration_uuid``
        when one is, for the one instance moving). Raises NoValidHost."""
        kwargs = {}
        version = '1.0'
        if migration_uuid is not None:
            kwargs['migration_uuid'] = migration_uuid
            version = '1.1'
        cctxt = self.client.prepare(version=version)
        return cctxt.call(ctxt, 'select_destinations', spec_obj=spec_obj,
                          instance_uuids=instance_uuids, return_alternates=return_alternates,
                          **kwargs)
