"""/servers (list, show, update, delete), metadata, tags and instance actions through the
real WSGI app, over real objects on SQLite. Servers are recorded directly (booting one
needs the whole system: see test_servers_boot.py)."""

import datetime

from oslo_utils import timeutils
import pytest
from tempest.lib.api_schema.response.compute.v2_1 import servers as schema_v21
from tempest.lib.api_schema.response.compute.v2_3 import servers as schema_v23
from tempest.lib.api_schema.response.compute.v2_9 import servers as schema_v29
from tempest.lib.api_schema.response.compute.v2_16 import servers as schema_v216
from tempest.lib.api_schema.response.compute.v2_19 import servers as schema_v219
from tempest.lib.api_schema.response.compute.v2_26 import servers as schema_v226
from tempest.lib.api_schema.response.compute.v2_47 import servers as schema_v247
from tempest.lib.api_schema.response.compute.v2_58 import servers as schema_v258
from tempest.lib.api_schema.response.compute.v2_62 import servers as schema_v262
from tempest.lib.api_schema.response.compute.v2_63 import servers as schema_v263
from tempest.lib.api_schema.response.compute.v2_71 import servers as schema_v271
from tempest.lib.api_schema.response.compute.v2_73 import servers as schema_v273
from tempest.lib.api_schema.response.compute.v2_75 import servers as schema_v275
from tempest.lib.api_schema.response.compute.v2_89 import servers as schema_v289
from tempest.lib.api_schema.response.compute.v2_96 import servers as schema_v296
from tempest.lib.api_schema.response.compute.v2_98 import servers as schema_v298
from tempest.lib.api_schema.response.compute.v2_100 import servers as schema_v2100
from tempest.lib.common import rest_client

from nova import context as nova_context
from nova.objects import flavor as flavor_obj
from nova.objects import instance as instance_obj
from nova.objects import instance_action as action_obj
from nova.objects import instance_fault as fault_obj
from nova.objects import tag as tag_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

ALICE = 'alice:p1'
EVE = 'eve:p2'
UUID0 = '00000000-0000-0000-0000-000000000000'


def admin():
    return nova_context.get_admin_context()


def make_flavor():
    flavor = flavor_obj.Flavor(context=admin(), name='m1.tiny', memory_mb=512, vcpus=1,
                               root_gb=1, ephemeral_gb=0, flavorid='1', swap=0,
                               rxtx_factor=1.0, is_public=True, disabled=False,
                               extra_specs={'hw:cpu_policy': 'shared'})
    flavor.create()
    return flavor


@pytest.fixture
def flavor(api):
    return make_flavor()


def make_server(flavor, project_id='p1', user_id='alice', **kwargs):
    values = dict(project_id=project_id, user_id=user_id, vm_state='active', task_state=None,
                  power_state=1, display_name='vm', host='edge1', node='edge1',
                  image_ref='155d900f-4e14-4e4c-a73d-069cbf4541e6', flavor=flavor,
                  instance_type_id=flavor.id, vcpus=1, memory_mb=512, hostname='vm',
                  launched_at=timeutils.utcnow(), availability_zone='nova',
                  system_metadata={'image_os_distro': 'cirros'},
                  metadata={'role': 'web'}, locked=False)
    values.update(kwargs)
    instance = instance_obj.Instance(context=admin(), **values)
    instance.create()
    return instance


def check(schema, resp):
    """The response against tempest's schema for it (status and body)."""
    assert resp.status_int in schema['status_code'], resp.text
    rest_client.RestClient.validate_response(schema, resp, resp.json if resp.body else None)


# -- list and show --------------------------------------------------------------------------

SHOW_SCHEMAS = [('2.1', schema_v21), ('2.3', schema_v23), ('2.9', schema_v29),
                ('2.16', schema_v216), ('2.19', schema_v219), ('2.26', schema_v226),
                ('2.47', schema_v247), ('2.63', schema_v263), ('2.71', schema_v271),
                ('2.73', schema_v273), ('2.89', schema_v289), ('2.96', schema_v296),
                ('2.98', schema_v298), ('2.100', schema_v2100), ('2.104', schema_v2100)]


