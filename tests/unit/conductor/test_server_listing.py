"""list_servers: conductor's one-call server list page, its RPC version and its fallback."""

import datetime
import json
import uuid

import oslo_messaging as messaging
from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova import exception
from nova import rpc
from nova.compute import api as compute_api
from nova.compute import server_records
from nova.conductor import manager as conductor_manager
from nova.conductor import rpcapi as conductor_rpcapi
from nova.conductor import server_listing
from nova.db.main import api as db
from nova.db.main import server_listing as server_listing_db
from nova.objects import base as objects_base
from nova.objects import flavor as flavor_obj
from nova.objects import instance as instance_obj
from nova.objects import instance_fault as fault_obj
from nova.objects import instance_group as group_obj
from nova.objects import service as service_obj
from nova.objects import tag as tag_obj


def _admin():
    return nova_context.get_admin_context()


def _make_flavor():
    flavor = flavor_obj.Flavor(context=_admin(), name='m1', memory_mb=512, vcpus=2,
                               root_gb=3, ephemeral_gb=1, flavorid='f1', swap=0,
                               rxtx_factor=1.0, is_public=True, disabled=False,
                               extra_specs={'hw:cpu_policy': 'shared'})
    flavor.create()
    return flavor


@pytest.fixture
def flavor(database):
    return _make_flavor()


def _server(flavor, **values):
    fields = dict(project_id='p1', user_id='u1', vm_state='active', display_name='vm',
                  host='h1', node='h1', flavor=flavor, instance_type_id=flavor.id,
                  launched_at=datetime.datetime(2026, 12, 6, 8, 0, 0, 123456),
                  metadata={'role': 'web'},
                  system_metadata={'image_os_distro': 'cirros', 'owner_user_name': 'x'})
    fields.update(values)
    instance = instance_obj.Instance(context=_admin(), **fields)
    instance.create()
    return instance


@pytest.fixture
def bus(conf, database):
    """A conductor serving RPC on the in-process bus."""
    conf.set_override('transport_url', rpc.IN_PROCESS_TRANSPORT_URL)
    rpc.init(conf)
    server = rpc.get_server(messaging.Target(topic=conductor_rpcapi.TOPIC, server='c1'),
                            [conductor_manager.ConductorManager(host='c1')])
    server.start()
    yield
    server.stop()
    server.wait()
    rpc.cleanup()


def test_versions_1_1_and_1_2_are_in_the_history_and_served():
    assert conductor_rpcapi.ConductorAPI.VERSION == '1.2'
    assert conductor_manager.ConductorManager.target.version == '1.2'
    assert '1.1 - list_servers' in conductor_rpcapi.__doc__
    assert "1.2 - list_servers takes the extra 'server_groups'" in conductor_rpcapi.__doc__


def test_upgrade_levels_cap_list_servers(bus, conf):
    assert conductor_rpcapi.ConductorAPI().can_list_servers()
    conf.set_override('conductor', '1.0', group='upgrade_levels')
    capped = conductor_rpcapi.ConductorAPI()
    assert not capped.can_list_servers()
    with pytest.raises(messaging.RPCVersionCapError):
        capped.list_servers(_admin(), {})


def test_the_page_over_the_bus_is_the_page_read_here(bus, flavor):
    web = _server(flavor, display_name='web')
    _server(flavor, display_name='db', vm_state='error')
    seen = datetime.datetime(2026, 12, 6, 9, 30, 0, 654321)
    service_obj.Service(context=_admin(), host='h1', binary='nova-compute', topic='compute',
                        last_seen_up=seen).create()
    extras = list(server_listing.EXTRAS)
    remote = conductor_rpcapi.ConductorAPI().list_servers(_admin(), {}, extras=extras)
    assert isinstance(remote, str)  # one string on the bus, not a walk of nested values
    assert remote == server_listing.list_servers(_admin(), {}, extras=extras)
    servers, services = server_records.read_page(remote)
    assert [server.display_name for server in servers] == ['db', 'web']
    shown = servers[1]
    assert shown.uuid == web.uuid and shown.name == web.name
    assert shown.launched_at == datetime.datetime(2026, 12, 6, 8, 0, 0, 123456)
    assert shown.flavor.vcpus == 2 and shown.flavor.extra_specs == {
        'hw:cpu_policy': 'shared'} and shown.flavor.flavorid == 'f1'
    assert shown.metadata == {'role': 'web'}
    assert shown.system_metadata == {'image_os_distro': 'cirros'}  # only what is shown
    assert shown.fault is None and servers[0].fault is None  # the error one has none yet
    assert list(services) == ['h1'] and services['h1'].last_seen_up == seen


