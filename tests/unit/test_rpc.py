"""RPC over the in-process bus: context, objects and nova exceptions cross intact."""

import uuid

import oslo_messaging as messaging
from oslo_messaging._drivers import amqpdriver
from oslo_versionedobjects import fields
import pytest

from nova import baserpc
from nova import context
from nova import exception
from nova import rpc
from nova.objects import base


@base.NovaObjectRegistry.register  # the receiving side looks classes up by name
class _Thing(base.NovaObject):
    VERSION = '1.0'
    fields = {'name': fields.StringField()}


class _Endpoint:
    target = messaging.Target(version='1.0')

    def echo_thing(self, ctxt, thing):
        assert isinstance(thing, _Thing)
        thing.name = '%s seen by %s' % (thing.name, ctxt.user_id)
        return thing

    def whoami(self, ctxt):
        return {'user': ctxt.user_id, 'request_id': ctxt.request_id}

    def missing(self, ctxt, service_id):
        raise exception.ServiceNotFound(service_id=service_id)


@pytest.fixture
def bus(conf):
    conf.set_override('transport_url', rpc.IN_PROCESS_TRANSPORT_URL)
    rpc.init(conf)
    topic = 'test-%s' % uuid.uuid4().hex[:8]
    server = rpc.get_server(messaging.Target(topic=topic, server='h1'),
                            [_Endpoint(), baserpc.BaseRPC('nova-test', 'h1')])
    server.start()
    yield topic
    server.stop()
    server.wait()
    rpc.cleanup()


def test_context_and_objects_cross_the_bus(bus):
    client = rpc.get_client(messaging.Target(topic=bus, version='1.0'))
    ctxt = context.RequestContext('alice', 'p1')
    assert client.call(ctxt, 'whoami') == {'user': 'alice', 'request_id': ctxt.request_id}
    thing = client.call(ctxt, 'echo_thing', thing=_Thing(name='box'))
    assert isinstance(thing, _Thing) and thing.name == 'box seen by alice'


def test_nova_exceptions_are_raised_as_themselves(bus):
    client = rpc.get_client(messaging.Target(topic=bus, version='1.0'))
    with pytest.raises(exception.ServiceNotFound, match='Service 42 could not be found'):
        client.call(context.get_admin_context(), 'missing', service_id=42)


def test_base_ping(bus):
    reply = baserpc.BaseAPI(bus).ping(context.get_admin_context(), 'hello', server='h1')
    assert reply == {'service': 'nova-test', 'host': 'h1', 'arg': 'hello'}


def test_client_before_init_fails_clearly():
    rpc.cleanup()
    with pytest.raises(RuntimeError, match='rpc.init'):
        rpc.get_client(messaging.Target(topic='x'))


def test_amqp_pollers_wait_longer_on_a_broker_than_in_process(conf):
    conf.set_override('transport_url', 'rabbit://guest:guest@127.0.0.1:5672/')
    rpc.init(conf)  # builds transports only: no connection until the first message
    try:
        assert amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MIN == rpc.AMQP_FIRST_POLL_TIMEOUT
    finally:
        rpc.cleanup()
    conf.set_override('transport_url', rpc.IN_PROCESS_TRANSPORT_URL)
    rpc.init(conf)
    try:
        assert amqpdriver.ACK_REQUEUE_EVERY_SECONDS_MIN == 0.001  # the library's own
    finally:
        rpc.cleanup()
