"""tempest.lib's FlavorsClient against nova-all at each microversion of the `microversion`
fixture: every response is validated against tempest's schemas for that version."""

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from oslo_utils import uuidutils  # noqa: E402
from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import flavors_client  # noqa: E402

from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402


def _client(nova_all):
    return flavors_client.FlavorsClient(NoAuth2Provider(nova_all.compute_url), 'compute',
                                        'RegionOne')


def _version(microversion):
    return tuple(int(x) for x in (microversion or '2.1').split('.'))


@pytest.fixture
def client(nova_all, microversion):
    return _client(nova_all)


@pytest.fixture
def flavor(client, microversion):
    """A fresh private flavor with swap, deleted afterwards."""
    suffix = uuidutils.generate_uuid()[:8]
    kwargs = {}
    if _version(microversion) >= (2, 55):
        kwargs['description'] = 'compat %s' % suffix
    body = client.create_flavor(name='compat-%s' % suffix, ram=64, vcpus=1, disk=1,
                                id='compat-%s' % suffix, swap=16, ephemeral=1,
                                rxtx_factor=1.0, is_public=False, **kwargs)['flavor']
    yield body
    try:
        client.delete_flavor(body['id'])
    except lib_exc.NotFound:
        pass


def test_create_show_list_delete(client, microversion, flavor):
    version = _version(microversion)
    assert flavor['swap'] == 16 and flavor['os-flavor-access:is_public'] is False
    assert ('description' in flavor) == (version >= (2, 55))
    assert ('extra_specs' in flavor) == (version >= (2, 61))
    shown = client.show_flavor(flavor['id'])['flavor']
    assert shown == flavor
    listed = client.list_flavors(is_public='none')['flavors']
    assert flavor['id'] in [f['id'] for f in listed]
    detailed = client.list_flavors(detail=True, is_public='false')['flavors']
    assert flavor['id'] in [f['id'] for f in detailed]
    paged = client.list_flavors(detail=True, is_public='none', limit=1)
    assert len(paged['flavors']) == 1 and paged['flavors_links'][0]['rel'] == 'next'
    client.delete_flavor(flavor['id'])
    with pytest.raises(lib_exc.NotFound):
        client.show_flavor(flavor['id'])


def test_flavor_without_swap_and_generated_id(client, microversion):
    body = client.create_flavor(name='compat-auto-%s' % uuidutils.generate_uuid()[:8],
                                ram=64, vcpus=1, disk=0)['flavor']
    try:
        assert uuidutils.is_uuid_like(body['id'])
        assert body['swap'] == (0 if _version(microversion) >= (2, 75) else '')
        assert client.show_flavor(body['id'])['flavor']['swap'] == body['swap']
        client.list_flavors(detail=True, minRam=64, minDisk=0, sort_key='name',
                            sort_dir='desc')
    finally:
        client.delete_flavor(body['id'])


def test_update_description(client, microversion, flavor):
    if _version(microversion) < (2, 55):
        with pytest.raises(lib_exc.NotFound):
            client.update_flavor(flavor['id'], description='new')
        return
    body = client.update_flavor(flavor['id'], description='new')['flavor']
    assert body['description'] == 'new'
    assert client.show_flavor(flavor['id'])['flavor']['description'] == 'new'


def test_extra_specs(client, microversion, flavor):
    specs = {'hw:cpu_policy': 'dedicated', 'vendor:colour': 'blue'}
    assert client.set_flavor_extra_spec(flavor['id'], **specs)['extra_specs'] == specs
    assert client.list_flavor_extra_specs(flavor['id'])['extra_specs'] == specs
    assert client.show_flavor_extra_spec(flavor['id'], 'hw:cpu_policy') == \
        {'hw:cpu_policy': 'dedicated'}
    assert client.update_flavor_extra_spec(flavor['id'], 'hw:cpu_policy',
                                           **{'hw:cpu_policy': 'shared'}) == \
        {'hw:cpu_policy': 'shared'}
    client.unset_flavor_extra_spec(flavor['id'], 'vendor:colour')
    assert client.list_flavor_extra_specs(flavor['id'])['extra_specs'] == \
        {'hw:cpu_policy': 'shared'}
    if _version(microversion) >= (2, 61):
        shown = client.show_flavor(flavor['id'])['flavor']
        assert shown['extra_specs'] == {'hw:cpu_policy': 'shared'}
    if _version(microversion) >= (2, 86):
        with pytest.raises(lib_exc.BadRequest):
            client.set_flavor_extra_spec(flavor['id'], **{'hw:cpu_policy': 'fast'})
    with pytest.raises(lib_exc.NotFound):
        client.show_flavor_extra_spec(flavor['id'], 'vendor:colour')


def test_flavor_access(client, microversion, flavor):
    assert client.list_flavor_access(flavor['id'])['flavor_access'] == []
    body = client.add_flavor_access(flavor['id'], 'tenant-a')['flavor_access']
    assert body == [{'flavor_id': flavor['id'], 'tenant_id': 'tenant-a'}]
    with pytest.raises(lib_exc.Conflict):
        client.add_flavor_access(flavor['id'], 'tenant-a')
    client.add_flavor_access(flavor['id'], 'tenant-b')
    assert [a['tenant_id'] for a in client.list_flavor_access(flavor['id'])['flavor_access']] \
        == ['tenant-a', 'tenant-b']
    body = client.remove_flavor_access(flavor['id'], 'tenant-a')['flavor_access']
    assert body == [{'flavor_id': flavor['id'], 'tenant_id': 'tenant-b'}]
    with pytest.raises(lib_exc.NotFound):
        client.remove_flavor_access(flavor['id'], 'tenant-a')


def test_errors(client, microversion):
    with pytest.raises(lib_exc.NotFound):
        client.show_flavor('no-such-flavor')
    with pytest.raises(lib_exc.NotFound):
        client.delete_flavor('no-such-flavor')
    with pytest.raises(lib_exc.BadRequest):
        client.create_flavor(name='compat-bad', ram=0, vcpus=1, disk=1)
    with pytest.raises(lib_exc.BadRequest):
        client.list_flavors(marker='no-such-flavor')
