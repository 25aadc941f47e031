"""The simple server actions through the whole system (nova-all in this process, fake
driver): each state transition, the task states on the way, the instance actions with their
events, the 409s of upstream's state rules, locks, and the policy answers (another
project: 404; a reader: 403)."""

import time
import urllib.request

import pytest

from nova.compute import power_state
from tests.functional.api.test_servers_boot import _wait_for
from tests.functional.conftest import nova_all_in_process

OWNER = 'alice:p1'
OTHER = 'eve:p2'


def _image_and_flavor(nova):
    """A public image (so project p1 can boot it) and flavor '1'."""
    status, _h, image = nova.request('POST', '/image/v2/images', {
        'name': 'cirros', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    assert status == 201, image
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova.url, image['id']),
                                 data=b'abc', method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    status, _h, body = nova.request('POST', '/v2.1/flavors', {'flavor': {
        'name': 'tiny', 'ram': 64, 'vcpus': 1, 'disk': 1, 'id': '1'}})
    assert status == 200, body
    return image['id']


@pytest.fixture
def cloud(nova):
    return nova, _image_and_flavor(nova)


def _boot(nova, image_id, token=OWNER):
    status, _h, body = nova.request('POST', '/v2.1/servers', {'server': {
        'name': 'vm', 'imageRef': image_id, 'flavorRef': '1', 'networks': 'none'}},
        version='2.37', token=token)
    assert status == 202, body
    server = _wait_for(nova, body['server']['id'], ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE', server
    return server['id']


def _act(nova, server_id, body, token=OWNER, version=None, headers=None):
    return nova.request('POST', '/v2.1/servers/%s/action' % server_id, body,
                        version=version, token=token, headers=headers)


def _server(nova, server_id, version='2.73'):
    status, _h, body = nova.request('GET', '/v2.1/servers/%s' % server_id, version=version)
    assert status == 200, body
    return body['server']


def _wait_state(nova, server_id, status, timeout=30):
    """The server once it shows ``status`` with no task state."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        server = _server(nova, server_id)
        if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
            return server
        time.sleep(0.1)
    raise AssertionError('%s never reached %s: %s' % (server_id, status, server))


def _actions(nova, server_id):
    status, _h, body = nova.request('GET', '/v2.1/servers/%s/os-instance-actions'
                                    % server_id)
    assert status == 200
    return [a['action'] for a in reversed(body['instanceActions'])]


def _events(nova, server_id, action):
    _s, _h, body = nova.request('GET', '/v2.1/servers/%s/os-instance-actions' % server_id)
    request_id = [a for a in body['instanceActions'] if a['action'] == action][0][
        'request_id']
    _s, _h, body = nova.request('GET', '/v2.1/servers/%s/os-instance-actions/%s'
                                % (server_id, request_id))
    return [(e['event'], e['result']) for e in body['instanceAction']['events']]


def _conflict(nova, server_id, body, action, attr, state):
    status, _h, answer = _act(nova, server_id, body)
    assert status == 409, answer
    assert answer['conflictingRequest']['message'] == (
        "Cannot '%s' instance %s while it is in %s %s" % (action, server_id, attr, state))


def test_power_pause_suspend_rescue_cycle(cloud):
    nova, image_id = cloud
    sid = _boot(nova, image_id)
    driver = nova.rpc_service('nova-compute').manager.driver

    assert _act(nova, sid, {'os-stop': None})[0] == 202
    server = _wait_state(nova, sid, 'SHUTOFF')
    assert server['OS-EXT-STS:power_state'] == power_state.SHUTDOWN
    assert driver.guests[sid]['state'] == power_state.SHUTDOWN
    _conflict(nova, sid, {'os-stop': None}, 'stop', 'vm_state', 'stopped')
    _conflict(nova, sid, {'pause': None}, 'pause', 'vm_state', 'stopped')
    _conflict(nova, sid, {'reboot': {'type': 'SOFT'}}, 'reboot', 'vm_state', 'stopped')
    assert _act(nova, sid, {'os-start': None})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')
    _conflict(nova, sid, {'os-start': None}, 'start', 'vm_state', 'active')

    assert _act(nova, sid, {'pause': None})[0] == 202
    _wait_state(nova, sid, 'PAUSED')
    assert driver.guests[sid]['state'] == power_state.PAUSED
    _conflict(nova, sid, {'suspend': None}, 'suspend', 'vm_state', 'paused')
    assert _act(nova, sid, {'unpause': None})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')

    assert _act(nova, sid, {'suspend': None})[0] == 202
    _wait_state(nova, sid, 'SUSPENDED')
    _conflict(nova, sid, {'unpause': None}, 'unpause', 'vm_state', 'suspended')
    assert _act(nova, sid, {'resume': None})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')

    status, _h, body = _act(nova, sid, {'rescue': {'adminPass': 'rescue-me'}})
    assert status == 200 and body == {'adminPass': 'rescue-me'}
    _wait_state(nova, sid, 'RESCUE')
    assert driver.guests[sid]['rescued'] and driver.guests[sid]['admin_password'] == \
        'rescue-me'
    _conflict(nova, sid, {'rescue': None}, 'rescue', 'vm_state', 'rescued')
    assert _act(nova, sid, {'unrescue': None})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')
    status, _h, body = _act(nova, sid, {'rescue': {'rescue_image_ref': image_id}})
    assert status == 200 and len(body['adminPass']) >= 8
    _wait_state(nova, sid, 'RESCUE')
    assert _act(nova, sid, {'unrescue': None})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')
    assert _act(nova, sid, {'rescue': {'rescue_image_ref': 'nope'}})[0] == 400

    assert _actions(nova, sid) == ['create', 'stop', 'start', 'pause', 'unpause', 'suspend',
                                   'resume', 'rescue', 'unrescue', 'rescue', 'unrescue']
    assert _events(nova, sid, 'stop') == [('compute_stop_instance', 'Success')]
    assert _events(nova, sid, 'pause') == [('compute_pause_instance', 'Success')]


def test_reboot_task_states_and_hard_reboot_over_a_soft_one(cloud, conf):
    nova, image_id = cloud
    sid = _boot(nova, image_id)
    conf.set_override('reboot_delay', 1.0, group='fake_driver')
    assert _act(nova, sid, {'reboot': {'type': 'soft'}})[0] == 202
    seen = set()
    deadline = time.time() + 10
    while time.time() < deadline:
        server = _server(nova, sid)
        seen.add((server['status'], server['OS-EXT-STS:task_state']))
        if ('REBOOT', 'reboot_started') in seen:
            break
        time.sleep(0.05)
    assert ('REBOOT', 'reboot_started') in seen, seen
    # a soft reboot may not start over another; a hard one may
    _conflict(nova, sid, {'reboot': {'type': 'SOFT'}}, 'reboot', 'task_state',
              'reboot_started')
    conf.set_override('reboot_delay', 0.0, group='fake_driver')
    _wait_state(nova, sid, 'ACTIVE')
    assert _act(nova, sid, {'reboot': {'type': 'HARD'}})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')
    assert _actions(nova, sid)[-2:] == ['reboot', 'reboot']
    assert _events(nova, sid, 'reboot') == [('compute_reboot_instance', 'Success')]
    status, _h, body = _act(nova, sid, {'reboot': {'type': 'WARM'}})
    assert status == 400, body
    assert _act(nova, sid, {'reboot': {}})[0] == 400
    status, _h, body = _act(nova, sid, {'rebooot': {'type': 'HARD'}})
    assert status == 400

    # HARD reboot is allowed from ERROR (after os-resetState)
    assert _act(nova, sid, {'os-resetState': {'state': 'error'}}, token='admin:admin')[0] \
        == 202
    assert _server(nova, sid)['status'] == 'ERROR'
    _conflict(nova, sid, {'reboot': {'type': 'SOFT'}}, 'reboot', 'vm_state', 'error')
    assert _act(nova, sid, {'reboot': {'type': 'HARD'}})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')


def test_lock_unlock_and_reason(cloud):
    nova, image_id = cloud
    sid = _boot(nova, image_id)
    status, _h, body = _act(nova, sid, {'lock': {'locked_reason': 'maintenance'}},
                            version='2.73')
    assert status == 202, body
    server = _server(nova, sid)
    assert server['locked'] is True and server['locked_reason'] == 'maintenance'
    assert 'locked_reason' not in _server(nova, sid, version='2.72')
    # a locked server refuses its owner (409), not an administrator
    status, _h, body = _act(nova, sid, {'os-stop': None})
    assert status == 409 and body['conflictingRequest']['message'] == (
        'Instance %s is locked' % sid)
    assert nova.request('DELETE', '/v2.1/servers/%s' % sid, token=OWNER)[0] == 409
    assert _act(nova, sid, {'lock': {'locked_reason': 'x' * 256}}, version='2.73')[0] == 400
    assert _act(nova, sid, {'lock': {'other': 1}}, version='2.73')[0] == 400
    assert _act(nova, sid, {'unlock': None})[0] == 202
    server = _server(nova, sid)
    assert server['locked'] is False and server['locked_reason'] is None

    # locked by an administrator of another project: the owner needs the override rule
    assert _act(nova, sid, {'lock': None}, token='admin:admin')[0] == 202
    status, _h, body = _act(nova, sid, {'unlock': None})
    assert status == 403, body
    assert _act(nova, sid, {'os-stop': None}, token='admin:admin')[0] == 202
    _wait_state(nova, sid, 'SHUTOFF')
    assert _act(nova, sid, {'unlock': None}, token='admin:admin')[0] == 202
    assert _act(nova, sid, {'os-start': None})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')
    assert _actions(nova, sid)[1:] == ['lock', 'unlock', 'lock', 'stop', 'unlock', 'start']


def test_policy_other_project_and_reader(cloud):
    nova, image_id = cloud
    sid = _boot(nova, image_id)
    bodies = [{'reboot': {'type': 'HARD'}}, {'os-stop': None}, {'os-start': None},
              {'pause': None}, {'unpause': None}, {'suspend': None}, {'resume': None},
              {'lock': None}, {'unlock': None}, {'rescue': None}, {'unrescue': None},
              {'changePassword': {'adminPass': 'p'}}, {'os-getConsoleOutput': {}},
              {'restore': None}, {'trigger_crash_dump': None}]
    for body in bodies:
        status, _h, answer = _act(nova, sid, body, token=OTHER, version='2.17')
        assert status == 404, (body, answer)
        status, _h, answer = _act(nova, sid, body, version='2.17',
                                  headers={'X-Roles': 'reader'})
        assert status == 403, (body, answer)
    # administrators' actions: a project member is refused
    for body in ({'os-resetState': {'state': 'error'}}, {'injectNetworkInfo': None}):
        assert _act(nova, sid, body)[0] == 403
    assert _server(nova, sid)['status'] == 'ACTIVE'
    assert _actions(nova, sid) == ['create']


def test_change_password_console_crash_dump_and_admin_actions(cloud):
    nova, image_id = cloud
    sid = _boot(nova, image_id)
    manager = nova.rpc_service('nova-compute').manager
    driver = manager.driver

    assert _act(nova, sid, {'changePassword': {'adminPass': 's3cret'}})[0] == 202
    assert driver.guests[sid]['admin_password'] == 's3cret'
    assert _server(nova, sid)['OS-EXT-STS:task_state'] is None
    assert _events(nova, sid, 'changePassword') == [('compute_set_admin_password',
                                                      'Success')]
    assert _act(nova, sid, {'changePassword': {}})[0] == 400

    status, _h, body = _act(nova, sid, {'os-getConsoleOutput': {}})
    assert status == 200 and body['output'] == 'fake guest %s booting\nlogin:\n' % sid
    status, _h, body = _act(nova, sid, {'os-getConsoleOutput': {'length': 1}})
    assert status == 200 and body['output'] == ''  # the last line is the empty one
    status, _h, body = _act(nova, sid, {'os-getConsoleOutput': {'length': '2'}})
    assert body['output'] == 'login:\n'
    status, _h, body = _act(nova, sid, {'os-getConsoleOutput': {'length': -1}})
    assert body['output'].startswith('fake guest')
    assert _act(nova, sid, {'os-getConsoleOutput': {'length': 'x'}})[0] == 400
    assert _act(nova, sid, {'os-getConsoleOutput': {'length': -2}})[0] == 400

    assert _act(nova, sid, {'trigger_crash_dump': None}, version='2.16')[0] == 404
    assert _act(nova, sid, {'trigger_crash_dump': None}, version='2.17')[0] == 202
    deadline = time.time() + 10
    while driver.guests[sid]['crash_dumps'] == 0 and time.time() < deadline:
        time.sleep(0.05)
    assert driver.guests[sid]['crash_dumps'] == 1

    assert _act(nova, sid, {'injectNetworkInfo': None}, token='admin:admin')[0] == 202
    status, _h, body = _act(nova, sid, {'resetNetwork': None}, token='admin:admin')
    assert status == 410, body
    assert _act(nova, sid, {'os-resetState': {'state': 'paused'}},
                token='admin:admin')[0] == 400

    # changePassword on a guest that is not running: 409; on a driver without it: 501
    driver.guests[sid]['state'] = power_state.SHUTDOWN
    status, _h, body = _act(nova, sid, {'changePassword': {'adminPass': 'x'}})
    assert status == 409, body
    driver.guests[sid]['state'] = power_state.RUNNING
    assert _server(nova, sid)['OS-EXT-STS:task_state'] is None
    from nova.virt import driver as virt_driver
    original = driver.set_admin_password
    driver.set_admin_password = virt_driver.ComputeDriver.set_admin_password.__get__(driver)
    try:
        status, _h, body = _act(nova, sid, {'changePassword': {'adminPass': 'x'}})
    finally:
        driver.set_admin_password = original
    assert status == 501, body
    assert _server(nova, sid)['status'] == 'ACTIVE'

    assert _act(nova, sid, {'os-stop': None})[0] == 202
    _wait_state(nova, sid, 'SHUTOFF')
    status, _h, body = _act(nova, sid, {'changePassword': {'adminPass': 'x'}})
    assert status == 409
    assert body['conflictingRequest']['message'] == (
        "Cannot 'changePassword' instance %s while it is in vm_state stopped" % sid)


def test_network_actions_answer_clearly(cloud):
    nova, image_id = cloud
    sid = _boot(nova, image_id)
    status, _h, body = _act(nova, sid, {'addFloatingIp': {'address': '172.24.4.10'}})
    assert status == 400 and 'no network service' in body['badRequest']['message']
    status, _h, body = _act(nova, sid, {'removeFloatingIp': {'address': '172.24.4.10'}})
    assert status == 400
    assert _act(nova, sid, {'addFloatingIp': {'address': 'x'}})[0] == 400
    assert _act(nova, sid, {'addFloatingIp': {'address': '172.24.4.10'}},
                version='2.44')[0] == 404
    status, _h, body = _act(nova, sid, {'addSecurityGroup': {'name': 'web'}})
    assert status == 409 and 'no network service' in body['conflictingRequest']['message']
    assert _act(nova, sid, {'removeSecurityGroup': {'name': 'web'}})[0] == 409
    assert _act(nova, sid, {'addSecurityGroup': {}})[0] == 400


def test_power_state_sync(cloud):
    nova, image_id = cloud
    sid = _boot(nova, image_id)
    manager = nova.rpc_service('nova-compute').manager
    from nova import context as nova_context
    admin = nova_context.get_admin_context()

    # the guest shut down by itself: the server becomes SHUTOFF through a 'stop'
    manager.driver.guests[sid]['state'] = power_state.SHUTDOWN
    manager.sync_power_states(admin)
    server = _wait_state(nova, sid, 'SHUTOFF')
    assert server['OS-EXT-STS:power_state'] == power_state.SHUTDOWN
    assert _actions(nova, sid)[-1] == 'stop'

    # a stopped server whose guest runs is stopped again
    manager.driver.guests[sid]['state'] = power_state.RUNNING
    manager.sync_power_states(admin)
    _wait_state(nova, sid, 'SHUTOFF')
    assert manager.driver.guests[sid]['state'] == power_state.SHUTDOWN
    assert _actions(nova, sid)[-2:] == ['stop', 'stop']


def test_recovery_at_start_up(cloud):
    """What a crash leaves (a task state with no one working on it) is finished or undone
    when the compute service starts again."""
    nova, image_id = cloud
    manager = nova.rpc_service('nova-compute').manager
    from nova import context as nova_context
    from nova import objects
    admin = nova_context.get_admin_context()
    cases = {
        'reboot_started_hard': 'ACTIVE', 'reboot_pending': 'ACTIVE',
        'rebooting': 'ACTIVE', 'powering-off': 'SHUTOFF', 'pausing': 'ACTIVE',
        'spawning': 'ERROR',
    }
    servers = {}
    for task in cases:
        sid = _boot(nova, image_id)
        instance = objects.Instance.get_by_uuid(admin, sid)
        instance.task_state = task
        instance.save()
        servers[sid] = task
    # the guest of one of them was lost (as a restarted fake driver loses them all)
    lost = [sid for sid, task in servers.items() if task == 'reboot_started_hard'][0]
    manager.driver.guests.pop(lost)
    manager._recover_instances(admin)
    for sid, task in servers.items():
        server = _server(nova, sid)
        assert (server['status'], server['OS-EXT-STS:task_state']) == (cases[task], None), \
            (task, server)
    assert lost in manager.driver.guests  # the hard reboot brought it back


@pytest.fixture
def soft_delete_cloud(conf, tmp_path):
    with nova_all_in_process(conf, tmp_path, report_interval=1,
                             reclaim_instance_interval=2) as nova:
        yield nova, _image_and_flavor(nova)


def test_soft_delete_restore_force_delete_and_reclaim(soft_delete_cloud):
    nova, image_id = soft_delete_cloud
    manager = nova.rpc_service('nova-compute').manager
    from nova import context as nova_context
    admin = nova_context.get_admin_context()
    sid = _boot(nova, image_id)

    assert nova.request('DELETE', '/v2.1/servers/%s' % sid, token=OWNER)[0] == 204
    _wait_state(nova, sid, 'SOFT_DELETED')
    assert manager.driver.guests[sid]['state'] == power_state.SHUTDOWN
    _conflict(nova, sid, {'reboot': {'type': 'HARD'}}, 'reboot', 'vm_state', 'soft-delete')
    assert _act(nova, sid, {'restore': None})[0] == 202
    _wait_state(nova, sid, 'ACTIVE')
    _conflict(nova, sid, {'restore': None}, 'restore', 'vm_state', 'active')
    assert manager.driver.guests[sid]['state'] == power_state.RUNNING

    # forceDelete deletes a soft-deleted server at once
    assert nova.request('DELETE', '/v2.1/servers/%s' % sid, token=OWNER)[0] == 204
    _wait_state(nova, sid, 'SOFT_DELETED')
    assert _act(nova, sid, {'forceDelete': None})[0] == 202
    _wait_gone(nova, sid)

    # a soft-deleted server older than the interval is reclaimed by its host
    sid = _boot(nova, image_id)
    assert nova.request('DELETE', '/v2.1/servers/%s' % sid, token=OWNER)[0] == 204
    _wait_state(nova, sid, 'SOFT_DELETED')
    manager.reclaim_queued_deletes(admin)
    assert _server(nova, sid)['status'] == 'SOFT_DELETED'  # not old enough yet
    time.sleep(2.1)
    manager.reclaim_queued_deletes(admin)
    _wait_gone(nova, sid)
    assert sid not in manager.driver.guests


def _wait_gone(nova, server_id, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if nova.request('GET', '/v2.1/servers/%s' % server_id)[0] == 404:
            return
        time.sleep(0.1)
    raise AssertionError('%s was not deleted' % server_id)


@pytest.fixture
def notifying_cloud(conf, tmp_path):
    """nova-all whose notifications land in oslo.messaging's in-memory 'test' driver."""
    from oslo_messaging import opts as messaging_opts
    from oslo_messaging.notify import _impl_test
    for group, opts in messaging_opts.list_opts():
        if group == 'oslo_messaging_notifications':
            conf.register_opts(opts, group=group)
    conf.set_override('driver', ['test'], group='oslo_messaging_notifications')
    _impl_test.reset()
    with nova_all_in_process(conf, tmp_path, report_interval=1) as nova:
        yield nova, _image_and_flavor(nova), _impl_test


def test_actions_notify(notifying_cloud):
    nova, image_id, recorded = notifying_cloud
    sid = _boot(nova, image_id)
    for body, status in (({'os-stop': None}, 'SHUTOFF'), ({'os-start': None}, 'ACTIVE'),
                         ({'reboot': {'type': 'SOFT'}}, 'ACTIVE'),
                         ({'pause': None}, 'PAUSED'), ({'unpause': None}, 'ACTIVE'),
                         ({'suspend': None}, 'SUSPENDED'), ({'resume': None}, 'ACTIVE')):
        assert _act(nova, sid, body)[0] == 202
        _wait_state(nova, sid, status)
    assert _act(nova, sid, {'lock': None})[0] == 202

    def events():
        return [message['event_type'] for _c, message, _p, _r in recorded.NOTIFICATIONS
                if message['payload'].get('instance_id') == sid]

    deadline = time.time() + 10
    while 'compute.instance.resume.end' not in events() and time.time() < deadline:
        time.sleep(0.05)
    seen = events()
    for name in ('power_off', 'power_on', 'reboot', 'pause', 'unpause', 'suspend',
                 'resume'):
        start = seen.index('compute.instance.%s.start' % name)
        assert seen.index('compute.instance.%s.end' % name) > start, seen
    assert 'compute.instance.lock' in seen
    [payload] = [m['payload'] for _c, m, _p, _r in recorded.NOTIFICATIONS
                 if m['event_type'] == 'compute.instance.power_off.end']
    assert payload['state'] == 'stopped' and payload['state_description'] == ''