@pytest.mark.parametrize('version,schema', SHOW_SCHEMAS)
@pytest.mark.parametrize('token', ['admin:admin', ALICE])
def test_show_and_lists_match_tempest(api, flavor, version, schema, token):
    project = 'admin' if token.startswith('admin') else 'p1'
    server = make_server(flavor, project_id=project)
    tag_obj.TagList.create(admin(), server.uuid, ['a', 'b'])
    resp = call(api, '/v2.1/servers/%s' % server.uuid, token=token, version=version)
    check(schema.get_server, resp)
    body = resp.json['server']
    assert body['id'] == server.uuid and body['status'] == 'ACTIVE'
    assert ('OS-EXT-SRV-ATTR:host' in body) == (project == 'admin')
    check(schema.list_servers_detail,
          call(api, '/v2.1/servers/detail', token=token, version=version))
    check(schema.list_servers, call(api, '/v2.1/servers', token=token, version=version))


def test_show_fields_by_microversion(api, flavor):
    server = make_server(flavor, project_id='admin')
    tag_obj.TagList.create(admin(), server.uuid, ['blue'])

    def show(version):
        return call(api, '/v2.1/servers/%s' % server.uuid, version=version).json['server']

    old = show('2.1')
    assert old['flavor'] == {'id': '1', 'links': [
        {'rel': 'bookmark', 'href': 'http://localhost/flavors/1'}]}
    assert old['image']['id'] == server.image_ref and 'properties' not in old['image']
    assert old['OS-EXT-STS:vm_state'] == 'active' and old['progress'] == 0
    assert 'locked' not in old and 'tags' not in old
    assert 'OS-EXT-SRV-ATTR:reservation_id' not in old
    assert 'OS-EXT-SRV-ATTR:reservation_id' in show('2.3')
    assert show('2.9')['locked'] is False
    assert show('2.16')['host_status'] in ('UP', 'UNKNOWN', '')
    assert show('2.26')['tags'] == ['blue']
    new = show('2.47')
    assert new['flavor'] == {'vcpus': 1, 'ram': 512, 'disk': 1, 'ephemeral': 0, 'swap': 0,
                             'original_name': 'm1.tiny',
                             'extra_specs': {'hw:cpu_policy': 'shared'}}
    assert show('2.71')['server_groups'] == []
    assert show('2.73')['locked_reason'] is None
    assert show('2.98')['image']['properties'] == {'os_distro': 'cirros'}
    latest = show('2.100')
    assert latest['pinned_availability_zone'] is None and latest['scheduler_hints'] == {}


def test_users_see_their_project_only(api, flavor):
    mine = make_server(flavor, display_name='mine')
    theirs = make_server(flavor, project_id='p2', display_name='theirs')
    listed = call(api, '/v2.1/servers', token=ALICE).json['servers']
    assert [s['id'] for s in listed] == [mine.uuid]
    resp = call(api, '/v2.1/servers/%s' % theirs.uuid, token=ALICE)
    assert resp.status_int == 404
    assert fault(resp)[0] == 'itemNotFound'
    assert call(api, '/v2.1/servers?all_tenants=1', token=ALICE).status_int == 403
    everyone = call(api, '/v2.1/servers?all_tenants=1').json['servers']
    assert {s['id'] for s in everyone} == {mine.uuid, theirs.uuid}
    only_p2 = call(api, '/v2.1/servers?all_tenants=1&tenant_id=p2').json['servers']
    assert [s['id'] for s in only_p2] == [theirs.uuid]


def test_list_filters(api, flavor):
    web = make_server(flavor, display_name='web-1')
    db = make_server(flavor, display_name='db-1', vm_state='stopped')
    err = make_server(flavor, display_name='broken', vm_state='error')
    building = make_server(flavor, display_name='new', vm_state='building',
                           task_state='scheduling')
    tag_obj.TagList.create(admin(), web.uuid, ['front', 'prod'])
    tag_obj.TagList.create(admin(), db.uuid, ['prod'])

    def ids(query, version='2.1', token=ALICE):
        resp = call(api, '/v2.1/servers?' + query, token=token, version=version)
        assert resp.status_int == 200, resp.text
        return {s['id'] for s in resp.json['servers']}

    assert ids('name=-1$') == {web.uuid, db.uuid}
    assert ids('status=SHUTOFF') == {db.uuid}
    assert ids('status=ERROR&status=BUILD') == {err.uuid, building.uuid}
    assert ids('status=BOGUS') == set()
    assert call(api, '/v2.1/servers?status=BOGUS', token=ALICE,
                version='2.38').status_int == 400
    assert ids('flavor=1') == {web.uuid, db.uuid, err.uuid, building.uuid}
    assert ids('flavor=404') == set()
    assert ids('image=%s' % web.image_ref) == {web.uuid, db.uuid, err.uuid, building.uuid}
    assert ids('tags=prod', '2.26') == {web.uuid, db.uuid}
    assert ids('tags=prod,front', '2.26') == {web.uuid}
    assert ids('tags-any=front,nope', '2.26') == {web.uuid}
    assert ids('not-tags=prod,front', '2.26') == {db.uuid, err.uuid, building.uuid}
    assert ids('not-tags-any=prod', '2.26') == {err.uuid, building.uuid}
    assert ids('tags=prod', '2.25') == {web.uuid, db.uuid, err.uuid, building.uuid}
    # host is an admin filter: ignored for users, applied for admins
    assert ids('host=elsewhere') == {web.uuid, db.uuid, err.uuid, building.uuid}
    assert ids('host=elsewhere&all_tenants=1', token='admin:admin') == set()
    # 2.75 refuses unknown parameters
    assert call(api, '/v2.1/servers?bogus=1', token=ALICE, version='2.75').status_int == 400
    assert ids('bogus=1', '2.74') == {web.uuid, db.uuid, err.uuid, building.uuid}


