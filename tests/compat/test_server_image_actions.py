"""tempest.lib's ServersClient (rebuild_server, create_backup, shelve_server,
shelve_offload_server, unshelve_server) and compute ImagesClient (create_image) against
nova-all, every response validated against tempest's schemas for the microversion."""

import time
import urllib.request

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import images_client  # noqa: E402
from tempest.lib.services.compute import servers_client  # noqa: E402

from tests.compat.conftest import post_json  # noqa: E402
from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402
from tests.integration import cluster as cluster_mod  # noqa: E402


@pytest.fixture(scope='module')
def nova_keeps_shelved(tmp_path_factory):
    """nova-all that never offloads shelved servers by itself, so shelveOffload has work."""
    nova = cluster_mod.NovaAll(str(tmp_path_factory.mktemp('nova-all-shelve')),
                               shelved_offload_time=-1)
    nova.start()
    yield nova
    assert nova.stop() == 0, nova.log()
    assert 'Traceback' not in nova.log(), nova.log()


@pytest.fixture(scope='module')
def inputs(nova_keeps_shelved):
    nova = nova_keeps_shelved
    flavor = post_json(nova.compute_url + '/flavors', {'flavor': {
        'name': 'compat.images', 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    image = post_json(nova.url + '/image/v2/images', {
        'name': 'compat-image-actions', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova.url, image['id']),
                                 data=b'\0' * 1024, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    return nova, flavor['id'], image['id']


def _wait_for(client, server_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        server = client.show_server(server_id)['server']
        if server['status'] == status and server.get('OS-EXT-STS:task_state') is None:
            return server
        assert server['status'] != 'ERROR', server
        assert time.monotonic() < deadline, server
        time.sleep(0.2)


def _boot(client, microversion, flavor_id, image_id):
    version = tuple(int(x) for x in (microversion or '2.1').split('.'))
    kwargs = {'name': 'compat-vm', 'imageRef': image_id, 'flavorRef': flavor_id}
    if version >= (2, 37):
        kwargs['networks'] = 'none'
    server_id = client.create_server(**kwargs)['server']['id']
    _wait_for(client, server_id, 'ACTIVE')
    return server_id


def _clients(nova):
    provider = NoAuth2Provider(nova.compute_url)
    return (servers_client.ServersClient(provider, 'compute', 'RegionOne'),
            images_client.ImagesClient(provider, 'compute', 'RegionOne'))


def _delete(client, server_id):
    client.delete_server(server_id)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.show_server(server_id)
        except lib_exc.NotFound:
            return
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_rebuild_and_images_match_schemas(microversion, inputs):
    nova, flavor_id, image_id = inputs
    servers, images = _clients(nova)
    server_id = _boot(servers, microversion, flavor_id, image_id)

    rebuilt = servers.rebuild_server(server_id, image_id, name='rebuilt',
                                     adminPass='secret')['server']
    assert rebuilt['status'] == 'REBUILD' and rebuilt['adminPass'] == 'secret'
    assert _wait_for(servers, server_id, 'ACTIVE')['name'] == 'rebuilt'

    created = images.create_image(server_id, name='compat-snap',
                                  metadata={'kind': 'compat'})
    if microversion in (None, '2.11'):
        snapshot_id = created.response['location'].rsplit('/', 1)[-1]
    else:
        snapshot_id = created['image_id']
    _wait_for(servers, server_id, 'ACTIVE')

    backup = servers.create_backup(server_id, name='compat-backup', backup_type='daily',
                                   rotation=1)
    if microversion not in (None, '2.11'):
        assert backup['image_id'] != snapshot_id
    _wait_for(servers, server_id, 'ACTIVE')

    with pytest.raises(lib_exc.Conflict):
        servers.shelve_offload_server(server_id)   # not shelved
    _delete(servers, server_id)


def test_shelve_offload_and_unshelve_match_schemas(microversion, inputs):
    nova, flavor_id, image_id = inputs
    servers, _images = _clients(nova)
    server_id = _boot(servers, microversion, flavor_id, image_id)

    servers.shelve_server(server_id)
    assert _wait_for(servers, server_id, 'SHELVED')['OS-EXT-SRV-ATTR:host'] == 'edge1'
    servers.unshelve_server(server_id)
    _wait_for(servers, server_id, 'ACTIVE')

    servers.shelve_server(server_id)
    _wait_for(servers, server_id, 'SHELVED')
    servers.shelve_offload_server(server_id)
    offloaded = _wait_for(servers, server_id, 'SHELVED_OFFLOADED')
    assert offloaded['OS-EXT-SRV-ATTR:host'] is None
    if microversion in ('2.79', '2.96', '2.104'):
        servers.unshelve_server(server_id, availability_zone='nova')
    else:
        servers.unshelve_server(server_id)
    assert _wait_for(servers, server_id, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == 'edge1'
    _delete(servers, server_id)
