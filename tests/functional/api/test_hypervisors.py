"""/os-hypervisors through the real WSGI app, on real objects and a real (SQLite) database.

Uptime goes over the in-process bus to a real ComputeManager (fake driver) served here.
"""

import oslo_messaging as messaging
import pytest

from nova import context as nova_context
from nova import rpc
from nova.compute import manager as compute_manager
from nova.objects import instance as instance_obj
from tests.functional.api.test_services import make_service
from tests.unit.api.client import call
from tests.unit.api.client import fault
from tests.unit.objects.test_service import make_compute_node

URL = '/v2.1/os-hypervisors'
ALICE = 'alice:p1'
SUMMARY_FIELDS = {'id', 'hypervisor_hostname', 'state', 'status'}
RESOURCE_FIELDS = {'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
                   'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload',
                   'running_vms', 'disk_available_least', 'cpu_info'}
DETAIL_FIELDS = SUMMARY_FIELDS | RESOURCE_FIELDS | {'hypervisor_type', 'hypervisor_version',
                                                    'host_ip', 'service'}
DETAIL_FIELDS_2_88 = DETAIL_FIELDS - RESOURCE_FIELDS | {'uptime'}
CPU_INFO = '{"arch": "x86_64", "model": "Haswell", "topology": {"cores": 2}}'


def admin_context():
    return nova_context.get_admin_context()


class Cloud:
    """Two compute hosts (one up, one down and disabled), a node whose service is gone, and
    a server on the first host."""

    def __init__(self):
        ctx = admin_context()
        self.service1 = make_service('compute1', 'nova-compute')
        self.service2 = make_service('compute2', 'nova-compute', up=False, disabled=True,
                                     disabled_reason='fan')
        make_service('control1', 'nova-scheduler')
        self.node1 = make_compute_node(
            ctx, host='compute1', node='node1.example', cpu_info=CPU_INFO, vcpus=8,
            vcpus_used=2, memory_mb=8192, memory_mb_used=1024, local_gb=100,
            local_gb_used=10, free_ram_mb=7168, free_disk_gb=90, current_workload=1,
            running_vms=1, disk_available_least=80, host_ip='192.0.2.1')
        self.node2 = make_compute_node(ctx, host='compute2', node='node2.example', vcpus=4,
                                       disk_available_least=None)
        self.orphan = make_compute_node(ctx, host='gone', node='node3.example')
        self.server = instance_obj.Instance(context=ctx, project_id='p1', user_id='alice',
                                            host='compute1', node='node1.example',
                                            vm_state='active', display_name='web')
        self.server.create()


@pytest.fixture
def cloud(api):
    return Cloud()


@pytest.fixture
def compute_bus(conf):
    """Serve ComputeManagers on the in-process bus: ``serve(host, driver=None)``."""
    conf.set_override('transport_url', rpc.IN_PROCESS_TRANSPORT_URL)
    rpc.init(conf)
    servers = []

    def serve(host, driver=None):
        manager = compute_manager.ComputeManager(host=host, compute_driver=driver)
        server = rpc.get_server(messaging.Target(topic='compute', server=host), [manager])
        server.start()
        servers.append(server)

    yield serve
    for server in servers:
        server.stop()
        server.wait()
    rpc.cleanup()


def hypervisors(resp):
    assert resp.status_int == 200, resp.text
    return resp.json['hypervisors']


def by_name(resp):
    return {h['hypervisor_hostname']: h for h in hypervisors(resp)}


# -- GET /os-hypervisors ----------------------------------------------------------------------

def test_index_at_2_1(api, cloud):
    listed = hypervisors(call(api, URL))
    assert listed == [
        {'id': cloud.node1.id, 'hypervisor_hostname': 'node1.example', 'state': 'up',
         'status': 'enabled'},
        {'id': cloud.node2.id, 'hypervisor_hostname': 'node2.example', 'state': 'down',
         'status': 'disabled'},
    ]


def test_index_from_2_53_uses_uuids(api, cloud):
    listed = by_name(call(api, URL, version='2.53'))
    assert listed['node1.example']['id'] == cloud.node1.uuid
    assert set(listed['node1.example']) == SUMMARY_FIELDS


def test_empty(api):
    for version in ('2.1', '2.33', '2.53', 'latest'):
        assert call(api, URL, version=version).json == {'hypervisors': []}


# -- GET /os-hypervisors/detail -----------------------------------------------------------------