def test_compute_api_asks_conductor_over_the_bus_or_falls_back(bus, flavor, conf,
                                                               monkeypatch):
    _server(flavor)
    monkeypatch.setattr(objects_base.NovaObject, 'indirection_api',
                        conductor_rpcapi.ConductorAPI())
    servers, _services = compute_api.API().list_servers(_admin(), {'all_tenants': True},
                                                        detail=False)
    assert [(server.display_name, server.obj_attr_is_set('host')) for server in servers] \
        == [('vm', False)]
    conf.set_override('conductor', '1.0', group='upgrade_levels')
    assert compute_api.API().list_servers(_admin(), {'all_tenants': True}) is None


def test_server_groups_in_the_page_unless_conductors_are_capped_below_1_2(bus, flavor, conf,
                                                                          monkeypatch):
    member = _server(flavor, display_name='member')
    _server(flavor, display_name='l')
    group = group_obj.InstanceGroup(context=_admin(), name='g', policy='anti-affinity',
                                    user_id='u1', project_id='p1', members=[member.uuid])
    group.create()
    monkeypatch.setattr(objects_base.NovaObject, 'indirection_api',
                        conductor_rpcapi.ConductorAPI())
    servers, _services = compute_api.API().list_servers(
        _admin(), {'all_tenants': True}, extras=['server_groups'])
    assert {server.display_name: server.server_groups for server in servers} == {
        'member': [group.uuid], 'l': []}
    conf.set_override('conductor', '1.1', group='upgrade_levels')
    capped = conductor_rpcapi.ConductorAPI()
    assert capped.can_list_servers() and not capped.can_list_server_groups()
    servers, _services = compute_api.API().list_servers(
        _admin(), {'all_tenants': True}, extras=['server_groups'])
    assert len(servers) == 2 and not servers[0].obj_attr_is_set('server_groups')


def test_unknown_extras_are_refused(database):
    with pytest.raises(exception.InvalidInput):
        server_listing.list_servers(_admin(), {}, extras=['volumes', 'passwords'])
    with pytest.raises(exception.InvalidInput):
        server_listing_db.page(_admin(), {}, extras=['zones_and_hints'])


def test_the_newest_fault_of_error_and_deleted_servers_only(flavor):
    broken = _server(flavor, vm_state='error')
    fine = _server(flavor)
    for server, message in ((broken, 'old'), (broken, 'new'), (fine, 'recovered')):
        fault_obj.InstanceFault(context=_admin(), instance_uuid=server.uuid, code=500,
                                message=message, details='trace', host='h1').create()
    servers, _ = server_listing_db.page(_admin(), {}, extras=['faults'])
    faults = {server['uuid']: server['fault'] for server in servers}
    assert faults[broken.uuid]['message'] == 'new' and faults[fine.uuid] is None


def test_host_services_of_the_page_hosts_live_records_only(flavor):
    _server(flavor, host='h1')
    _server(flavor, host=None, node=None)
    for host, disabled in (('h1', False), ('h2', False)):
        service_obj.Service(context=_admin(), host=host, binary='nova-compute',
                            topic='compute', disabled=disabled).create()
    old = service_obj.ServiceList.get_by_binary(_admin(), 'nova-compute')[0]
    old.destroy()
    service_obj.Service(context=_admin(), host='h1', binary='nova-compute', topic='compute',
                        disabled=True, last_seen_up=timeutils.utcnow()).create()
    _servers, services = server_listing_db.page(_admin(), {}, extras=['services'])
    assert list(services) == ['h1'] and services['h1']['disabled']


