"""The server view at each microversion that changes it, over hand-built Instances."""

import datetime

import pytest

from nova import context as nova_context
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.views import servers as views
from nova.objects import flavor as flavor_obj
from nova.objects import instance as instance_obj
from nova.objects import instance_fault as fault_obj

UUID = '6b0a3b4e-1c1e-4f5a-9d61-6f7c2e0b5a11'
IMAGE = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
WHEN = datetime.datetime(2025, 1, 2, 3, 4, 5)
NETWORK_INFO = ('[{"address": "fa:16:3e:00:00:01", "network": {"label": "private", '
                '"subnets": [{"ips": [{"address": "10.0.0.3", "version": 4, "type": "fixed",'
                ' "floating_ips": [{"address": "192.0.2.7", "version": 4}]}]}]}}]')


def request(version, admin=False, url='http://localhost/v2.1/servers'):
    req = wsgi.Request.blank(url, base_url='http://localhost/v2.1')
    req.environ['nova.context'] = nova_context.RequestContext(
        user_id='u1', project_id='p1', is_admin=admin)
    req.environ['nova.api_version_request'] = api_version_request.APIVersionRequest(version)
    return req


def instance(**kwargs):
    flavor = flavor_obj.Flavor(id=1, flavorid='42', name='m1', memory_mb=512, vcpus=2,
                               root_gb=1, ephemeral_gb=0, swap=0,
                               extra_specs={'hw:cpu_policy': 'shared'})
    values = dict(id=7, uuid=UUID, project_id='p1', user_id='u1', display_name='vm',
                  display_description='desc', vm_state='active', task_state=None,
                  power_state=1, host='edge1', node='edge1', image_ref=IMAGE,
                  flavor=flavor, created_at=WHEN, updated_at=WHEN, launched_at=WHEN,
                  terminated_at=None, metadata={'k': 'v'}, hostname='vm', key_name='key',
                  config_drive='', availability_zone='nova', auto_disk_config=False,
                  access_ip_v4=None, access_ip_v6=None, progress=None, locked=False,
                  reservation_id='r-1', launch_index=0, kernel_id='', ramdisk_id='',
                  root_device_name='/dev/vda', user_data=None,
                  system_metadata={'image_os_distro': 'cirros', 'locked_reason': None},
                  info_cache=instance_obj.InstanceInfoCache(instance_uuid=UUID,
                                                            network_info=NETWORK_INFO))
    values.update(kwargs)
    return instance_obj.Instance(**values)


def show(version, inst=None, admin=False, extras=None, full=True):
    vis = views.Visibility(extended_attributes=admin)
    return views.show(request(version, admin), inst or instance(), extras, vis,
                      full=full)['server']


@pytest.mark.parametrize('vm_state,task_state,status', [
    ('active', None, 'ACTIVE'), ('active', 'rebooting', 'REBOOT'),
    ('active', 'rebooting_hard', 'HARD_REBOOT'), ('active', 'resize_prep', 'RESIZE'),
    ('building', 'spawning', 'BUILD'), ('stopped', None, 'SHUTOFF'),
    ('error', None, 'ERROR'), ('error', 'rebuilding', 'REBUILD'),
    ('resized', None, 'VERIFY_RESIZE'), ('deleted', None, 'DELETED'),
    ('soft-delete', None, 'SOFT_DELETED'), ('weird', None, 'UNKNOWN')])
def test_status_mapping(vm_state, task_state, status):
    assert views.status_from_state(vm_state, task_state) == status


def test_status_to_states():
    assert views.states_from_status(['SHUTOFF']) == (['stopped'], ['default'])
    vm_states, task_states = views.states_from_status(['reboot'])
    assert vm_states == ['active'] and 'rebooting' in task_states
    assert views.states_from_status(['nope']) == ([], [])


def test_v21_body():
    body = show('2.1')
    assert body['status'] == 'ACTIVE' and body['progress'] == 0
    assert body['tenant_id'] == 'p1' and body['metadata'] == {'k': 'v'}
    assert body['created'] == '2025-01-02T03:04:05Z'
    assert body['flavor'] == {'id': '42', 'links': [
        {'rel': 'bookmark', 'href': 'http://localhost/flavors/42'}]}
    assert body['image'] == {'id': IMAGE, 'links': [
        {'rel': 'bookmark', 'href': 'http://localhost/images/%s' % IMAGE}]}
    assert body['links'][0]['href'] == 'http://localhost/v2.1/servers/%s' % UUID
    assert body['addresses'] == {'private': [
        {'version': 4, 'addr': '10.0.0.3', 'OS-EXT-IPS:type': 'fixed',
         'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'},
        {'version': 4, 'addr': '192.0.2.7', 'OS-EXT-IPS:type': 'floating',
         'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'}]}
    assert body['accessIPv4'] == '' and body['OS-DCF:diskConfig'] == 'MANUAL'
    assert body['OS-SRV-USG:launched_at'] == '2025-01-02 03:04:05'
    assert body['OS-EXT-STS:vm_state'] == 'active'
    assert body['hostId'] and body['hostId'] != views.host_id(instance(project_id='p2'))
    assert 'OS-EXT-SRV-ATTR:host' not in body
    for later in ('locked', 'description', 'tags', 'host_status', 'locked_reason',
                  'trusted_image_certificates', 'server_groups',
                  'pinned_availability_zone', 'scheduler_hints'):
        assert later not in body


