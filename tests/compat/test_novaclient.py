"""python-novaclient, as a library, against nova-all: version negotiation, services, and
servers (create, list with filters and paging, get, update, metadata, tags, diagnostics,
instance actions, delete) at the newest common microversion and at 2.1."""

import time
import urllib.request

import pytest

novaclient = pytest.importorskip('novaclient')

from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1 import token_endpoint  # noqa: E402
from novaclient import api_versions  # noqa: E402
from novaclient import client  # noqa: E402
from novaclient import exceptions  # noqa: E402

from tests.compat.conftest import post_json  # noqa: E402


@pytest.fixture
def nova(nova_all):
    sess = ks_session.Session(auth=token_endpoint.Token(nova_all.compute_url, 'admin:admin'))
    version = api_versions.discover_version(client.Client('2.1', session=sess),
                                            api_versions.APIVersion('2.latest'))
    return client.Client(version, session=sess)


def test_negotiates_the_newest_common_version(nova):
    assert nova.api_version >= api_versions.APIVersion('2.53')
    assert nova.api_version <= api_versions.APIVersion('2.104')


def test_services_list_and_update(nova):
    services = {s.binary: s for s in nova.services.list()}
    assert set(services) == {'nova-conductor', 'nova-scheduler', 'nova-compute'}
    compute = services['nova-compute']
    assert compute.state == 'up' and compute.zone == 'nova'
    updated = nova.services.disable_log_reason(compute.id, 'novaclient says so')
    assert updated.status == 'disabled' and updated.disabled_reason == 'novaclient says so'
    assert nova.services.enable(compute.id).status == 'enabled'
    assert nova.services.force_down(compute.id, True).forced_down is True
    assert nova.services.force_down(compute.id, False).forced_down is False
    assert [s.binary for s in nova.services.list(binary='nova-compute')] == ['nova-compute']


def test_old_microversion_uses_host_and_binary(nova_all):
    sess = ks_session.Session(auth=token_endpoint.Token(nova_all.compute_url, 'admin:admin'))
    old = client.Client('2.11', session=sess)
    compute = [s for s in old.services.list() if s.binary == 'nova-compute'][0]
    assert isinstance(compute.id, int)
    disabled = old.services.disable('edge1', 'nova-compute')
    assert disabled.status == 'disabled'
    assert old.services.enable('edge1', 'nova-compute').status == 'enabled'


def test_missing_service_is_not_found(nova):
    with pytest.raises(exceptions.NotFound):
        nova.services.delete('00000000-0000-0000-0000-00000000dead')


# -- servers ------------------------------------------------------------------------------