def test_locked_filter_and_changes_window(api, flavor):
    locked = make_server(flavor, locked=True, locked_by='owner')
    free = make_server(flavor)

    def ids(query, version):
        resp = call(api, '/v2.1/servers?' + query, token=ALICE, version=version)
        assert resp.status_int == 200, resp.text
        return {s['id'] for s in resp.json['servers']}

    assert ids('locked=true', '2.73') == {locked.uuid}
    assert ids('locked=false', '2.73') == {free.uuid}
    future = (timeutils.utcnow() + datetime.timedelta(hours=1)).strftime('%Y-%m-%dT%H:%M:%SZ')
    past = (timeutils.utcnow() - datetime.timedelta(hours=1)).strftime('%Y-%m-%dT%H:%M:%SZ')
    assert ids('changes-since=%s' % future, '2.1') == set()
    assert ids('changes-before=%s' % past, '2.66') == set()
    resp = call(api, '/v2.1/servers?changes-since=%s&changes-before=%s' % (future, past),
                token=ALICE, version='2.66')
    assert resp.status_int == 400


def test_paging_and_sorting(api, flavor):
    made = [make_server(flavor, display_name='vm-%d' % i) for i in range(5)]
    resp = call(api, '/v2.1/servers?limit=2&sort_key=display_name&sort_dir=asc', token=ALICE)
    body = resp.json
    assert [s['name'] for s in body['servers']] == ['vm-0', 'vm-1']
    next_href = body['servers_links'][0]['href']
    assert 'marker=%s' % made[1].uuid in next_href
    page2 = call(api, next_href.replace('http://localhost', ''), token=ALICE).json
    assert [s['name'] for s in page2['servers']] == ['vm-2', 'vm-3']
    resp = call(api, '/v2.1/servers?marker=%s' % UUID0, token=ALICE)
    assert resp.status_int == 400 and 'marker' in fault(resp)[2]
    assert call(api, '/v2.1/servers?sort_key=bogus', token=ALICE).status_int == 400
    # an ignored key is accepted and does nothing
    assert call(api, '/v2.1/servers?sort_key=vcpus', token=ALICE).status_int == 200


def test_error_server_shows_its_fault(api, flavor):
    server = make_server(flavor, vm_state='error')
    fault_obj.InstanceFault(context=admin(), instance_uuid=server.uuid, code=500,
                            message='boom', details='Traceback ...', host='edge1').create()
    body = call(api, '/v2.1/servers/%s' % server.uuid, token=ALICE).json['server']
    assert body['status'] == 'ERROR' and 'progress' not in body
    assert body['fault']['message'] == 'boom' and 'details' not in body['fault']
    detail = call(api, '/v2.1/servers/detail?all_tenants=1').json['servers'][0]
    assert detail['fault']['details'] == 'Traceback ...'


# -- update, delete -----------------------------------------------------------------------

