"""/os-aggregates through the real WSGI app on real objects and SQLite: CRUD, hosts,
metadata, availability zone rules and how zones show in /os-availability-zone and
/os-services, 2.41 uuids, 2.81 image pre-caching requests, policy."""

import pytest

from tests.functional.api.test_services import make_service
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/os-aggregates'
ALICE = 'alice:p1'


@pytest.fixture
def hosts(api):
    return [make_service(host, 'nova-compute') for host in ('c1', 'c2')]


def _create(api, name, zone=None, version=None):
    body = {'name': name}
    if zone is not None:
        body['availability_zone'] = zone
    resp = call(api, URL, method='POST', body={'aggregate': body}, version=version)
    assert resp.status_int == 200, resp.text
    return resp.json['aggregate']


def _action(api, aggregate_id, action, body, version=None):
    return call(api, '%s/%s/action' % (URL, aggregate_id), method='POST',
                body={action: body}, version=version)


def test_create_show_list_update_delete(api):
    created = _create(api, 'rack1', 'az1')
    assert set(created) == {'availability_zone', 'created_at', 'deleted', 'deleted_at', 'id',
                            'name', 'updated_at'}
    assert (created['name'], created['availability_zone'], created['deleted']) == \
        ('rack1', 'az1', False)
    shown = call(api, '%s/%d' % (URL, created['id'])).json['aggregate']
    assert (shown['hosts'], shown['metadata']) == ([], {'availability_zone': 'az1'})
    assert 'uuid' not in shown
    shown = call(api, '%s/%d' % (URL, created['id']), version='2.41').json['aggregate']
    assert len(shown['uuid']) == 36
    listed = call(api, URL, version='2.41').json['aggregates']
    assert [a['uuid'] for a in listed] == [shown['uuid']]
    resp = call(api, '%s/%d' % (URL, created['id']), method='PUT',
                body={'aggregate': {'name': 'rack-one', 'availability_zone': 'az2'}})
    assert resp.status_int == 200, resp.text
    assert (resp.json['aggregate']['name'], resp.json['aggregate']['availability_zone']) \
        == ('rack-one', 'az2')
    resp = call(api, '%s/%d' % (URL, created['id']), method='DELETE')
    assert resp.status_int == 200
    assert call(api, '%s/%d' % (URL, created['id'])).status_int == 404
    assert call(api, URL).json == {'aggregates': []}


def test_errors(api, hosts):
    first = _create(api, 'a1')
    resp = call(api, URL, method='POST', body={'aggregate': {'name': 'a1'}})
    assert fault(resp) == ('conflictingRequest', 409, 'Aggregate a1 already exists.')
    second = _create(api, 'a2')
    resp = call(api, '%s/%d' % (URL, second['id']), method='PUT',
                body={'aggregate': {'name': 'a1'}})
    assert resp.status_int == 409
    for body in ({'name': ''}, {'name': ' x'}, {'name': 'x', 'availability_zone': 'a:b'},
                 {'name': 'x', 'bogus': 1}, {}):
        assert call(api, URL, method='POST', body={'aggregate': body}).status_int == 400
    assert call(api, '%s/%d' % (URL, first['id']), method='PUT',
                body={'aggregate': {}}).status_int == 400
    assert call(api, URL + '/abc').status_int == 400
    assert call(api, URL + '/999').status_int == 404
    assert call(api, URL + '/999', method='DELETE').status_int == 404
    assert _action(api, 999, 'add_host', {'host': 'c1'}).status_int == 404
    assert _action(api, first['id'], 'add_host', {'host': 'nowhere'}).status_int == 404
    assert _action(api, first['id'], 'bogus', {}).status_int == 400
    assert _action(api, first['id'], 'add_host', {'host': 'c1'}).status_int == 200
    resp = _action(api, first['id'], 'add_host', {'host': 'c1'})
    assert fault(resp) == ('conflictingRequest', 409,
                           'Aggregate %d already has host c1.' % first['id'])
    assert _action(api, first['id'], 'remove_host', {'host': 'c2'}).status_int == 404
    resp = call(api, '%s/%d' % (URL, first['id']), method='DELETE')
    assert fault(resp) == ('badRequest', 400, 'Cannot remove host from aggregate %d. '
                           'Reason: Host aggregate is not empty.' % first['id'])