@pytest.fixture(scope='module')
def boot_inputs(nova_all):
    flavor = post_json(nova_all.compute_url + '/flavors', {'flavor': {
        'name': 'compat.novaclient', 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    image = post_json(nova_all.url + '/image/v2/images', {
        'name': 'compat-novaclient', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova_all.url, image['id']),
                                 data=b'\0' * 256, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    return flavor['id'], image['id']


@pytest.fixture(params=['2.latest', '2.1'])
def any_nova(request, nova_all):
    sess = ks_session.Session(auth=token_endpoint.Token(nova_all.compute_url, 'admin:admin'))
    if request.param == '2.latest':
        version = api_versions.discover_version(client.Client('2.1', session=sess),
                                                api_versions.APIVersion('2.latest'))
    else:
        version = api_versions.APIVersion('2.1')
    return client.Client(version, session=sess)


def _wait(nova, server, status='ACTIVE', timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            server = nova.servers.get(server.id)
        except exceptions.NotFound:
            if status is None:
                return None
            raise
        if server.status == status:
            return server
        assert server.status != 'ERROR', server.fault
        assert time.monotonic() < deadline, server.status
        time.sleep(0.2)


def test_server_lifecycle_filters_and_extras(any_nova, boot_inputs):
    nova = any_nova
    flavor_id, image_id = boot_inputs
    new = nova.api_version >= api_versions.APIVersion('2.52')
    prefix = 'nc-%s-' % nova.api_version.get_string().replace('.', '')
    extra = {'nics': 'none', 'tags': ['nc'], 'description': 'made by novaclient'} \
        if new else {}
    servers = [nova.servers.create(prefix + str(i), image_id, flavor_id,
                                   meta={'role': 'test'}, **extra) for i in range(3)]
    try:
        servers = [_wait(nova, server) for server in servers]
        mine = {'name': '^%s' % prefix}

        # list: filters, search options, sorting and paging
        names = [s.name for s in nova.servers.list(search_opts=mine, sort_keys=['display_name'],
                                                   sort_dirs=['asc'])]
        assert names == [prefix + str(i) for i in range(3)]
        assert len(nova.servers.list(detailed=False, search_opts=mine)) == 3
        assert len(nova.servers.list(search_opts=dict(mine, status='ACTIVE',
                                                      flavor=flavor_id))) == 3
        assert nova.servers.list(search_opts=dict(mine, status='SHUTOFF')) == []
        assert [s.name for s in nova.servers.list(search_opts={'name': prefix + '1$'})] == \
            [prefix + '1']
        everyone = nova.servers.list(search_opts=dict(mine, all_tenants=True, host='edge1'))
        assert {s.id for s in everyone} == {s.id for s in servers}
        page = nova.servers.list(search_opts=mine, limit=1, sort_keys=['display_name'],
                                 sort_dirs=['asc'])
        assert [s.name for s in page] == [prefix + '0']
        rest = nova.servers.list(search_opts=mine, marker=page[0].id, limit=5,
                                 sort_keys=['display_name'], sort_dirs=['asc'])
        assert [s.name for s in rest] == [prefix + '1', prefix + '2']
        paged = nova.servers.list(search_opts=mine, limit=-1)  # novaclient follows markers
        assert len(paged) == 3
        if new:
            assert len(nova.servers.list(search_opts=dict(mine, tags='nc'))) == 3
            assert nova.servers.list(search_opts=dict(mine, config_drive=True)) == []
        with pytest.raises(exceptions.BadRequest):
            nova.servers.list(search_opts={'name': '('})

        # get, update, metadata
        server = servers[0]
        assert nova.servers.get(server.id).metadata == {'role': 'test'}
        if new:
            updated = nova.servers.update(server, name=prefix + 'x', description='renamed')
            assert updated.description == 'renamed'
        else:
            updated = nova.servers.update(server, name=prefix + 'x')
        assert updated.name == prefix + 'x'
        nova.servers.set_meta(server, {'tier': 'edge'})
        assert nova.servers.get(server.id).metadata == {'role': 'test', 'tier': 'edge'}
        nova.servers.delete_meta(server, ['role'])
        assert nova.servers.get(server.id).metadata == {'tier': 'edge'}

        # tags (2.26+)
        if new:
            assert nova.servers.tag_list(server) == ['nc']
            nova.servers.add_tag(server, 'blue')
            assert nova.servers.tag_list(server) == ['blue', 'nc']
            nova.servers.set_tags(server, ['a', 'b'])
            assert nova.servers.tag_list(server) == ['a', 'b']
            nova.servers.delete_tag(server, 'a')
            assert nova.servers.tag_list(server) == ['b']
            nova.servers.delete_all_tags(server)
            assert nova.servers.tag_list(server) == []

        # diagnostics: the driver's body before 2.48, the standard one after
        resp, body = nova.servers.diagnostics(server)
        assert resp.status_code == 200
        if nova.api_version >= api_versions.APIVersion('2.48'):
            assert body['num_cpus'] == 1 and body['memory_details']['maximum'] == 64
        else:
            assert body['memory'] == 64 * 1024

        # instance actions
        actions = nova.instance_action.list(server)
        assert 'create' in [action.action for action in actions]
        create = [action for action in actions if action.action == 'create'][0]
        shown = nova.instance_action.get(server, create.request_id)
        assert shown.instance_uuid == server.id
        with pytest.raises(exceptions.NotFound):
            nova.instance_action.get(server, 'req-none')
    finally:
        for server in servers:
            nova.servers.delete(server)
    for server in servers:
        assert _wait(nova, server, status=None) is None
