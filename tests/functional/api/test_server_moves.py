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
    expected_events = {
        'resize': {'conductor_migrate_server', 'compute_prep_resize',
                   'compute_resize_instance', 'compute_finish_resize'},
        'revertResize': {'compute_revert_resize', 'compute_finish_revert_resize'},
        'confirmResize': {'compute_confirm_resize'}}
    for action in actions['instanceActions'][:3]:
        status, _h, body = nova.request('GET', '/v2.1/servers/%s/os-instance-actions/%s'
                                        % (sid, action['request_id']), version='2.51')
        assert status == 200, body
        events = body['instanceAction']['events']
        assert {e['event'] for e in events} == expected_events[action['action']]
        assert {e['result'] for e in events} == {'Success'}


def test_cold_migrate_to_a_named_host_and_the_bad_requests(two_hosts):
    nova, image_id = two_hosts
    server = _boot(nova, image_id)
    sid = server['id']
    source = server['OS-EXT-SRV-ATTR:host']
    dest = ({'edge1', 'edge2'} - {source}).pop()

    for body, version, message in (
            ({'migrate': {'host': 'nowhere'}}, '2.56',
             'Compute host nowhere could not be found.'),
            ({'migrate': {'host': source}}, '2.56',
             'Unable to migrate instance (%s) to current host (%s).' % (sid, source)),
            ({'resize': {'flavorRef': '1'}}, None,
             'When resizing, instances must change flavor!'),
            ({'resize': {'flavorRef': '99'}}, None, 'Unable to locate requested flavor.'),
            ({'resize': {'flavorRef': '3'}}, None,
             'Server disk was unable to be resized because: Resize to zero disk flavor '
             'is not allowed.'),
            ({'confirmResize': None}, None, None),
            ({'revertResize': None}, None, None)):
        status, _h, body = _action(nova, sid, body, version=version)
        if message is None:
            assert status == 409, body
        else:
            assert status == 400, body
            assert body['badRequest']['message'] == message
    # a bigger flavor must fit the project's quota
    from nova import context as nova_context
    from nova import objects
    objects.Quotas.create_limit(nova_context.get_admin_context(), 'admin', 'cores', 1)
    status, _h, body = _action(nova, sid, {'resize': {'flavorRef': '2'}})
    assert status == 403, body
    assert body['forbidden']['message'] == (
        'Quota exceeded for cores: Requested 1, but already used 1 of 1 cores')
    # the owner may resize, not migrate
    status, _h, body = _action(nova, sid, {'migrate': None}, token='alice:admin')
    assert status == 403, body
    assert _migrations(nova) == []

    status, _h, body = _action(nova, sid, {'migrate': {'host': dest}}, version='2.56')
    assert status == 202, body
    server = _wait_settled(nova, sid, ('VERIFY_RESIZE', 'ERROR'))
    assert server['OS-EXT-SRV-ATTR:host'] == dest and server['flavor']['id'] == '1'
    _wait_usage(nova, {source: SMALL, dest: SMALL})
    [migration] = _migrations(nova, version='2.23')
    assert migration['migration_type'] == 'migration'
    assert migration['old_instance_type_id'] == migration['new_instance_type_id']
    status, _h, _b = _action(nova, sid, {'confirmResize': None})
    assert status == 204
    _wait_settled(nova, sid, ('ACTIVE',))
    _wait_usage(nova, {source: _zero(), dest: SMALL})


def test_a_move_with_no_destination_leaves_the_server_as_it_was(two_hosts):
    nova, image_id = two_hosts
    server = _boot(nova, image_id)
    sid = server['id']
    source = server['OS-EXT-SRV-ATTR:host']
    other = ({'edge1', 'edge2'} - {source}).pop()
    # the only other host is disabled: no destination (the source is excluded)
    status, _h, body = nova.request('PUT', '/v2.1/os-services/disable', {
        'host': other, 'binary': 'nova-compute'})
    assert status == 200, body
    status, _h, body = _action(nova, sid, {'resize': {'flavorRef': '2'}})
    assert status == 202, body
    deadline = time.time() + 30
    while time.time() < deadline:
        migrations = _migrations(nova)
        if migrations and migrations[0]['status'] == 'error':
            break
        time.sleep(0.2)
    assert migrations[0]['status'] == 'error'
    server = _wait_settled(nova, sid, ('ACTIVE',))
    assert server['flavor']['id'] == '1' and server['OS-EXT-SRV-ATTR:host'] == source
    _wait_usage(nova, {source: SMALL, other: _zero()})