def test_detail_at_2_1(api, cloud):
    listed = by_name(call(api, URL + '/detail'))
    assert set(listed) == {'node1.example', 'node2.example'}
    node1 = listed['node1.example']
    assert set(node1) == DETAIL_FIELDS
    assert node1 == {
        'id': cloud.node1.id, 'hypervisor_hostname': 'node1.example', 'state': 'up',
        'status': 'enabled', 'hypervisor_type': 'QEMU', 'hypervisor_version': 1,
        'host_ip': '192.0.2.1', 'cpu_info': CPU_INFO, 'vcpus': 8, 'vcpus_used': 2,
        'memory_mb': 8192, 'memory_mb_used': 1024, 'local_gb': 100, 'local_gb_used': 10,
        'free_ram_mb': 7168, 'free_disk_gb': 90, 'current_workload': 1, 'running_vms': 1,
        'disk_available_least': 80,
        'service': {'id': cloud.service1.id, 'host': 'compute1', 'disabled_reason': None}}
    assert listed['node2.example']['service']['disabled_reason'] == 'fan'
    assert listed['node2.example']['disk_available_least'] is None


def test_detail_cpu_info_is_an_object_from_2_28(api, cloud):
    assert isinstance(by_name(call(api, URL + '/detail', version='2.27'))['node1.example'][
        'cpu_info'], str)
    listed = by_name(call(api, URL + '/detail', version='2.28'))
    assert listed['node1.example']['cpu_info'] == {
        'arch': 'x86_64', 'model': 'Haswell', 'topology': {'cores': 2}}
    assert listed['node2.example']['cpu_info'] == {}


def test_detail_from_2_53_uses_uuids(api, cloud):
    node1 = by_name(call(api, URL + '/detail', version='2.53'))['node1.example']
    assert node1['id'] == cloud.node1.uuid
    assert node1['service']['id'] == cloud.service1.uuid
    assert set(node1) == DETAIL_FIELDS


def test_detail_from_2_88_drops_resources_and_adds_uptime(api, cloud, compute_bus):
    compute_bus('compute1')
    listed = by_name(call(api, URL + '/detail', version='2.88'))
    assert set(listed['node1.example']) == DETAIL_FIELDS_2_88
    assert 'up' in listed['node1.example']['uptime']
    assert 'load average' in listed['node1.example']['uptime']
    # A down host has no uptime to tell.
    assert listed['node2.example']['uptime'] is None
    assert set(by_name(call(api, URL + '/detail', version='2.87'))['node1.example']) == \
        DETAIL_FIELDS


def test_detail_at_2_88_when_the_driver_has_no_uptime(api, cloud, compute_bus):
    compute_bus('compute1', driver='driver.ComputeDriver')
    listed = by_name(call(api, URL + '/detail', version='latest'))
    assert listed['node1.example']['uptime'] is None


# -- GET /os-hypervisors/{id} -------------------------------------------------------------------

def test_show(api, cloud):
    resp = call(api, '%s/%d' % (URL, cloud.node1.id))
    assert resp.status_int == 200
    shown = resp.json['hypervisor']
    assert shown == by_name(call(api, URL + '/detail'))['node1.example']
    shown = call(api, '%s/%s' % (URL, cloud.node1.uuid), version='2.53').json['hypervisor']
    assert shown['id'] == cloud.node1.uuid and set(shown) == DETAIL_FIELDS


def test_show_at_2_88(api, cloud, compute_bus):
    compute_bus('compute1')
    shown = call(api, '%s/%s' % (URL, cloud.node1.uuid), version='2.88').json['hypervisor']
    assert set(shown) == DETAIL_FIELDS_2_88 and 'load average' in shown['uptime']


@pytest.mark.parametrize('version, hypervisor_id, code, message', [
    ('2.1', '999', 404, "Hypervisor with ID '999' could not be found."),
    ('2.1', 'abc', 404, "Hypervisor with ID 'abc' could not be found."),
    ('2.1', '99999999999999999999', 404, 'could not be found'),
    ('2.52', '3b5f3bd4-5bd4-4ae9-8e4b-1d3f5a0b9c11', 404, 'could not be found'),
    ('2.53', '1', 400, 'Invalid uuid 1'),
    ('2.53', '3b5f3bd4-5bd4-4ae9-8e4b-1d3f5a0b9c11', 404, 'could not be found'),
])
def test_show_not_found_or_bad_id(api, cloud, version, hypervisor_id, code, message):
    resp = call(api, '%s/%s' % (URL, hypervisor_id), version=version)
    assert resp.status_int == code
    assert message in fault(resp)[2]


def test_show_node_without_service_is_not_found(api, cloud):
    assert call(api, '%s/%d' % (URL, cloud.orphan.id)).status_int == 404


