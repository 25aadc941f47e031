"""POST /os-server-external-events in the whole system (nova-all in this process): event
names per microversion, per-event codes, 200/207/404, delivery to the compute host's
driver, policy."""

import time

import pytest

from nova import context
from nova import objects
from nova.compute import api as compute_api
from tests.functional.test_boot import _flavor
from tests.functional.test_boot import _user
from tests.functional.test_boot import _wait

URL = '/v2.1/os-server-external-events'
UNKNOWN = '00000000-0000-0000-0000-000000000000'


@pytest.fixture
def server(nova):
    instances, _rid = compute_api.API().create(_user(), _flavor(), None, name='vm')
    instance, = _wait(instances)
    assert instance.vm_state == 'active'
    return instance


def _driver(nova, host='edge1'):
    return [s.manager.driver for s in nova.services
            if getattr(s, 'binary', None) == 'nova-compute' and s.host == host][0]


def test_events_reach_the_host(nova, server):
    status, _h, body = nova.request('POST', URL, {'events': [
        {'name': 'network-vif-plugged', 'server_uuid': server.uuid, 'tag': 'port-1'},
        {'name': 'network-changed', 'server_uuid': server.uuid, 'status': 'in-progress'}]})
    assert status == 200, body
    assert body == {'events': [
        {'name': 'network-vif-plugged', 'server_uuid': server.uuid, 'tag': 'port-1',
         'status': 'completed', 'code': 200},
        {'name': 'network-changed', 'server_uuid': server.uuid, 'status': 'in-progress',
         'code': 200}]}
    driver = _driver(nova)
    deadline = time.monotonic() + 10
    while len(driver.external_events) < 2:
        assert time.monotonic() < deadline, driver.external_events
        time.sleep(0.05)
    assert driver.external_events == [(server.uuid, 'network-vif-plugged', 'port-1'),
                                      (server.uuid, 'network-changed', None)]


def test_partial_and_none(nova, server):
    unplaced = objects.Instance(context.get_admin_context(), project_id='p1', user_id='u',
                                vm_state='building', display_name='x')
    unplaced.create()
    status, _h, body = nova.request('POST', URL, {'events': [
        {'name': 'network-vif-unplugged', 'server_uuid': server.uuid},
        {'name': 'network-vif-deleted', 'server_uuid': UNKNOWN},
        {'name': 'network-changed', 'server_uuid': unplaced.uuid}]})
    assert status == 207, body
    assert [(e['code'], e['status']) for e in body['events']] == \
        [(200, 'completed'), (404, 'failed'), (422, 'failed')]
    status, _h, body = nova.request('POST', URL, {'events': [
        {'name': 'network-changed', 'server_uuid': UNKNOWN}]})
    assert (status, body['itemNotFound']['message']) == \
        (404, 'No instances found for any event')


@pytest.mark.parametrize('name, first_version', [
    ('volume-extended', '2.51'), ('power-update', '2.76'),
    ('accelerator-request-bound', '2.82'), ('volume-reimaged', '2.93')])
def test_event_names_per_microversion(nova, server, name, first_version):
    before = '2.%d' % (int(first_version.split('.')[1]) - 1)
    event = {'name': name, 'server_uuid': server.uuid, 'tag': 'POWER_OFF'}
    assert nova.request('POST', URL, {'events': [event]}, version=before)[0] == 400
    assert nova.request('POST', URL, {'events': [event]}, version=first_version)[0] == 200


def test_bad_bodies_and_policy(nova, server):
    for body in ({'events': []}, {'events': [{'name': 'network-changed'}]},
                 {'events': [{'name': 'bogus', 'server_uuid': server.uuid}]},
                 {'events': [{'name': 'network-changed', 'server_uuid': server.uuid,
                              'status': 'done'}]},
                 {'events': [{'name': 'network-changed', 'server_uuid': server.uuid,
                              'extra': 1}]}):
        assert nova.request('POST', URL, body)[0] == 400
    status, _h, _b = nova.request('POST', URL, {'events': [
        {'name': 'network-changed', 'server_uuid': server.uuid}]}, token='alice:p1')
    assert status == 403
