"""tempest.lib's ServersClient action methods against nova-all: every response validated
against tempest's schemas for the microversion (2.1 to 2.104)."""

import time
import urllib.request

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import servers_client  # noqa: E402

from tests.compat.conftest import post_json  # noqa: E402
from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402
from tests.integration import cluster as cluster_mod  # noqa: E402


def _client(url):
    return servers_client.ServersClient(NoAuth2Provider(url), 'compute', 'RegionOne')


def _version(microversion):
    return tuple(int(x) for x in (microversion or '2.1').split('.'))


def _wait(client, server_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        server = client.show_server(server_id)['server']
        if server['status'] == status and server.get('OS-EXT-STS:task_state') is None:
            return server
        assert time.monotonic() < deadline, server
        time.sleep(0.1)


def _boot(client, microversion, flavor_id, image_id):
    kwargs = {'name': 'compat-actions', 'imageRef': image_id, 'flavorRef': flavor_id}
    if _version(microversion) >= (2, 37):
        kwargs['networks'] = 'none'
    server_id = client.create_server(**kwargs)['server']['id']
    _wait(client, server_id, 'ACTIVE')
    return server_id


def test_server_actions_match_schemas(nova_all, microversion, boot_inputs):  # noqa: F811
    client = _client(nova_all.compute_url)
    server_id = _boot(client, microversion, *boot_inputs)
    version = _version(microversion)

    client.stop_server(server_id)
    _wait(client, server_id, 'SHUTOFF')
    with pytest.raises(lib_exc.Conflict):
        client.stop_server(server_id)
    client.start_server(server_id)
    _wait(client, server_id, 'ACTIVE')
    client.reboot_server(server_id, type='SOFT')
    _wait(client, server_id, 'ACTIVE')
    client.reboot_server(server_id, type='HARD')
    _wait(client, server_id, 'ACTIVE')
    client.pause_server(server_id)
    _wait(client, server_id, 'PAUSED')
    client.unpause_server(server_id)
    _wait(client, server_id, 'ACTIVE')
    client.suspend_server(server_id)
    _wait(client, server_id, 'SUSPENDED')
    client.resume_server(server_id)
    _wait(client, server_id, 'ACTIVE')

    if version >= (2, 73):
        client.lock_server(server_id, locked_reason='compat')
        assert client.show_server(server_id)['server']['locked_reason'] == 'compat'
    else:
        client.lock_server(server_id)
    if version >= (2, 9):
        assert client.show_server(server_id)['server']['locked'] is True
    client.unlock_server(server_id)

    body = client.rescue_server(server_id, adminPass='rescue-pass')
    assert body['adminPass'] == 'rescue-pass'
    _wait(client, server_id, 'RESCUE')
    client.unrescue_server(server_id)
    _wait(client, server_id, 'ACTIVE')

    output = client.get_console_output(server_id, length=10)['output']
    assert 'login:' in output and len(output.split('\n')) <= 10
    client.change_password(server_id, adminPass='n3w-pass')
    client.inject_network_info(server_id)
    with pytest.raises(lib_exc.Gone):  # removed upstream in 23.0.0
        client.reset_network(server_id)
    if version >= (2, 17):
        client.action(server_id, 'trigger_crash_dump', body={'trigger_crash_dump': None})

    client.reset_state(server_id, state='error')
    assert client.show_server(server_id)['server']['status'] == 'ERROR'
    client.reboot_server(server_id, type='HARD')
    _wait(client, server_id, 'ACTIVE')
    client.reset_state(server_id, state='active')

    client.delete_server(server_id)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.show_server(server_id)
        except lib_exc.NotFound:
            break
        assert time.monotonic() < deadline
        time.sleep(0.2)


@pytest.fixture(scope='module')
def soft_delete_nova(tmp_path_factory):
    nova = cluster_mod.NovaAll(str(tmp_path_factory.mktemp('nova-all-soft-delete')),
                               reclaim_instance_interval=3600)
    nova.start()
    yield nova
    assert nova.stop() == 0, nova.log()


@pytest.mark.parametrize('microversion', [None, '2.47', '2.79', '2.96', '2.104'],
                         indirect=True)
def test_restore_and_force_delete_match_schemas(soft_delete_nova, microversion):
    url = soft_delete_nova.compute_url
    flavor = post_json(url + '/flavors', {'flavor': {
        'name': 'sd-%s' % microversion, 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    image = post_json(soft_delete_nova.url + '/image/v2/images', {
        'name': 'sd-image', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (soft_delete_nova.url,
                                                                 image['id']),
                                 data=b'\0' * 16, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()

    client = _client(url)
    server_id = _boot(client, microversion, flavor['id'], image['id'])
    client.delete_server(server_id)
    _wait(client, server_id, 'SOFT_DELETED')
    client.restore_soft_deleted_server(server_id)
    _wait(client, server_id, 'ACTIVE')
    client.delete_server(server_id)
    _wait(client, server_id, 'SOFT_DELETED')
    client.force_delete_server(server_id)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.show_server(server_id)
        except lib_exc.NotFound:
            break
        assert time.monotonic() < deadline
        time.sleep(0.2)