def test_admin_attributes_grow_at_23():
    body = show('2.1', admin=True)
    assert body['OS-EXT-SRV-ATTR:instance_name'] == 'instance-00000007'
    assert 'OS-EXT-SRV-ATTR:reservation_id' not in body
    body = show('2.3', admin=True)
    assert body['OS-EXT-SRV-ATTR:reservation_id'] == 'r-1'
    assert body['OS-EXT-SRV-ATTR:root_device_name'] == '/dev/vda'


def test_volumes_delete_flag_from_23():
    extras = views.ServerExtras(volumes=[('vol-1', True)])
    assert show('2.1', extras=extras)['os-extended-volumes:volumes_attached'] == [
        {'id': 'vol-1'}]
    assert show('2.3', extras=extras)['os-extended-volumes:volumes_attached'] == [
        {'id': 'vol-1', 'delete_on_termination': True}]


def test_microversion_fields():
    extras = views.ServerExtras(tags=['a'], host_status='UP', pinned_availability_zone='az1',
                                scheduler_hints={'group': ['g1'], 'same_host': ['a', 'b']})
    assert show('2.9')['locked'] is False
    assert 'host_status' not in show('2.15', extras=extras)
    assert show('2.16', extras=extras)['host_status'] == 'UP'
    assert show('2.19')['description'] == 'desc'
    assert show('2.26', extras=extras)['tags'] == ['a']
    assert show('2.47')['flavor'] == {'vcpus': 2, 'ram': 512, 'disk': 1, 'ephemeral': 0,
                                      'swap': 0, 'original_name': 'm1',
                                      'extra_specs': {'hw:cpu_policy': 'shared'}}
    assert show('2.63')['trusted_image_certificates'] is None
    assert show('2.71')['server_groups'] == []
    assert show('2.73')['locked_reason'] is None
    assert show('2.90')['OS-EXT-SRV-ATTR:hostname'] == 'vm'
    assert show('2.96', extras=extras)['pinned_availability_zone'] == 'az1'
    assert show('2.98')['image']['properties'] == {'os_distro': 'cirros'}
    assert show('2.100', extras=extras)['scheduler_hints'] == {'group': 'g1',
                                                               'same_host': ['a', 'b']}


def test_list_detail_has_no_server_groups():
    req = request('2.71')
    body = views.detail_list(req, [instance()])
    assert 'server_groups' not in body['servers'][0]
    assert views.index(req, [instance()]) == {'servers': [
        {'id': UUID, 'name': 'vm', 'links': views.links(req, UUID)}]}


def test_short_update_body_before_275():
    body = show('2.74', full=False)
    assert 'OS-EXT-STS:vm_state' not in body and 'key_name' not in body
    assert 'OS-EXT-IPS:type' not in body['addresses']['private'][0]
    assert body['server_groups'] == [] and body['locked_reason'] is None


def test_building_hides_addresses_and_error_shows_fault():
    assert show('2.1', instance(vm_state='building'))['addresses'] == {}
    errored = instance(vm_state='error')
    errored.fault = fault_obj.InstanceFault(code=500, message='boom', details='tb',
                                            created_at=WHEN)
    body = show('2.1', errored)
    assert body['fault'] == {'code': 500, 'created': '2025-01-02T03:04:05Z',
                             'message': 'boom'}
    assert 'progress' not in body
    assert show('2.1', errored, admin=True)['fault']['details'] == 'tb'


def test_no_image_and_project_links():
    assert show('2.1', instance(image_ref=''))['image'] == ''
    req = request('2.1', url='http://localhost/v2.1/p1/servers')
    body = views.show(req, instance())['server']
    assert body['links'][1]['href'] == 'http://localhost/p1/servers/%s' % UUID


def test_created_body():
    body = views.created(request('2.1'), instance(), 'secret')['server']
    assert body['adminPass'] == 'secret' and body['security_groups'] == [{'name': 'default'}]
    assert 'adminPass' not in views.created(request('2.1'), instance())['server']


def test_never_updated_server_shows_its_creation_time_as_updated():
    body = show('2.1', instance(updated_at=None))
    assert body['updated'] == body['created']


@pytest.mark.parametrize('when', [
    datetime.datetime(2025, 1, 2, 3, 4, 5, 678901),
    datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
])
def test_times_drop_microseconds_and_zone(when):
    assert views.isotime(when) == '2025-01-02T03:04:05Z'
    assert views._usage_time(when) == str(when.replace(tzinfo=None))
    assert views.isotime(None) is None and views._usage_time(None) is None
