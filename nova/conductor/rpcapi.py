"""Client side of the conductor RPC API.

It doubles as oslo.versionedobjects' indirection API: in every process that does not own the
database, a remotable object method becomes one of the three object_* calls below.

Version history:
    1.0 - initial: object_class_action_versions, object_action, object_backport_versions
    1.1 - list_servers: a page of the Compute API's server list in one call
    1.2 - list_servers takes the extra 'server_groups' (a server show in one call)
"""

import logging
import time

import oslo_messaging as messaging
from oslo_versionedobjects import base as ovo_base

from nova import baserpc
from nova import rpc
import nova.conf

CONF = nova.conf.CONF

LOG = logging.getLogger(__name__)

TOPIC = 'conductor'


class ConductorAPI(ovo_base.VersionedObjectIndirectionAPI):
    VERSION = '1.2'

    def __init__(self):
        super().__init__()
        target = messaging.Target(topic=TOPIC, version=self.VERSION)
        self.client = rpc.get_client(target, version_cap=CONF.upgrade_levels.conductor)

    def wait_until_ready(self, context, timeout=None, max_ping_timeout=10):
        """Block until a conductor answers a ping (or ``timeout`` seconds pass).

        A call sent before any conductor has declared its queue is dropped by the broker,
        so a starting service asks with short pings (1 s, doubling up to
        ``max_ping_timeout``) rather than one long call.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        ping = baserpc.BaseAPI(TOPIC)
        attempt, ping_timeout = 0, 1
        while True:
            attempt += 1
            try:
                ping.ping(context, 'ready?', timeout=ping_timeout)
                if attempt > 1:
                    LOG.info('nova-conductor answered after %d attempts', attempt)
                return
            except messaging.MessagingTimeout:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                LOG.warning('Waiting for nova-conductor to answer on the bus (attempt %d)',
                            attempt)
                ping_timeout = min(ping_timeout * 2, max_ping_timeout)

    def can_list_servers(self):
        """Do the conductors take list_servers (1.1)? Not while capped below it."""
        return self.client.can_send_version('1.1')

    def can_list_server_groups(self):
        """Do the conductors take list_servers' 'server_groups' extra (1.2)?"""
        return self.client.can_send_version('1.2')

    def list_servers(self, context, filters, limit=None, marker=None, sort_keys=None,
                     sort_dirs=None, detail=True, extras=()):
        """A page of servers as JSON text (nova.conductor.server_listing)."""
        version = '1.2' if 'server_groups' in extras else '1.1'
        return self.client.prepare(version=version).call(
            context, 'list_servers', filters=filters, limit=limit, marker=marker,
            sort_keys=sort_keys, sort_dirs=sort_dirs, detail=detail, extras=list(extras))

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        return self.client.prepare().call(
            context, 'object_class_action_versions', objname=objname, objmethod=objmethod,
            object_versions=object_versions, args=args, kwargs=kwargs)

    def object_action(self, context, objinst, objmethod, args, kwargs):
        # An object may send only the part of itself the method needs (Instance.save: its
        # identity and changes); the updates conductor sends back apply to the whole.
        partial = getattr(objinst, 'obj_for_remote_call', None)
        if partial is not None:
            objinst = partial(objmethod)
        return self.client.prepare().call(
            context, 'object_action', objinst=objinst, objmethod=objmethod, args=args,
            kwargs=kwargs)

    def object_backport_versions(self, context, objinst, object_versions):
        return self.client.prepare().call(
            context, 'object_backport_versions', objinst=objinst,
            object_versions=object_versions)


class ComputeTaskAPI:
    """Client of conductor's 'compute_task' namespace: orchestration of builds.

    Version history:
        1.0 - initial: schedule_and_build_instances, build_instances (reschedule)
        1.2 - migrate_server, live_migrate_instance, evacuate_server
        1.3 - unshelve_instance
    """

    VERSION = '1.3'

    def __init__(self):
        target = messaging.Target(topic=TOPIC, namespace='compute_task', version=self.VERSION)
        self.client = rpc.get_client(target)

    def schedule_and_build_instances(self, context, instances, request_spec, image,
                                     admin_password, requested_networks,
                                     block_device_mapping):
        self.client.prepare(version='1.0').cast(
            context, 'schedule_and_build_instances', instances=instances,
            request_spec=request_spec, image=image, admin_password=admin_password,
            requested_networks=requested_networks, block_device_mapping=block_device_mapping)

    def build_instances(self, context, instance, request_spec, image, admin_password,
                        requested_networks, block_device_mapping, retry):
        """Reschedule ``instance`` after a failed build; ``retry`` lists the hosts tried."""
        self.client.prepare(version='1.0').cast(
            context, 'build_instances', instance=instance, request_spec=request_spec,
            image=image, admin_password=admin_password, requested_networks=requested_networks,
            block_device_mapping=block_device_mapping, retry=retry)

    def migrate_server(self, context, instance, flavor, host=None):
        """Cast: resize (a new flavor) or cold-migrate the instance, to ``host`` if given."""
        self.client.prepare(version='1.2').cast(
            context, 'migrate_server', instance=instance, flavor=flavor, host=host)

    def live_migrate_instance(self, context, instance, host, block_migration, force):
        """Cast: live-migrate the instance (to ``host``, checked by the scheduler unless
        ``force``)."""
        self.client.prepare(version='1.2').cast(
            context, 'live_migrate_instance', instance=instance, host=host,
            block_migration=block_migration, force=force)

    def evacuate_server(self, context, instance, migration, host, force, admin_password):
        """Cast: rebuild the instance of a failed host elsewhere."""
        self.client.prepare(version='1.2').cast(
            context, 'evacuate_server', instance=instance, migration=migration, host=host,
            force=force, admin_password=admin_password)

    def unshelve_instance(self, context, instance, request_spec=None):
        """Unshelve: on its host when SHELVED; placed by the scheduler (``request_spec``)
        when SHELVED_OFFLOADED."""
        self.client.prepare(version='1.3').cast(
            context, 'unshelve_instance', instance=instance, request_spec=request_spec)