def test_hosts_and_metadata(api, hosts):
    aggregate = _create(api, 'a1')
    resp = _action(api, aggregate['id'], 'add_host', {'host': 'c1'})
    assert resp.json['aggregate']['hosts'] == ['c1']
    resp = _action(api, aggregate['id'], 'set_metadata',
                   {'metadata': {'ssd': 'true', 'tier': 'gold'}})
    assert resp.status_int == 200
    assert resp.json['aggregate']['metadata'] == {'ssd': 'true', 'tier': 'gold'}
    resp = _action(api, aggregate['id'], 'set_metadata', {'metadata': {'ssd': None}})
    assert resp.json['aggregate']['metadata'] == {'tier': 'gold'}
    assert _action(api, aggregate['id'], 'set_metadata',
                   {'metadata': {'missing': None}}).status_int == 404
    assert _action(api, aggregate['id'], 'set_metadata',
                   {'metadata': {'k': 'v' * 256}}).status_int == 400
    resp = _action(api, aggregate['id'], 'remove_host', {'host': 'c1'})
    assert resp.json['aggregate']['hosts'] == []


def test_a_host_is_in_one_zone_only(api, hosts):
    az1 = _create(api, 'a1', 'az1')
    az2 = _create(api, 'a2', 'az2')
    plain = _create(api, 'a3')
    assert _action(api, az1['id'], 'add_host', {'host': 'c1'}).status_int == 200
    assert _action(api, plain['id'], 'add_host', {'host': 'c1'}).status_int == 200
    resp = _action(api, az2['id'], 'add_host', {'host': 'c1'})
    assert fault(resp) == ('conflictingRequest', 409, 'Cannot add host to aggregate %d. '
                           "Reason: One or more hosts already in availability zone(s) "
                           "['az1']." % az2['id'])
    # Giving the plain aggregate (which holds c1) another zone is refused too.
    resp = call(api, '%s/%d' % (URL, plain['id']), method='PUT',
                body={'aggregate': {'availability_zone': 'az2'}})
    assert resp.status_int == 400
    assert 'already in availability zone(s)' in fault(resp)[2]
    resp = _action(api, plain['id'], 'set_metadata',
                   {'metadata': {'availability_zone': 'az2'}})
    assert fault(resp)[:2] == ('badRequest', 400)
    resp = _action(api, plain['id'], 'set_metadata', {'metadata': {'availability_zone': ''}})
    assert 'does not support empty named availability zone' in fault(resp)[2]
    # The same zone is fine.
    assert _action(api, plain['id'], 'set_metadata',
                   {'metadata': {'availability_zone': 'az1'}}).status_int == 200


def test_zones_show_in_availability_zones_and_services(api, conf, hosts):
    conf.set_override('default_availability_zone', 'nova')
    aggregate = _create(api, 'a1', 'az1')
    _action(api, aggregate['id'], 'add_host', {'host': 'c1'})
    zones = {z['zoneName']: z for z in call(api, '/v2.1/os-availability-zone',
                                            token=ALICE).json['availabilityZoneInfo']}
    assert set(zones) == {'az1', 'nova'}
    detail = {z['zoneName']: z for z in call(api, '/v2.1/os-availability-zone/detail')
              .json['availabilityZoneInfo']}
    assert set(detail['az1']['hosts']) == {'c1'}
    assert set(detail['nova']['hosts']) == {'c2'}
    services = {s['host']: s['zone'] for s in call(api, '/v2.1/os-services').json['services']}
    assert services == {'c1': 'az1', 'c2': 'nova'}


def test_image_cache_request(api, hosts):
    aggregate = _create(api, 'a1')
    url = '%s/%d/images' % (URL, aggregate['id'])
    body = {'cache': [{'id': '00000000-0000-0000-0000-000000000001'}]}
    assert call(api, url, method='POST', body=body, version='2.80').status_int == 404
    resp = call(api, url, method='POST', body=body, version='2.81')
    assert fault(resp) == ('badRequest', 400, 'Image 00000000-0000-0000-0000-000000000001 '
                           'could not be found.')
    assert call(api, url, method='POST', body={'cache': []}, version='2.81').status_int == 400
    resp = call(api, url, method='POST', version='2.81',
                body={'cache': body['cache'] * 2})
    assert fault(resp) == ('badRequest', 400, 'Duplicate images in request')
    assert call(api, URL + '/999/images', method='POST', body=body,
                version='2.81').status_int == 404


def test_admin_only(api):
    assert call(api, URL, token=ALICE).status_int == 403
    assert call(api, URL, method='POST', body={'aggregate': {'name': 'x'}},
                token=ALICE).status_int == 403