def test_resize_to_the_same_host_when_allowed(two_hosts, conf):
    nova, image_id = two_hosts
    conf.set_override('allow_resize_to_same_host', True)
    server = _boot(nova, image_id)
    sid = server['id']
    source = server['OS-EXT-SRV-ATTR:host']
    other = ({'edge1', 'edge2'} - {source}).pop()
    nova.request('PUT', '/v2.1/os-services/disable', {'host': other,
                                                      'binary': 'nova-compute'})
    status, _h, body = _action(nova, sid, {'resize': {'flavorRef': '2'}})
    assert status == 202, body
    server = _wait_settled(nova, sid, ('VERIFY_RESIZE', 'ERROR'))
    assert server['status'] == 'VERIFY_RESIZE' and server['OS-EXT-SRV-ATTR:host'] == source
    both = {key: SMALL[key] + LARGE[key] for key in SMALL}
    _wait_usage(nova, {source: both, other: _zero()})
    status, _h, _b = _action(nova, sid, {'revertResize': None})
    assert status == 202
    server = _wait_settled(nova, sid, ('ACTIVE',))
    assert server['flavor']['id'] == '1'
    _wait_usage(nova, {source: SMALL, other: _zero()})


def test_resize_confirms_itself_after_the_window(conf, tmp_path):
    from tests.functional.conftest import nova_all_in_process

    with nova_all_in_process(conf, tmp_path, report_interval=1, resize_confirm_window=1,
                             allow_resize_to_same_host=True) as nova:
        image_id = _upload_image(nova)
        for flavor_id, ram in (('1', 64), ('2', 128)):
            nova.request('POST', '/v2.1/flavors', {'flavor': {
                'name': 'f%s' % flavor_id, 'ram': ram, 'vcpus': 1, 'disk': 1,
                'id': flavor_id}})
        server = _boot(nova, image_id)
        status, _h, body = _action(nova, server['id'], {'resize': {'flavorRef': '2'}})
        assert status == 202, body
        server = _wait_settled(nova, server['id'], ('ACTIVE', 'ERROR'), timeout=60)
        assert server['status'] == 'ACTIVE' and server['flavor']['id'] == '2'
        assert _migrations(nova)[0]['status'] == 'confirmed'
        _status, _h, actions = nova.request(
            'GET', '/v2.1/servers/%s/os-instance-actions' % server['id'])
        assert [a['action'] for a in actions['instanceActions']] == [
            'confirmResize', 'resize', 'create']


