"""The bus: the only place oslo.messaging is configured.

``init`` builds the RPC and notification transports from ``transport_url`` (RabbitMQ in
distributed mode, ``kombu+memory://`` inside nova-all). Clients and servers come from
``get_client``/``get_server`` so every message carries the request context and nova objects
through the same serializer, and every server uses the threading executor.
"""

import oslo_messaging as messaging
from oslo_messaging import opts as messaging_opts
from oslo_messaging._drivers import amqpdriver
from oslo_messaging.rpc import dispatcher
from oslo_serialization import jsonutils

import nova.conf
import nova.context
import nova.exception
from nova.objects import base as objects_base

CONF = nova.conf.CONF

TRANSPORT = None
NOTIFICATION_TRANSPORT = None
NOTIFIER = None

# Exceptions raised remotely in these modules are re-raised as themselves in the caller.
ALLOWED_EXMODS = [nova.exception.__name__]

IN_PROCESS_TRANSPORT_URL = 'kombu+memory://localhost//'

# oslo.messaging's AMQP pollers (an RPC server's listener, a caller's reply waiter) wait for
# the next message with a timeout that starts again at 1 ms after every message and then
# doubles, so a daemon answering a request every few tens of milliseconds wakes four or five
# times per request only to time out, at about 0.15 ms of CPU a wake (measured on RabbitMQ:
# 1.5 ms of CPU less per server list in each of nova-api and nova-conductor with 50 ms).
# The short first wait only hurries the acknowledgements that worker threads queue for the
# poller; RPC requests are acknowledged before they are dispatched and nothing waits for
# it, so 50 ms is prompt enough. On a socket a message still wakes the poller at once; on
# the in-process bus the timeout is also the polling interval, so it keeps its default.
AMQP_FIRST_POLL_TIMEOUT = 0.05
_LIBRARY_FIRST_POLL_TIMEOUT = amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MIN



def register_opts(conf):
    """Register transport_url & co. now, so config files and overrides can name them
    before the first transport exists; the exchange is 'nova' as upstream names it."""
    messaging.set_transport_defaults('nova')
    messaging.TransportURL.parse(conf)  # registers the transport options as a side effect
    # The RabbitMQ driver (also behind kombu+memory) registers its group only when a
    # transport is built; nova-all sets one of its defaults before that.
    for group, opts in messaging_opts.list_opts():
        if group == 'oslo_messaging_rabbit':
            conf.register_opts(opts, group=group)


register_opts(CONF)


def is_in_process(conf):
    """Whether the bus is nova-all's in-process one rather than a broker."""
    return (conf.transport_url or '').startswith('kombu+memory')


def init(conf):
    global TRANSPORT, NOTIFICATION_TRANSPORT, NOTIFIER
    amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MIN = (
        _LIBRARY_FIRST_POLL_TIMEOUT if is_in_process(conf) else AMQP_FIRST_POLL_TIMEOUT)
    TRANSPORT = messaging.get_rpc_transport(conf, allowed_remote_exmods=ALLOWED_EXMODS)
    NOTIFICATION_TRANSPORT = messaging.get_notification_transport(
        conf, allowed_remote_exmods=ALLOWED_EXMODS)
    NOTIFIER = messaging.Notifier(NOTIFICATION_TRANSPORT,
                                  serializer=RequestContextSerializer(JsonPayloadSerializer()))


def cleanup():
    global TRANSPORT, NOTIFICATION_TRANSPORT, NOTIFIER
    for transport in (TRANSPORT, NOTIFICATION_TRANSPORT):
        if transport is not None:
            transport.cleanup()
    TRANSPORT = NOTIFICATION_TRANSPORT = NOTIFIER = None


def initialized():
    return TRANSPORT is not None


def _check_initialized():
    if TRANSPORT is None:
        raise RuntimeError('nova.rpc.init() has not been called')


class JsonPayloadSerializer(messaging.NoOpSerializer):
    """Turns notification payloads into JSON-safe primitives."""

    @staticmethod
    def serialize_entity(context, entity):
        return jsonutils.to_primitive(entity, convert_instances=True)


class RequestContextSerializer(messaging.Serializer):
    """Carries the RequestContext with each message and wraps an entity serializer."""

    def __init__(self, base=None):
        self._base = base

    def serialize_entity(self, context, entity):
        return self._base.serialize_entity(context, entity) if self._base else entity

    def deserialize_entity(self, context, entity):
        return self._base.deserialize_entity(context, entity) if self._base else entity

    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return nova.context.RequestContext.from_dict(context)


def get_client(target, version_cap=None, serializer=None, timeout=None):
    """An RPC client for ``target`` (use from an rpcapi module only)."""
    _check_initialized()
    return messaging.get_rpc_client(
        TRANSPORT, target, version_cap=version_cap, timeout=timeout,
        serializer=RequestContextSerializer(serializer or objects_base.NovaObjectSerializer()))


def get_server(target, endpoints, serializer=None):
    """An RPC server for ``target`` dispatching to ``endpoints`` (threading executor, the
    only one oslo.messaging keeps)."""
    _check_initialized()
    return messaging.get_rpc_server(
        TRANSPORT, target, endpoints,
        serializer=RequestContextSerializer(serializer or objects_base.NovaObjectSerializer()),
        access_policy=dispatcher.DefaultRPCAccessPolicy)


def get_notifier(service, host=None):
    """A notifier publishing as ``service.host`` (e.g. compute.node1)."""
    _check_initialized()
    return NOTIFIER.prepare(publisher_id='%s.%s' % (service, host or CONF.host))
