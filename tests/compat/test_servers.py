"""tempest.lib's ServersClient against nova-all: boot, list, show, update, metadata and
delete, every response validated against tempest's schemas for the microversion."""

import time

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import servers_client  # noqa: E402

from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402


def _wait_for_status(client, server_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        server = client.show_server(server_id)['server']
        if server['status'] == status:
            return server
        assert server['status'] != 'ERROR', server
        assert time.monotonic() < deadline, server
        time.sleep(0.2)


def test_server_lifecycle_matches_schemas(nova_all, microversion, boot_inputs):
    flavor_id, image_id = boot_inputs
    client = servers_client.ServersClient(NoAuth2Provider(nova_all.compute_url), 'compute',
                                          'RegionOne')
    version = tuple(int(x) for x in (microversion or '2.1').split('.'))
    kwargs = {'name': 'compat-vm', 'imageRef': image_id, 'flavorRef': flavor_id,
              'metadata': {'role': 'test'}}
    if version >= (2, 37):
        kwargs['networks'] = 'none'
    created = client.create_server(**kwargs)['server']
    server = _wait_for_status(client, created['id'], 'ACTIVE')
    assert server['metadata'] == {'role': 'test'}

    listed = client.list_servers(detail=True)['servers']
    assert created['id'] in [s['id'] for s in listed]
    assert created['id'] in [s['id'] for s in client.list_servers()['servers']]

    updated = client.update_server(created['id'], name='renamed')['server']
    assert updated['name'] == 'renamed'
    client.set_server_metadata(created['id'], {'tier': 'edge'})
    assert client.list_server_metadata(created['id'])['metadata'] == {'tier': 'edge'}

    client.delete_server(created['id'])
    deadline = time.monotonic() + 30
    while True:
        try:
            client.show_server(created['id'])
        except lib_exc.NotFound:
            break
        assert time.monotonic() < deadline
        time.sleep(0.2)
