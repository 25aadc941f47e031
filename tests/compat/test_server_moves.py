"""tempest.lib's ServersClient (resize, confirm, revert, migrate, live migrate, evacuate)
and MigrationsClient (list_migrations) against nova-all on one host (resizes to the same
host allowed), every response validated against tempest's schemas for the microversion."""

import time
import urllib.request

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import migrations_client  # noqa: E402
from tempest.lib.services.compute import servers_client  # noqa: E402

from tests.compat.conftest import post_json  # noqa: E402
from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402
from tests.integration import cluster as cluster_mod  # noqa: E402

MICROVERSIONS = [None, '2.47', '2.79', '2.96', '2.104']


@pytest.fixture(scope='module')
def one_host(tmp_path_factory):
    nova = cluster_mod.NovaAll(str(tmp_path_factory.mktemp('nova-all-moves')),
                               allow_resize_to_same_host='True')
    nova.start()
    small = post_json(nova.compute_url + '/flavors', {'flavor': {
        'name': 'moves.small', 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    large = post_json(nova.compute_url + '/flavors', {'flavor': {
        'name': 'moves.large', 'ram': 128, 'disk': 1, 'vcpus': 1}})['flavor']
    image = post_json(nova.url + '/image/v2/images', {
        'name': 'moves-image', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova.url, image['id']),
                                 data=b'\0' * 1024, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    yield nova, small['id'], large['id'], image['id']
    assert nova.stop() == 0, nova.log()
    assert 'Traceback' not in nova.log(), nova.log()


@pytest.fixture(params=MICROVERSIONS, ids=lambda v: v or 'none')
def microversion(request):
    from tempest.lib.services.compute import base_compute_client
    saved = base_compute_client.COMPUTE_MICROVERSION
    base_compute_client.COMPUTE_MICROVERSION = request.param
    yield request.param
    base_compute_client.COMPUTE_MICROVERSION = saved


def _settled(client, server_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        server = client.show_server(server_id)['server']
        if server['status'] == status and server.get('OS-EXT-STS:task_state') is None:
            return server
        assert server['status'] != 'ERROR', server
        assert time.monotonic() < deadline, server
        time.sleep(0.2)


def test_moves_match_schemas(one_host, microversion):
    nova, small, large, image_id = one_host
    auth = NoAuth2Provider(nova.compute_url)
    client = servers_client.ServersClient(auth, 'compute', 'RegionOne')
    migrations = migrations_client.MigrationsClient(auth, 'compute', 'RegionOne')
    version = tuple(int(x) for x in (microversion or '2.1').split('.'))
    kwargs = {'name': 'compat-mover', 'imageRef': image_id, 'flavorRef': small}
    if version >= (2, 37):
        kwargs['networks'] = 'none'
    server_id = client.create_server(**kwargs)['server']['id']
    _settled(client, server_id, 'ACTIVE')

    client.resize_server(server_id, large)
    server = _settled(client, server_id, 'VERIFY_RESIZE')
    assert server['flavor'].get('id', large) == large or version >= (2, 47)
    client.confirm_resize_server(server_id)
    _settled(client, server_id, 'ACTIVE')

    client.resize_server(server_id, small)
    _settled(client, server_id, 'VERIFY_RESIZE')
    client.revert_resize_server(server_id)
    server = _settled(client, server_id, 'ACTIVE')
    if version >= (2, 47):
        assert server['flavor']['ram'] == 128  # the large flavor again
    else:
        assert server['flavor']['id'] == large

    client.migrate_server(server_id)
    _settled(client, server_id, 'VERIFY_RESIZE')
    client.confirm_resize_server(server_id)
    _settled(client, server_id, 'ACTIVE')

    # one host: the live migration finds no destination and the server stays ACTIVE
    live = {'host': None, 'block_migration': 'auto'} if version >= (2, 25) else {
        'host': None, 'block_migration': False, 'disk_over_commit': False}
    client.live_migrate_server(server_id, **live)
    deadline = time.monotonic() + 30
    while [m['status'] for m in migrations.list_migrations(
            instance_uuid=server_id)['migrations']][:1] != ['error']:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    _settled(client, server_id, 'ACTIVE')

    # the host is up: no evacuation (400)
    evacuate = {} if version >= (2, 14) else {'onSharedStorage': False}
    with pytest.raises(lib_exc.BadRequest):
        client.evacuate_server(server_id, **evacuate)

    listed = migrations.list_migrations(instance_uuid=server_id)['migrations']
    assert len(listed) >= 4
    # newest first: the live migration that found no host, then the three moves
    assert [m['status'] for m in listed] == ['error', 'confirmed', 'reverted', 'confirmed']
    if version >= (2, 23):
        assert {m['migration_type'] for m in listed} >= {'resize', 'migration'}
    client.delete_server(server_id)
