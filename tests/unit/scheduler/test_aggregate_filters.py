"""Filters that read host aggregates: availability zones, multi-tenancy isolation, and
the host manager building host states with their aggregates."""


from nova import objects
from nova.scheduler import host_manager
from nova.scheduler.filters import aggregate_multitenancy_isolation as tenancy
from nova.scheduler.filters import availability_zone_filter
from tests.unit.scheduler import fakes


def _aggregate(hosts, **metadata):
    return objects.Aggregate(id=1, uuid='00000000-0000-0000-0000-000000000001', name='a',
                             hosts=list(hosts), metadata=metadata)


def test_availability_zone_from_aggregates(conf):
    conf.set_override('default_availability_zone', 'nova')
    check = availability_zone_filter.AvailabilityZoneFilter().host_passes
    in_az1 = fakes.host_state('h1', aggregates=[_aggregate(['h1'], availability_zone='az1')])
    plain = fakes.host_state('h2', aggregates=[_aggregate(['h2'], ssd='true')])
    assert (in_az1.availability_zone, plain.availability_zone) == ('az1', 'nova')
    spec = fakes.request_spec(availability_zone='az1')
    assert check(in_az1, spec) and not check(plain, spec)
    spec = fakes.request_spec(availability_zone='nova')
    assert check(plain, spec) and not check(in_az1, spec)
    assert check(in_az1, fakes.request_spec()) and check(plain, fakes.request_spec())


def test_multitenancy_isolation():
    check = tenancy.AggregateMultiTenancyIsolation().host_passes
    isolated = fakes.host_state('h1', aggregates=[
        _aggregate(['h1'], filter_tenant_id='p1,p2'),
        _aggregate(['h1'], filter_tenant_id_2='p3')])
    assert check(isolated, fakes.request_spec(project_id='p1'))
    assert check(isolated, fakes.request_spec(project_id='p3'))
    assert not check(isolated, fakes.request_spec(project_id='p4'))
    open_host = fakes.host_state('h2', aggregates=[_aggregate(['h2'], ssd='true')])
    assert check(open_host, fakes.request_spec(project_id='p4'))
    assert check(fakes.host_state('h3'), fakes.request_spec(project_id='p4'))


def test_host_manager_gives_each_host_its_aggregates():
    aggregates = objects.AggregateList(objects=[
        _aggregate(['h1', 'h2'], availability_zone='az1'), _aggregate(['h2'], ssd='true')])
    by_host = host_manager.HostManager._aggregates_by_host(aggregates)
    assert [len(by_host['h1']), len(by_host['h2'])] == [1, 2]
    state = fakes.host_state('h2', aggregates=by_host['h2'])
    assert state.aggregate_metadata == {'availability_zone': {'az1'}, 'ssd': {'true'}}
