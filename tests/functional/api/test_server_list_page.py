"""GET /servers, /servers/detail and /servers/{id} from one list_servers page give the
very bodies the object lookups give (the path taken while conductors are capped below
list_servers), at every microversion that changes the body, for admins and users."""

import json

from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova.compute import api as compute_api
from nova.objects import block_device as bdm_obj
from nova.objects import instance_fault as fault_obj
from nova.objects import request_spec as request_spec_obj
from nova.objects import security_group as security_group_obj
from nova.objects import service as service_obj
from nova.objects import tag as tag_obj
from tests.functional.api.test_servers import ALICE
from tests.functional.api.test_servers import make_flavor
from tests.functional.api.test_servers import make_server
from tests.unit.api.client import call

VERSIONS = ('2.1', '2.3', '2.9', '2.16', '2.19', '2.26', '2.47', '2.63', '2.73', '2.90',
            '2.96', '2.98', '2.100', '2.104')
NETWORK_INFO = json.dumps([{'address': 'fa:16:3e:00:00:01', 'network': {
    'label': 'private', 'subnets': [{'ips': [
        {'address': '10.0.0.5', 'version': 4, 'type': 'fixed',
         'floating_ips': [{'address': '172.24.4.9', 'version': 4}]}]}]}}])


def _admin(project_id='p1'):
    return nova_context.RequestContext('admin', project_id, is_admin=True)


@pytest.fixture
def fleet(api):
    flavor = make_flavor()
    now = timeutils.utcnow()
    service_obj.Service(context=_admin(), host='edge1', binary='nova-compute',
                        topic='compute', report_count=1, last_seen_up=now).create()
    service_obj.Service(context=_admin(), host='edge2', binary='nova-compute',
                        topic='compute', disabled=True).create()
    web = make_server(flavor, display_name='web', locked=True, key_name='k1',
                      system_metadata={'image_os_distro': 'cirros', 'image_hw_rng': 'true',
                                       'locked_reason': 'maintenance', 'other': 'hidden'},
                      metadata={'role': 'web', 'tier': 'front'},
                      display_description='the web server', reservation_id='r-1')
    web.info_cache.network_info = NETWORK_INFO
    web.info_cache.save()
    tag_obj.TagList.create(_admin(), web.uuid, ['blue', 'prod'])
    group = security_group_obj.SecurityGroup.ensure_default(_admin())
    group.add_to_instance(web.uuid)
    bdm_obj.BlockDeviceMapping(context=_admin(), instance_uuid=web.uuid,
                               source_type='volume', destination_type='volume',
                               volume_id='7a3b8f3e-0bfa-4b38-9e3b-1f3fd0b4e0a1',
                               delete_on_termination=True, boot_index=None).create()
    request_spec_obj.RequestSpec(context=_admin(), instance_uuid=web.uuid,
                                 availability_zone='az1',
                                 scheduler_hints={'group': ['g1'], 'same_host': ['a', 'b']},
                                 ).create()
    broken = make_server(flavor, display_name='broken', vm_state='error', host='edge2',
                         node='edge2')
    for code, message in ((404, 'older'), (500, 'boom')):
        fault_obj.InstanceFault(context=_admin(), instance_uuid=broken.uuid, code=code,
                                message=message, details='Traceback ...',
                                host='edge2').create()
    make_server(flavor, display_name='building', vm_state='building', host=None, node=None,
                launched_at=None)
    make_server(flavor, project_id='p2', user_id='eve', display_name='theirs',
                host='gone', node='gone')
    return api


def _both_ways(api, path, token, version, monkeypatch):
    """(body from the one-call page, body from the object lookups)."""
    paged = call(api, path, token=token, version=version)
    with monkeypatch.context() as patch:
        patch.setattr(compute_api.API, 'list_servers', lambda *args, **kwargs: None)
        looked_up = call(api, path, token=token, version=version)
    assert paged.status_int == looked_up.status_int == 200, paged.text
    return paged.json, looked_up.json


@pytest.mark.parametrize('version', VERSIONS)
def test_detail_bodies_are_the_object_lookups_bodies(fleet, version, monkeypatch):
    for token, query in (('admin:admin', '?all_tenants=1'), (ALICE, ''),
                         ('admin:admin', '?all_tenants=1&limit=2&sort_key=display_name')):
        paged, looked_up = _both_ways(fleet, '/v2.1/servers/detail' + query, token,
                                      version, monkeypatch)
        assert paged == looked_up
    assert len(paged['servers']) == 2 and paged['servers_links']


