"""Host aggregates in the whole system (nova-all in this process): availability zones from
aggregate metadata steer scheduling and show on servers; image pre-cache requests reach the
hosts' fake drivers."""

import time

import pytest

from nova import context
from nova import exception
from nova import objects
from nova.compute import aggregates
from nova.compute import api as compute_api
from tests.functional.test_boot import _flavor
from tests.functional.test_boot import _user
from tests.functional.test_boot import _wait


@pytest.fixture
def two_zones(nova, conf):
    conf.set_override('default_availability_zone', 'nova')
    nova.add_compute('edge2')
    admin = context.get_admin_context()
    deadline = time.monotonic() + 20
    while len(objects.ComputeNodeList.get_all(admin)) < 2:
        assert time.monotonic() < deadline, 'edge2 never reported its node'
        time.sleep(0.1)
    api = aggregates.AggregateAPI()
    zone = api.create_aggregate(admin, 'rack2', 'az2')
    api.add_host_to_aggregate(admin, zone.id, 'edge2')
    return nova


def _boot(zone, count=1):
    instances, _rid = compute_api.API().create(
        _user(), _flavor(name='f-%s-%d' % (zone, count)), None, name='vm',
        availability_zone=zone, min_count=count, max_count=count)
    return _wait(instances)


def test_boot_into_an_aggregate_zone(two_zones):
    instances = _boot('az2', count=2)
    assert {(i.vm_state, i.host, i.availability_zone) for i in instances} == \
        {('active', 'edge2', 'az2')}
    instance, = _boot('nova')
    assert (instance.host, instance.availability_zone) == ('edge1', 'nova')
    # Without a zone the server still shows its host's zone.
    instance, = _boot(None)
    assert instance.availability_zone == \
        aggregates.availability_zone_of_host(context.get_admin_context(), instance.host)
    _s, _h, body = two_zones.request('GET', '/v2.1/servers/%s' % instance.uuid)
    assert body['server']['OS-EXT-AZ:availability_zone'] == instance.availability_zone
    # A zone no compute host is in is refused up front (400 at the API).
    with pytest.raises(exception.AvailabilityZoneNotAvailable):
        _boot('az9')


def test_image_cache_reaches_the_aggregate_hosts(two_zones):
    status, _h, image = two_zones.request('POST', '/image/v2/images', {
        'name': 'cirros', 'disk_format': 'qcow2', 'container_format': 'bare'})
    assert status == 201, image
    _s, _h, listed = two_zones.request('GET', '/v2.1/os-aggregates')
    rack = listed['aggregates'][0]
    status, _h, body = two_zones.request(
        'POST', '/v2.1/os-aggregates/%d/images' % rack['id'],
        {'cache': [{'id': image['id']}]}, version='2.81')
    assert status == 202, body
    drivers = {s.host: s.manager.driver for s in two_zones.services
               if getattr(s, 'binary', None) == 'nova-compute'}
    deadline = time.monotonic() + 10
    while drivers['edge2'].cached_images != [image['id']]:
        assert time.monotonic() < deadline, 'edge2 never cached the image'
        time.sleep(0.1)
    assert drivers['edge1'].cached_images == []


def test_host_zone_conflict_in_process(two_zones):
    admin = context.get_admin_context()
    api = aggregates.AggregateAPI()
    other = api.create_aggregate(admin, 'rack9', 'az9')
    with pytest.raises(exception.InvalidAggregateActionAdd):
        api.add_host_to_aggregate(admin, other.id, 'edge2')