def test_update_by_microversion(api, flavor):
    server = make_server(flavor)
    url = '/v2.1/servers/%s' % server.uuid
    resp = call(api, url, 'PUT', {'server': {'name': 'renamed', 'accessIPv4': '192.0.2.9'}},
                token=ALICE)
    check(schema_v21.update_server, resp)
    assert resp.json['server']['name'] == 'renamed'
    assert resp.json['server']['accessIPv4'] == '192.0.2.9'
    assert 'OS-EXT-STS:vm_state' not in resp.json['server']
    resp = call(api, url, 'PUT', {'server': {'description': 'd'}}, token=ALICE, version='2.1')
    assert resp.status_int == 400
    resp = call(api, url, 'PUT', {'server': {'description': 'd'}}, token=ALICE,
                version='2.19')
    assert resp.json['server']['description'] == 'd'
    resp = call(api, url, 'PUT', {'server': {'hostname': 'new-host'}}, token=ALICE,
                version='2.90')
    check(schema_v275.update_server, resp)
    assert resp.json['server']['OS-EXT-SRV-ATTR:hostname'] == 'new-host'
    assert call(api, url, 'PUT', {'server': {'name': ' pad'}}, token=ALICE).status_int == 400
    assert call(api, url, 'PUT', {'server': {'name': 'x'}}, token=EVE).status_int == 404
    check(schema_v271.update_server, call(api, url, 'PUT', {'server': {}}, token=ALICE,
                                          version='2.71'))


def test_delete_and_force_delete(api, flavor):
    server = make_server(flavor, host=None, node=None)
    url = '/v2.1/servers/%s' % server.uuid
    assert call(api, url, 'DELETE', token=EVE).status_int == 404
    locked = make_server(flavor, host=None, locked=True, locked_by='admin')
    resp = call(api, '/v2.1/servers/%s' % locked.uuid, 'DELETE', token=ALICE)
    assert resp.status_int == 409
    resp = call(api, url, 'DELETE', token=ALICE)
    assert resp.status_int == 204, resp.text
    assert call(api, url, token=ALICE).status_int == 404
    other = make_server(flavor, host=None)
    action = '/v2.1/servers/%s/action' % other.uuid
    assert call(api, action, 'POST', {'forceDelete': None, 'x': 1},
                token=ALICE).status_int == 400
    assert call(api, action, 'POST', {'reboot': {}}, token=ALICE).status_int == 400
    assert call(api, action, 'POST', {'forceDelete': None}, token=ALICE).status_int == 202
    assert call(api, action, 'POST', {'forceDelete': None}, token=ALICE).status_int == 404


# -- metadata -------------------------------------------------------------------------------

def test_metadata(api, flavor):
    server = make_server(flavor)
    url = '/v2.1/servers/%s/metadata' % server.uuid
    assert call(api, url, token=ALICE).json == {'metadata': {'role': 'web'}}
    resp = call(api, url, 'POST', {'metadata': {'tier': 'gold'}}, token=ALICE)
    assert resp.json == {'metadata': {'role': 'web', 'tier': 'gold'}}
    resp = call(api, url, 'PUT', {'metadata': {'only': 'this'}}, token=ALICE)
    assert resp.json == {'metadata': {'only': 'this'}}
    assert call(api, url + '/only', token=ALICE).json == {'meta': {'only': 'this'}}
    assert call(api, url + '/nope', token=ALICE).status_int == 404
    resp = call(api, url + '/k', 'PUT', {'meta': {'k': 'v'}}, token=ALICE)
    assert resp.json == {'meta': {'k': 'v'}}
    resp = call(api, url + '/k', 'PUT', {'meta': {'other': 'v'}}, token=ALICE)
    assert resp.status_int == 400 and 'mismatch' in fault(resp)[2]
    resp = call(api, url + '/k', 'PUT', {'meta': {'k': 'v', 'j': 'w'}}, token=ALICE)
    assert resp.status_int == 400
    assert call(api, url + '/k', 'DELETE', token=ALICE).status_int == 204
    assert call(api, url + '/k', 'DELETE', token=ALICE).status_int == 404
    assert call(api, url, 'POST', {'metadata': {'': 'x'}}, token=ALICE).status_int == 400
    assert call(api, url, 'POST', {'metadata': {'k': 'v' * 256}},
                token=ALICE).status_int == 400
    too_many = {'k%d' % i: 'v' for i in range(129)}
    resp = call(api, url, 'PUT', {'metadata': too_many}, token=ALICE)
    assert resp.status_int == 403
    assert call(api, url, token=ALICE).json == {'metadata': {'only': 'this'}}
    assert call(api, url, token=EVE).status_int == 404
    building = make_server(flavor, vm_state='building', task_state='spawning')
    resp = call(api, '/v2.1/servers/%s/metadata' % building.uuid, 'POST',
                {'metadata': {'a': 'b'}}, token=ALICE)
    assert resp.status_int == 409


# -- tags -----------------------------------------------------------------------------------

