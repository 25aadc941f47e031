"""Moving servers between two fake compute hosts through the whole system (nova-all in
this process): resize, confirm, revert, cold and live migration, evacuation; the state
checks (409) and bad requests (400); os-migrations and server migrations; and both hosts'
usage in os-hypervisors after every step."""

import time

import pytest

import nova.conf
from tests.functional.api.test_servers_boot import _upload_image
from tests.functional.api.test_servers_boot import _wait_for

CONF = nova.conf.CONF
SMALL = {'vcpus': 1, 'memory_mb': 64, 'local_gb': 1}
LARGE = {'vcpus': 2, 'memory_mb': 128, 'local_gb': 2}


@pytest.fixture
def two_hosts(nova):
    """edge1 (nova-all's own compute) and edge2; flavors 1 (small) and 2 (large)."""
    nova.add_compute('edge2')
    image_id = _upload_image(nova)
    for flavor_id, name, ram, vcpus, disk in (('1', 'small', 64, 1, 1),
                                              ('2', 'large', 128, 2, 2),
                                              ('3', 'zero', 128, 2, 0)):
        status, _h, body = nova.request('POST', '/v2.1/flavors', {'flavor': {
            'name': name, 'ram': ram, 'vcpus': vcpus, 'disk': disk, 'id': flavor_id}})
        assert status == 200, body
    deadline = time.time() + 30
    while time.time() < deadline:
        if set(_usage(nova)) == {'edge1', 'edge2'}:
            break
        time.sleep(0.2)
    return nova, image_id


def _usage(nova):
    """{host: {vcpus, memory_mb, local_gb}} used by servers (beyond the host's reserved
    memory and disk), from os-hypervisors/detail."""
    status, _h, body = nova.request('GET', '/v2.1/os-hypervisors/detail')
    assert status == 200, body
    return {h['service']['host']: {'vcpus': h['vcpus_used'],
                                   'memory_mb': h['memory_mb_used']
                                   - CONF.reserved_host_memory_mb,
                                   'local_gb': h['local_gb_used']
                                   - CONF.reserved_host_disk_mb // 1024}
            for h in body['hypervisors']}


def _zero():
    return {'vcpus': 0, 'memory_mb': 0, 'local_gb': 0}


def _boot(nova, image_id, flavor='1'):
    status, _h, body = nova.request('POST', '/v2.1/servers', {'server': {
        'name': 'mover', 'imageRef': image_id, 'flavorRef': flavor, 'networks': 'none'}},
        version='2.37')
    assert status == 202, body
    server = _wait_for(nova, body['server']['id'], ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE', server
    return server


def _action(nova, server_id, body, version=None, token='admin:admin'):
    return nova.request('POST', '/v2.1/servers/%s/action' % server_id, body,
                        version=version, token=token)


def _server(nova, server_id):
    return nova.request('GET', '/v2.1/servers/%s' % server_id)[2]['server']


def _wait_settled(nova, server_id, wanted, timeout=30):
    """Wait for ``wanted`` status with no task state."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        server = _server(nova, server_id)
        if server['status'] in wanted and server['OS-EXT-STS:task_state'] is None:
            return server
        time.sleep(0.2)
    raise AssertionError('server never settled in %s: %s' % (wanted, server))


def _wait_usage(nova, expected, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        usage = _usage(nova)
        if usage == expected:
            return
        time.sleep(0.2)
    assert usage == expected


def _migrations(nova, query='', version=None):
    status, _h, body = nova.request('GET', '/v2.1/os-migrations' + query, version=version)
    assert status == 200, body
    return body['migrations']


def test_resize_confirm_and_revert_between_hosts(two_hosts):
    nova, image_id = two_hosts
    server = _boot(nova, image_id)
    sid = server['id']
    source = server['OS-EXT-SRV-ATTR:host']
    dest = ({'edge1', 'edge2'} - {source}).pop()
    _wait_usage(nova, {source: SMALL, dest: _zero()})

    # resize: VERIFY_RESIZE on the other host; both hold a flavor until confirm
    status, _h, body = _action(nova, sid, {'resize': {'flavorRef': '2'}})
    assert status == 202, body
    server = _wait_settled(nova, sid, ('VERIFY_RESIZE', 'ERROR'))
    assert server['status'] == 'VERIFY_RESIZE', server
    assert server['OS-EXT-SRV-ATTR:host'] == dest
    assert server['flavor']['id'] == '2'
    _wait_usage(nova, {source: SMALL, dest: LARGE})
    [migration] = _migrations(nova, version='2.80')
    assert migration['status'] == 'finished' and migration['migration_type'] == 'resize'
    assert (migration['source_compute'], migration['dest_compute']) == (source, dest)
    assert migration['instance_uuid'] == sid and migration['project_id'] == 'admin'

    # a second resize, a migrate or a live migration must wait for the confirm
    status, _h, body = _action(nova, sid, {'resize': {'flavorRef': '1'}})
    assert status == 409, body
    assert body['conflictingRequest']['message'] == (
        "Cannot 'resize' instance %s while it is in vm_state resized" % sid)

    # confirm: the source's room is free
    status, _h, body = _action(nova, sid, {'confirmResize': None})
    assert status == 204, body
    server = _wait_settled(nova, sid, ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE' and server['OS-EXT-SRV-ATTR:host'] == dest
    _wait_usage(nova, {source: _zero(), dest: LARGE})
    assert _migrations(nova)[0]['status'] == 'confirmed'
    status, _h, body = _action(nova, sid, {'confirmResize': None})
    assert status == 409, body

    # resize back and revert: the instance returns with the large flavor, the small
    # flavor's room on the other host is free again
    status, _h, body = _action(nova, sid, {'resize': {'flavorRef': '1'}})
    assert status == 202, body
    server = _wait_settled(nova, sid, ('VERIFY_RESIZE', 'ERROR'))
    assert server['OS-EXT-SRV-ATTR:host'] == source
    _wait_usage(nova, {source: SMALL, dest: LARGE})
    status, _h, body = _action(nova, sid, {'revertResize': None})
    assert status == 202, body
    server = _wait_settled(nova, sid, ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE' and server['OS-EXT-SRV-ATTR:host'] == dest
    assert server['flavor']['id'] == '2'
    _wait_usage(nova, {source: _zero(), dest: LARGE})
    statuses = [m['status'] for m in _migrations(nova)]
    assert statuses == ['reverted', 'confirmed']

    _status, _h, actions = nova.request('GET', '/v2.1/servers/%s/os-instance-actions' % sid)
    assert [a['action'] for a in actions['instanceActions']] == [
        'revertResize', 'resize', 'confirmResize', 'resize', 'create']