def test_the_page_shows_every_extra(fleet, monkeypatch):
    paged, looked_up = _both_ways(fleet, '/v2.1/servers/detail?all_tenants=1&sort_key='
                                  'display_name&sort_dir=asc', 'admin:admin', '2.104',
                                  monkeypatch)
    assert paged == looked_up
    broken, building, theirs, web = paged['servers']
    assert web['tags'] == ['blue', 'prod']
    assert web['security_groups'] == [{'name': 'default'}]
    assert web['os-extended-volumes:volumes_attached'] == [
        {'id': '7a3b8f3e-0bfa-4b38-9e3b-1f3fd0b4e0a1', 'delete_on_termination': True}]
    assert web['pinned_availability_zone'] == 'az1'
    assert web['scheduler_hints'] == {'group': 'g1', 'same_host': ['a', 'b']}
    assert web['locked_reason'] == 'maintenance'
    assert web['image']['properties'] == {'os_distro': 'cirros', 'hw_rng': 'true'}
    assert web['addresses']['private'][1]['addr'] == '172.24.4.9'
    assert web['host_status'] == 'UP' and broken['host_status'] == 'MAINTENANCE'
    assert theirs['host_status'] == '' and building['host_status'] == ''
    assert broken['fault']['message'] == 'boom' and broken['fault']['details']
    assert 'fault' not in web and building['addresses'] == {}


def test_index_and_paging_links_are_the_same(fleet, monkeypatch):
    for token, query in (('admin:admin', '?all_tenants=1'),
                         ('admin:admin', '?all_tenants=1&limit=1'),
                         (ALICE, '?limit=1&sort_key=display_name&sort_dir=asc')):
        paged, looked_up = _both_ways(fleet, '/v2.1/servers' + query, token, '2.1',
                                      monkeypatch)
        assert paged == looked_up and paged['servers']
    marker = paged['servers'][0]['id']
    paged, looked_up = _both_ways(fleet, '/v2.1/servers/detail?limit=1&marker=' + marker,
                                  ALICE, '2.104', monkeypatch)
    assert paged == looked_up and len(paged['servers']) == 1


def test_a_user_without_the_host_status_rule_gets_no_host_status(fleet, monkeypatch):
    paged, looked_up = _both_ways(fleet, '/v2.1/servers/detail', ALICE, '2.104',
                                  monkeypatch)
    assert paged == looked_up
    assert all('host_status' not in server for server in paged['servers'])
    assert all('details' not in server.get('fault', {}) for server in paged['servers'])


def test_filters_and_bad_markers_answer_alike(fleet, monkeypatch):
    for query in ('?all_tenants=1&ip=10.0', '?all_tenants=1&tags=prod',
                  '?all_tenants=1&status=ERROR', '?all_tenants=1&name=^b',
                  '?all_tenants=1&locked=true'):
        paged, looked_up = _both_ways(fleet, '/v2.1/servers/detail' + query, 'admin:admin',
                                      '2.104', monkeypatch)
        assert paged == looked_up
        assert paged['servers'], query
    resp = call(fleet, '/v2.1/servers/detail?marker=' + '1' * 36, version='2.104')
    assert resp.status_int == 400 and 'marker' in resp.text


@pytest.mark.parametrize('version', ('2.1', '2.3', '2.16', '2.47', '2.71', '2.73', '2.96',
                                     '2.100', '2.104'))
def test_show_bodies_are_the_object_lookups_bodies(fleet, version, monkeypatch):
    listed = call(fleet, '/v2.1/servers?all_tenants=1').json['servers']
    for server in listed:
        for token in ('admin:admin', ALICE):
            path = '/v2.1/servers/%s' % server['id']
            paged = call(fleet, path, token=token, version=version)
            with monkeypatch.context() as patch:
                patch.setattr(compute_api.API, 'list_servers', lambda *args, **kwargs: None)
                looked_up = call(fleet, path, token=token, version=version)
            assert (paged.status_int, paged.json) == (looked_up.status_int, looked_up.json)
    assert paged.status_int == 200 and looked_up.status_int == 200
    missing = call(fleet, '/v2.1/servers/%s' % ('1' * 36), version=version)
    assert missing.status_int == 404 and 'could not be found' in missing.text
    theirs = [s['id'] for s in listed if s['name'] == 'theirs'][0]
    assert call(fleet, '/v2.1/servers/%s' % theirs, token=ALICE).status_int == 404