def test_show_with_servers(api, cloud):
    url = '%s/%s?with_servers=true' % (URL, cloud.node1.uuid)
    shown = call(api, url, version='2.53').json['hypervisor']
    assert shown['servers'] == [{'name': cloud.server.name, 'uuid': cloud.server.uuid}]
    url2 = '%s/%s?with_servers=1' % (URL, cloud.node2.uuid)
    assert 'servers' not in call(api, url2, version='2.74').json['hypervisor']
    assert call(api, url2, version='2.75').json['hypervisor']['servers'] == []
    # Without the parameter (or before 2.53) there are no servers.
    assert 'servers' not in call(api, '%s/%s' % (URL, cloud.node1.uuid),
                                 version='2.53').json['hypervisor']
    resp = call(api, '%s/%d?with_servers=true' % (URL, cloud.node1.id), version='2.52')
    assert 'servers' not in resp.json['hypervisor']


@pytest.mark.parametrize('query', ['?with_servers=maybe', '?colour=red',
                                   '?with_servers=true&with_servers=false'])
def test_show_bad_query(api, cloud, query):
    resp = call(api, '%s/%s%s' % (URL, cloud.node1.uuid, query), version='2.53')
    assert resp.status_int == 400


# -- hostname patterns and servers ----------------------------------------------------------------

def test_pattern_from_2_53(api, cloud):
    listed = hypervisors(call(api, URL + '?hypervisor_hostname_pattern=node1', version='2.53'))
    assert [h['hypervisor_hostname'] for h in listed] == ['node1.example']
    listed = by_name(call(api, URL + '/detail?hypervisor_hostname_pattern=example'
                                     '&with_servers=yes', version='2.53'))
    assert set(listed) == {'node1.example', 'node2.example'}
    assert listed['node1.example']['servers'][0]['uuid'] == cloud.server.uuid
    assert 'servers' not in listed['node2.example']
    assert set(listed['node1.example']) == DETAIL_FIELDS | {'servers'}


def test_index_with_servers(api, cloud):
    listed = by_name(call(api, URL + '?with_servers=true', version='2.75'))
    assert listed['node1.example']['servers'] == [
        {'name': cloud.server.name, 'uuid': cloud.server.uuid}]
    assert listed['node2.example']['servers'] == []


@pytest.mark.parametrize('query, code, message', [
    ('?hypervisor_hostname_pattern=zzz', 404, "No hypervisor matching 'zzz' could be found."),
    ('?hypervisor_hostname_pattern=node&limit=1', 400,
     'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not '
     'supported.'),
    ('?hypervisor_hostname_pattern=node&marker=x', 400, 'Paging over hypervisors'),
    ('?hypervisor_hostname_pattern=bad%20name', 400, "'bad name' does not match"),
    ('?with_servers=perhaps', 400, "'perhaps' is not one of"),
    ('?limit=1&limit=2', 400, 'is too long'),
    ('?colour=red', 400, "'colour' was unexpected"),
])
def test_bad_list_queries_from_2_53(api, cloud, query, code, message):
    for path in (URL, URL + '/detail'):
        resp = call(api, path + query, version='2.53')
        assert resp.status_int == code
        assert message in fault(resp)[2]


def test_pattern_and_unknown_parameters_are_ignored_before_2_53(api, cloud):
    listed = hypervisors(call(api, URL + '?hypervisor_hostname_pattern=zzz&colour=red',
                              version='2.52'))
    assert len(listed) == 2


def test_search_and_servers_routes_before_2_53(api, cloud):
    listed = hypervisors(call(api, URL + '/node/search'))
    assert [h['hypervisor_hostname'] for h in listed] == ['node1.example', 'node2.example']
    assert all(set(h) == SUMMARY_FIELDS for h in listed)
    listed = by_name(call(api, URL + '/example/servers', version='2.52'))
    assert listed['node1.example']['servers'] == [
        {'name': cloud.server.name, 'uuid': cloud.server.uuid}]
    assert 'servers' not in listed['node2.example']
    for suffix in ('/zzz/search', '/zzz/servers'):
        assert fault(call(api, URL + suffix)) == (
            'itemNotFound', 404, "No hypervisor matching 'zzz' could be found.")
        assert call(api, URL + suffix.replace('zzz', 'node'), version='2.53').status_int == 404


# -- paging (2.33) -------------------------------------------------------------------------------