def test_summary_paging_and_address_filters(flavor):
    servers = [_server(flavor, display_name='vm%d' % index) for index in range(4)]
    for index, server in enumerate(servers):
        server.info_cache.network_info = json.dumps([{'network': {
            'label': 'net', 'subnets': [{'ips': [{'address': '10.0.0.%d' % index,
                                                  'version': 4}]}]}}])
        server.info_cache.save()
    page, _ = server_listing_db.page(_admin(), {}, detail=False, limit=2,
                                     sort_keys=['display_name'], sort_dirs=['asc'])
    assert page == [{'id': s.id, 'uuid': s.uuid, 'display_name': s.display_name}
                    for s in servers[:2]]
    after, _ = server_listing_db.page(_admin(), {}, detail=False, marker=servers[1].uuid,
                                      sort_keys=['display_name'], sort_dirs=['asc'])
    assert [s['display_name'] for s in after] == ['vm2', 'vm3']
    matched, _ = server_listing_db.page(_admin(), {'ip': r'10\.0\.0\.[13]'}, limit=1,
                                        sort_keys=['display_name'], sort_dirs=['asc'])
    assert [s['display_name'] for s in matched] == ['vm1']
    with pytest.raises(exception.MarkerNotFound):
        server_listing_db.page(_admin(), {}, marker=str(uuid.uuid4()))


def test_metadata_and_extras_on_every_backend(any_database):
    flavor = _make_flavor()
    web = _server(flavor, display_name='web', metadata={'role': 'web', 'tier': '1'},
                  system_metadata={'image_os_distro': 'cirros', 'locked_reason': 'audit',
                                   'image%x': 'kept', 'imagefoo': 'not shown'})
    bare = _server(flavor, display_name='bare', metadata={}, system_metadata={})
    ctx = _admin()
    tag_obj.TagList.create(ctx, web.uuid, ['zeta', 'alpha'])
    for name in ('web-sg', 'all-sg'):
        group = db.security_group_create(ctx, {'name': name, 'project_id': 'p1',
                                               'user_id': 'u1', 'description': ''})
        db.instance_add_security_group(ctx, web.uuid, group.id)
    for volume_id, delete in (('vol-b', True), ('vol-a', False)):
        db.block_device_mapping_create(ctx, {
            'instance_uuid': web.uuid, 'source_type': 'volume', 'destination_type': 'volume',
            'volume_id': volume_id, 'delete_on_termination': delete})
    servers, _services = server_listing_db.page(
        ctx, {}, extras=('volumes', 'security_groups', 'tags', 'faults'))
    shown = {server['uuid']: server for server in servers}
    assert shown[web.uuid]['metadata'] == {'role': 'web', 'tier': '1'}
    assert shown[web.uuid]['system_metadata'] == {
        'image_os_distro': 'cirros', 'locked_reason': 'audit'}
    assert shown[web.uuid]['tags'] == ['alpha', 'zeta']
    assert shown[web.uuid]['security_groups'] == ['web-sg', 'all-sg']  # in creation order
    assert shown[web.uuid]['volumes'] == [['vol-b', True], ['vol-a', False]]
    assert shown[bare.uuid]['metadata'] == {} and shown[bare.uuid]['system_metadata'] == {}
    assert (shown[bare.uuid]['volumes'], shown[bare.uuid]['security_groups'],
            shown[bare.uuid]['tags']) == ([], [], [])
    # Only what was asked for is read.
    servers, _services = server_listing_db.page(ctx, {}, extras=('tags',))
    assert 'volumes' not in servers[0] and 'tags' in servers[0]
