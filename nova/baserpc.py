"""The 'baseapi' namespace every RPC service answers: a liveness ping over the bus.

Client and endpoint of one tiny API, so tools (and the benchmark) can measure a bare round
trip to any service without touching the database.

Version history:
    1.0 - initial: ping
"""

import oslo_messaging as messaging

from nova import rpc

NAMESPACE = 'baseapi'


class BaseAPI:
    """Client side of the base RPC API, aimed at one service's topic."""

    VERSION = '1.0'

    def __init__(self, topic):
        target = messaging.Target(topic=topic, namespace=NAMESPACE, version=self.VERSION)
        self.client = rpc.get_client(target)

    def ping(self, context, arg, timeout=None, server=None):
        cctxt = self.client.prepare(timeout=timeout, server=server)
        return cctxt.call(context, 'ping', arg=arg)


class BaseRPC:
    """Server side of the base RPC API."""

    target = messaging.Target(namespace=NAMESPACE, version='1.0')

    def __init__(self, service_name, host):
        self.service_name = service_name
        self.host = host

    def ping(self, context, arg):
        return {'service': self.service_name, 'host': self.host, 'arg': arg}
