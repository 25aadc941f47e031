"""/os-availability-zone through the real WSGI app, on real objects and SQLite."""

import pytest

from tests.functional.api.test_services import make_service
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/os-availability-zone'
ALICE = 'alice:p1'


def zones(resp):
    assert resp.status_int == 200, resp.text
    assert set(resp.json) == {'availabilityZoneInfo'}
    return {z['zoneName']: z for z in resp.json['availabilityZoneInfo']}


@pytest.fixture
def services(api):
    return {
        'compute1': make_service('compute1', 'nova-compute'),
        'compute2': make_service('compute2', 'nova-compute', up=False),
        'scheduler': make_service('control1', 'nova-scheduler'),
        'conductor': make_service('control1', 'nova-conductor', disabled=True),
        'api': make_service('control1', 'nova-osapi_compute'),
    }


def test_no_services_no_zones(api):
    assert zones(call(api, URL, token=ALICE)) == {}
    assert zones(call(api, URL + '/detail')) == {}


def test_index_lists_zones_users_can_use(api, services):
    assert zones(call(api, URL, token=ALICE)) == {
        'nova': {'zoneName': 'nova', 'zoneState': {'available': True}, 'hosts': None}}


def test_zone_with_only_disabled_services_is_not_available(api, conf):
    conf.set_override('default_availability_zone', 'edge')
    make_service('compute3', 'nova-compute', disabled=True)
    assert zones(call(api, URL, token=ALICE)) == {
        'edge': {'zoneName': 'edge', 'zoneState': {'available': False}, 'hosts': None}}
    make_service('compute4', 'nova-compute')
    assert zones(call(api, URL, token=ALICE))['edge']['zoneState'] == {'available': True}


def test_detail_shows_hosts_and_services(api, services):
    listed = zones(call(api, URL + '/detail'))
    assert set(listed) == {'nova', 'internal'}
    assert listed['nova']['zoneState'] == {'available': True}
    hosts = listed['nova']['hosts']
    assert set(hosts) == {'compute1', 'compute2'}
    for host in hosts.values():
        for service in host.values():
            assert set(service) == {'available', 'active', 'updated_at'}
            assert service['updated_at'] is None or isinstance(service['updated_at'], str)
    assert (hosts['compute1']['nova-compute']['available'],
            hosts['compute1']['nova-compute']['active']) == (True, True)
    assert hosts['compute2']['nova-compute']['available'] is False
    # The disabled conductor and the API service are left out.
    assert list(listed['internal']['hosts']) == ['control1']
    assert list(listed['internal']['hosts']['control1']) == ['nova-scheduler']


def test_detail_lists_unavailable_zones_without_hosts(api):
    make_service('compute1', 'nova-compute', disabled=True)
    make_service('control1', 'nova-scheduler')
    listed = zones(call(api, URL + '/detail'))
    assert listed['nova'] == {'zoneName': 'nova', 'zoneState': {'available': False},
                              'hosts': None}
    assert listed['internal']['zoneState'] == {'available': True}
    assert zones(call(api, URL, token=ALICE)) == {'nova': listed['nova']}


def test_detail_is_admin_only(api, services):
    assert fault(call(api, URL + '/detail', token=ALICE)) == (
        'forbidden', 403, "Policy doesn't allow os_compute_api:os-availability-zone:detail "
        "to be performed.")


def test_unknown_query_parameters(api, services):
    assert zones(call(api, URL + '?colour=red', version='2.74', token=ALICE))
    for path in (URL, URL + '/detail'):
        resp = call(api, path + '?colour=red', version='2.75')
        assert resp.status_int == 400 and "'colour' was unexpected" in fault(resp)[2]