def test_tags(api, flavor):
    server = make_server(flavor)
    url = '/v2.1/servers/%s/tags' % server.uuid

    def go(path, method='GET', body=None, version='2.26'):
        return call(api, url + path, method, body, token=ALICE, version=version)

    assert go('', version='2.25').status_int == 404
    check(schema_v226.list_tags, go(''))
    resp = go('/red', 'PUT')
    assert resp.status_int == 201 and resp.headers['Location'].endswith('/tags/red')
    assert go('/red', 'PUT').status_int == 204
    assert go('/red').status_int == 204
    assert go('/blue').status_int == 404
    assert go('/a,b', 'PUT').status_int == 400
    assert go('/' + 'x' * 61, 'PUT').status_int == 400
    resp = go('', 'PUT', {'tags': ['x', 'y']})
    check(schema_v226.update_all_tags, resp)
    assert resp.json == {'tags': ['x', 'y']}
    assert go('', 'PUT', {'tags': ['ok', 'bad/one']}).status_int == 400
    assert go('', 'PUT', {'tags': ['t%d' % i for i in range(51)]}).status_int == 400
    assert go('').json == {'tags': ['x', 'y']}
    assert go('/x', 'DELETE').status_int == 204
    assert go('/x', 'DELETE').status_int == 404
    assert go('', 'DELETE').status_int == 204
    assert go('').json == {'tags': []}
    go('', 'PUT', {'tags': ['t%d' % i for i in range(50)]})
    assert go('/one-more', 'PUT').status_int == 400
    assert call(api, url, token=EVE, version='2.26').status_int == 404
    building = make_server(flavor, vm_state='building')
    resp = call(api, '/v2.1/servers/%s/tags/x' % building.uuid, 'PUT', token=ALICE,
                version='2.26')
    assert resp.status_int == 409


# -- instance actions -----------------------------------------------------------------------

def _record_actions(server, count):
    ids = []
    for i in range(count):
        ctx = nova_context.RequestContext(user_id='alice', project_id='p1',
                                          request_id='req-%d' % i)
        action_obj.InstanceAction.action_start(ctx, server.uuid, 'reboot')
        action_obj.InstanceActionEvent.event_start(ctx, server.uuid, 'compute_reboot',
                                                   host='edge1')
        action_obj.InstanceActionEvent.event_finish_with_failure(
            ctx, server.uuid, 'compute_reboot', exc_val='bad', exc_tb='Traceback (x)')
        ids.append('req-%d' % i)
    return ids


def test_instance_actions(api, flavor):
    server = make_server(flavor)
    ids = _record_actions(server, 3)
    url = '/v2.1/servers/%s/os-instance-actions' % server.uuid
    resp = call(api, url, token=ALICE)
    check(schema_v21.list_instance_actions, resp)
    assert {a['request_id'] for a in resp.json['instanceActions']} == set(ids)
    resp = call(api, url + '?limit=2', token=ALICE, version='2.58')
    check(schema_v258.list_instance_actions, resp)
    assert len(resp.json['instanceActions']) == 2 and resp.json['links']
    assert call(api, url + '?limit=2', token=ALICE, version='2.57').status_int == 200
    assert call(api, url + '?marker=nope', token=ALICE, version='2.58').status_int == 400
    assert call(api, url + '?bogus=1', token=ALICE, version='2.58').status_int == 400
    future = (timeutils.utcnow() + datetime.timedelta(hours=1)).isoformat()
    resp = call(api, url + '?changes-since=%s' % future, token=ALICE, version='2.58')
    assert resp.json['instanceActions'] == []

    resp = call(api, url + '/req-1', token=ALICE, version='2.1')
    check(schema_v21.show_instance_action, resp)
    assert 'events' not in resp.json['instanceAction']
    resp = call(api, url + '/req-1', token=ALICE, version='2.51')
    event = resp.json['instanceAction']['events'][0]
    assert event['result'] == 'Error' and 'traceback' not in event
    resp = call(api, url + '/req-1', token=ALICE, version='2.62')
    check(schema_v262.show_instance_action, resp)
    assert 'host' not in resp.json['instanceAction']['events'][0]
    admin_view = call(api, url + '/req-1', version='2.62').json['instanceAction']['events'][0]
    assert admin_view['host'] == 'edge1' and admin_view['traceback'] == 'Traceback (x)'
    assert call(api, url + '/nope', token=ALICE).status_int == 404
    assert call(api, url, token=EVE).status_int == 404