def test_paging_from_2_33(api, cloud):
    resp = call(api, URL + '?limit=1', version='2.33')
    assert [h['id'] for h in hypervisors(resp)] == [cloud.node1.id]
    assert resp.json['hypervisors_links'] == [{
        'rel': 'next',
        'href': 'http://localhost/v2.1/os-hypervisors?limit=1&marker=%d' % cloud.node1.id}]
    resp = call(api, URL + '/detail?limit=1&marker=%d' % cloud.node1.id, version='2.33')
    assert [h['id'] for h in hypervisors(resp)] == [cloud.node2.id]
    assert 'os-hypervisors/detail?' in resp.json['hypervisors_links'][0]['href']
    resp = call(api, URL + '?marker=%d' % cloud.node2.id, version='2.52')
    assert hypervisors(resp) == [] and 'hypervisors_links' not in resp.json
    resp = call(api, URL + '?limit=1&marker=%s' % cloud.node1.uuid, version='2.53')
    assert [h['id'] for h in hypervisors(resp)] == [cloud.node2.uuid]
    assert resp.json['hypervisors_links'][0]['href'].endswith('marker=%s' % cloud.node2.uuid)


def test_paging_is_ignored_before_2_33(api, cloud):
    resp = call(api, URL + '?limit=1&marker=zzz', version='2.32')
    assert len(hypervisors(resp)) == 2 and 'hypervisors_links' not in resp.json


@pytest.mark.parametrize('version, query, message', [
    ('2.33', '?marker=999', 'marker [999] not found'),
    ('2.53', '?marker=%d', 'not found'),
    ('2.33', '?limit=-2', "'-2' does not match"),
])
def test_bad_paging(api, cloud, version, query, message):
    if '%d' in query:
        query = query % cloud.node1.id
    resp = call(api, URL + query, version=version)
    assert resp.status_int == 400
    assert message in fault(resp)[2]


# -- statistics and uptime (before 2.88) --------------------------------------------------------

def test_statistics_count_enabled_hosts(api, cloud):
    stats = call(api, URL + '/statistics').json['hypervisor_statistics']
    assert stats == {'count': 1, 'vcpus': 8, 'vcpus_used': 2, 'memory_mb': 8192,
                     'memory_mb_used': 1024, 'local_gb': 100, 'local_gb_used': 10,
                     'free_ram_mb': 7168, 'free_disk_gb': 90, 'current_workload': 1,
                     'running_vms': 1, 'disk_available_least': 80}
    assert call(api, URL + '/statistics', version='2.87').status_int == 200
    assert fault(call(api, URL + '/statistics', version='2.88'))[1] == 404


def test_uptime(api, cloud, compute_bus):
    compute_bus('compute1')
    resp = call(api, '%s/%d/uptime' % (URL, cloud.node1.id))
    assert resp.status_int == 200
    shown = resp.json['hypervisor']
    assert set(shown) == SUMMARY_FIELDS | {'uptime'}
    assert shown['id'] == cloud.node1.id and 'load average' in shown['uptime']
    resp = call(api, '%s/%s/uptime' % (URL, cloud.node1.uuid), version='2.87')
    assert resp.json['hypervisor']['id'] == cloud.node1.uuid
    assert fault(call(api, '%s/%s/uptime' % (URL, cloud.node1.uuid), version='2.88'))[1] == 404


def test_uptime_of_a_down_host(api, cloud):
    resp = call(api, '%s/%d/uptime' % (URL, cloud.node2.id))
    assert fault(resp) == ('badRequest', 400,
                           'Compute service of compute2 is unavailable at this time.')
    assert fault(call(api, '%s/999/uptime' % URL))[1] == 404
    assert fault(call(api, '%s/abc/uptime' % URL, version='2.53'))[1] == 400


def test_uptime_not_implemented_by_the_driver(api, cloud, compute_bus):
    compute_bus('compute1', driver='driver.ComputeDriver')
    resp = call(api, '%s/%d/uptime' % (URL, cloud.node1.id))
    assert fault(resp) == ('notImplemented', 501,
                           'The requested functionality is not supported.')


def test_uptime_of_a_silent_host(api, cloud, compute_bus, conf):
    conf.set_override('rpc_response_timeout', 1)
    resp = call(api, '%s/%d/uptime' % (URL, cloud.node1.id))  # nobody serves compute1
    assert fault(resp) == ('badRequest', 400,
                           'Compute service of compute1 is unavailable at this time.')


# -- policy ---------------------------------------------------------------------------------

@pytest.mark.parametrize('path, action', [
    ('', 'list'), ('/detail', 'list-detail'), ('/1', 'show'), ('/1/uptime', 'uptime'),
    ('/node/search', 'search'), ('/node/servers', 'servers'), ('/statistics', 'statistics'),
])
def test_admin_only(api, cloud, path, action):
    resp = call(api, URL + path, token=ALICE)
    assert fault(resp) == ('forbidden', 403, "Policy doesn't allow "
                           "os_compute_api:os-hypervisors:%s to be performed." % action)
