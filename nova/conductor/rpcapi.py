"""Client side of the conductor RPC API.

It doubles as oslo.versionedobjects' indirection API: in every process that does not own the
database, a remotable object method becomes one of the three object_* calls below.

Version history:
    1.0 - initial: object_class_action_versions, object_action, object_backport_versions
"""

import oslo_messaging as messaging
from oslo_versionedobjects import base as ovo_base

import nova.conf
from nova import rpc

CONF = nova.conf.CONF

TOPIC = 'conductor'


class ConductorAPI(ovo_base.VersionedObjectIndirectionAPI):
    VERSION = '1.0'

    def __init__(self):
        super().__init__()
        target = messaging.Target(topic=TOPIC, version=self.VERSION)
        self.client = rpc.get_client(target)

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        return self.client.prepare().call(
            context, 'object_class_action_versions', objname=objname, objmethod=objmethod,
            object_versions=object_versions, args=args, kwargs=kwargs)

    def object_action(self, context, objinst, objmethod, args, kwargs):
        return self.client.prepare().call(
            context, 'object_action', objinst=objinst, objmethod=objmethod, args=args,
            kwargs=kwargs)

    def object_backport_versions(self, context, objinst, object_versions):
        return self.client.prepare().call(
            context, 'object_backport_versions', objinst=objinst,
            object_versions=object_versions)