def test_live_migration(two_hosts, conf):
    nova, image_id = two_hosts
    server = _boot(nova, image_id)
    sid = server['id']
    source = server['OS-EXT-SRV-ATTR:host']
    dest = ({'edge1', 'edge2'} - {source}).pop()

    status, _h, body = _action(nova, sid, {'os-migrateLive': {
        'host': source, 'block_migration': 'auto'}}, version='2.25')
    assert status == 400, body
    status, _h, body = _action(nova, sid, {'os-migrateLive': {
        'host': None, 'block_migration': False}}, version='2.1')
    assert status == 400, body  # disk_over_commit is required before 2.25
    status, _h, body = _action(nova, sid, {'os-migrateLive': {
        'host': None, 'block_migration': 'auto', 'force': True}}, version='2.68')
    assert status == 400, body  # force is gone in 2.68

    status, _h, body = _action(nova, sid, {'os-migrateLive': {
        'host': None, 'block_migration': False, 'disk_over_commit': False}})
    assert status == 202, body
    server = _wait_settled(nova, sid, ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE' and server['OS-EXT-SRV-ATTR:host'] == dest
    _wait_usage(nova, {source: _zero(), dest: SMALL})
    [migration] = _migrations(nova, '?migration_type=live-migration', version='2.23')
    assert migration['status'] == 'completed' and 'links' not in migration

    # a slow one: listed while it runs, then forced to complete
    conf.set_override('live_migration_delay', 30, group='fake_driver')
    status, _h, body = _action(nova, sid, {'os-migrateLive': {
        'host': source, 'block_migration': 'auto', 'force': False}}, version='2.30')
    assert status == 202, body
    migration = _wait_live_running(nova, sid)
    _wait_usage(nova, {source: SMALL, dest: SMALL})
    url = '/v2.1/servers/%s/migrations/%s' % (sid, migration['id'])
    status, _h, body = nova.request('GET', url, version='2.80')
    assert status == 200 and body['migration']['server_uuid'] == sid
    assert body['migration']['user_id'] == 'admin'
    [listed] = _migrations(nova, '?instance_uuid=%s&status=running' % sid, version='2.23')
    assert listed['links'][0]['href'].endswith('/servers/%s/migrations/%s'
                                               % (sid, migration['id']))
    status, _h, body = nova.request('POST', url + '/action', {'force_complete': None},
                                    version='2.22')
    assert status == 202, body
    server = _wait_settled(nova, sid, ('ACTIVE', 'ERROR'))
    assert server['OS-EXT-SRV-ATTR:host'] == source
    _wait_usage(nova, {source: SMALL, dest: _zero()})
    status, _h, body = nova.request('GET', url, version='2.23')
    assert status == 404, body

    # and one aborted: the server stays where it is
    status, _h, body = _action(nova, sid, {'os-migrateLive': {
        'host': None, 'block_migration': 'auto'}}, version='2.68')
    assert status == 202, body
    migration = _wait_live_running(nova, sid)
    url = '/v2.1/servers/%s/migrations/%s' % (sid, migration['id'])
    status, _h, body = nova.request('DELETE', url, version='2.23')
    assert status == 404, body  # abort needs 2.24
    status, _h, body = nova.request('DELETE', url, version='2.24')
    assert status == 202, body
    server = _wait_settled(nova, sid, ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE' and server['OS-EXT-SRV-ATTR:host'] == source
    _wait_usage(nova, {source: SMALL, dest: _zero()})
    assert _migrations(nova)[0]['status'] == 'cancelled'
    status, _h, body = nova.request('POST', url + '/action', {'force_complete': None},
                                    version='2.22')
    assert status == 409 or status == 400, body


def _wait_live_running(nova, server_id):
    deadline = time.time() + 30
    while time.time() < deadline:
        status, _h, body = nova.request('GET', '/v2.1/servers/%s/migrations' % server_id,
                                        version='2.23')
        assert status == 200, body
        running = [m for m in body['migrations'] if m['status'] == 'running']
        if running:
            return running[0]
        time.sleep(0.2)
    raise AssertionError('no running live migration: %s' % body)


def test_evacuate(two_hosts):
    nova, image_id = two_hosts
    server = _boot(nova, image_id)
    sid = server['id']
    source = server['OS-EXT-SRV-ATTR:host']
    dest = ({'edge1', 'edge2'} - {source}).pop()

    status, _h, body = _action(nova, sid, {'evacuate': {}}, version='2.14')
    assert status == 400, body
    assert body['badRequest']['message'] == 'Compute service of %s is still in use.' % source
    status, _h, body = _action(nova, sid, {'evacuate': {'host': 'nowhere'}}, version='2.14')
    assert status in (400, 404), body
    status, _h, body = _action(nova, sid, {'evacuate': {'adminPass': 'x'}}, version='2.1')
    assert status == 400, body  # onSharedStorage is required before 2.14
    status, _h, body = _action(nova, sid, {'evacuate': {
        'onSharedStorage': True, 'adminPass': 'x'}}, version='2.1')
    assert status == 400, body
    assert body['badRequest']['message'] == "admin password can't be changed on existing disk"
    status, _h, body = _action(nova, sid, {'evacuate': {'host': dest}},
                               token='alice:admin', version='2.14')
    assert status == 403, body

    _status, _h, services = nova.request('GET', '/v2.1/os-services?binary=nova-compute&host=%s'
                                         % source, version='2.53')
    service_id = services['services'][0]['id']
    status, _h, body = nova.request('PUT', '/v2.1/os-services/%s' % service_id,
                                    {'forced_down': True}, version='2.53')
    assert status == 200, body
    status, _h, body = _action(nova, sid, {'evacuate': {'host': source}}, version='2.14')
    assert status == 400, body
    assert body['badRequest']['message'] == "The target host can't be the same one."

    status, _h, body = _action(nova, sid, {'evacuate': {'onSharedStorage': False}},
                               version='2.1')
    assert status == 200, body
    assert set(body) == {'adminPass'}
    server = _wait_settled(nova, sid, ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE' and server['OS-EXT-SRV-ATTR:host'] == dest
    _wait_usage(nova, {source: _zero(), dest: SMALL})
    [migration] = _migrations(nova, '?migration_type=evacuation', version='2.59')
    assert migration['status'] == 'done' and migration['source_compute'] == source
    _status, _h, actions = nova.request('GET', '/v2.1/servers/%s/os-instance-actions' % sid)
    assert actions['instanceActions'][0]['action'] == 'evacuate'


def test_os_migrations_filters_paging_and_microversions(two_hosts):
    nova, image_id = two_hosts
    first = _boot(nova, image_id)
    second = _boot(nova, image_id)
    for server in (first, second):
        status, _h, body = _action(nova, server['id'], {'migrate': None})
        assert status == 202, body
        _wait_settled(nova, server['id'], ('VERIFY_RESIZE',))
    status, _h, _b = _action(nova, first['id'], {'confirmResize': None})
    _wait_settled(nova, first['id'], ('ACTIVE',))

    old = _migrations(nova)
    assert [m['instance_uuid'] for m in old] == [second['id'], first['id']]
    assert 'migration_type' not in old[0] and 'uuid' not in old[0]
    assert [m['instance_uuid'] for m in _migrations(nova, '?status=confirmed')] == [
        first['id']]
    assert [m['instance_uuid'] for m in _migrations(
        nova, '?instance_uuid=%s' % second['id'])] == [second['id']]
    assert _migrations(nova, '?migration_type=resize', version='2.23') == []
    assert len(_migrations(nova, '?host=edge1')) >= 1
    assert _migrations(nova, '?source_compute=nowhere') == []
    assert len(_migrations(nova, '?unknown=1')) == 2  # ignored before 2.59

    status, _h, body = nova.request('GET', '/v2.1/os-migrations?unknown=1', version='2.59')
    assert status == 400, body
    status, _h, body = nova.request('GET', '/v2.1/os-migrations?limit=1', version='2.59')
    assert status == 200, body
    [page] = body['migrations']
    assert page['instance_uuid'] == second['id'] and 'uuid' in page
    assert 'marker=%s' % page['uuid'] in body['migrations_links'][0]['href']
    status, _h, body = nova.request('GET', '/v2.1/os-migrations?limit=1&marker=%s'
                                    % page['uuid'], version='2.59')
    assert [m['instance_uuid'] for m in body['migrations']] == [first['id']]
    status, _h, body = nova.request('GET', '/v2.1/os-migrations?marker=nope',
                                    version='2.59')
    assert status == 400, body
    status, _h, body = nova.request(
        'GET', '/v2.1/os-migrations?changes-since=2000-01-01T00:00:00Z', version='2.59')
    assert len(body['migrations']) == 2
    status, _h, body = nova.request(
        'GET', '/v2.1/os-migrations?changes-before=2000-01-01T00:00:00Z', version='2.59')
    assert status == 400, body  # changes-before needs 2.66
    status, _h, body = nova.request(
        'GET', '/v2.1/os-migrations?changes-before=2000-01-01T00:00:00Z', version='2.66')
    assert status == 200 and body['migrations'] == []
    status, _h, body = nova.request('GET', '/v2.1/os-migrations?user_id=admin',
                                    version='2.80')
    assert len(body['migrations']) == 2 and body['migrations'][0]['user_id'] == 'admin'
    status, _h, body = nova.request('GET', '/v2.1/os-migrations?project_id=other',
                                    version='2.80')
    assert body['migrations'] == []
    status, _h, body = nova.request('GET', '/v2.1/os-migrations', token='alice:admin')
    assert status == 403, body


def test_resize_notifications(conf, tmp_path):
    from oslo_messaging import opts as messaging_opts
    from oslo_messaging.notify import _impl_test

    from tests.functional.conftest import nova_all_in_process

    for group, options in messaging_opts.list_opts():
        if group == 'oslo_messaging_notifications':
            conf.register_opts(options, group=group)
    conf.set_override('driver', ['test'], group='oslo_messaging_notifications')
    _impl_test.reset()
    with nova_all_in_process(conf, tmp_path, report_interval=1,
                             allow_resize_to_same_host=True) as nova:
        image_id = _upload_image(nova)
        for flavor_id, ram in (('1', 64), ('2', 128)):
            nova.request('POST', '/v2.1/flavors', {'flavor': {
                'name': 'f%s' % flavor_id, 'ram': ram, 'vcpus': 1, 'disk': 1,
                'id': flavor_id}})
        server = _boot(nova, image_id)
        _action(nova, server['id'], {'resize': {'flavorRef': '2'}})
        _wait_settled(nova, server['id'], ('VERIFY_RESIZE',))
        _action(nova, server['id'], {'confirmResize': None})
        _wait_settled(nova, server['id'], ('ACTIVE',))
        deadline = time.time() + 10
        wanted = ['compute.instance.resize.prep.start', 'compute.instance.resize.prep.end',
                  'compute.instance.resize.start', 'compute.instance.resize.end',
                  'compute.instance.finish_resize.start',
                  'compute.instance.finish_resize.end',
                  'compute.instance.resize.confirm.start',
                  'compute.instance.resize.confirm.end']
        while time.time() < deadline:
            events = [message['event_type'] for _c, message, _p, _r
                      in _impl_test.NOTIFICATIONS
                      if message['event_type'] in wanted]
            if events == wanted:
                break
            time.sleep(0.2)
        assert events == wanted
        [end] = [message['payload'] for _c, message, _p, _r in _impl_test.NOTIFICATIONS
                 if message['event_type'] == 'compute.instance.finish_resize.end']
        assert end['memory_mb'] == 128 and end['instance_id'] == server['id']


def test_an_upsize_beyond_the_quota_is_refused_and_changes_nothing(two_hosts):
    nova, image_id = two_hosts
    server = _boot(nova, image_id)
    status, _h, body = nova.request('PUT', '/v2.1/os-quota-sets/admin', {
        'quota_set': {'cores': 1}})
    assert status == 200, body
    status, _h, body = _action(nova, server['id'], {'resize': {'flavorRef': '2'}})
    assert status == 403, body
    assert body['forbidden']['message'] == (
        'Quota exceeded for cores: Requested 1, but already used 1 of 1 cores')
    shown = _server(nova, server['id'])
    assert (shown['status'], shown['flavor']['id']) == ('ACTIVE', '1')
    assert shown['OS-EXT-STS:task_state'] is None
    # With room again, the resize goes through; a revert to the smaller flavor needs none.
    nova.request('PUT', '/v2.1/os-quota-sets/admin', {'quota_set': {'cores': 2}})
    assert _action(nova, server['id'], {'resize': {'flavorRef': '2'}})[0] == 202
    assert _wait_settled(nova, server['id'], ('VERIFY_RESIZE',))['status'] == 'VERIFY_RESIZE'


def test_evacuate_from_2_95_leaves_the_server_stopped(two_hosts):
    nova, image_id = two_hosts
    server = _boot(nova, image_id)
    sid, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    _status, _h, services = nova.request(
        'GET', '/v2.1/os-services?binary=nova-compute&host=%s' % source, version='2.53')
    status, _h, body = nova.request('PUT', '/v2.1/os-services/%s' % services['services'][0][
        'id'], {'forced_down': True}, version='2.53')
    assert status == 200, body
    status, _h, body = _action(nova, sid, {'evacuate': {}}, version='2.95')
    assert status == 200, body
    server = _wait_settled(nova, sid, ('SHUTOFF', 'ERROR'))
    assert server['status'] == 'SHUTOFF' and server['OS-EXT-SRV-ATTR:host'] != source
    assert server['OS-EXT-STS:power_state'] == 4  # shutdown
