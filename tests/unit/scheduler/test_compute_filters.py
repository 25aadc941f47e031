"""ComputeFilter, AvailabilityZoneFilter and RetryFilter."""

from nova.scheduler.filters import availability_zone_filter
from nova.scheduler.filters import compute_filter
from nova.scheduler.filters import retry_filter
from tests.unit.scheduler import fakes


def test_compute_filter_wants_up_and_enabled(conf):
    spec = fakes.request_spec()
    check = compute_filter.ComputeFilter().host_passes
    assert check(fakes.host_state(), spec)
    assert not check(fakes.host_state(disabled=True), spec)
    assert not check(fakes.host_state(up=False), spec)


def test_compute_filter_without_service_record():
    host = fakes.host_state()
    host.service = None
    assert not compute_filter.ComputeFilter().host_passes(host, fakes.request_spec())


def test_availability_zone_default_and_aggregate(conf):
    check = availability_zone_filter.AvailabilityZoneFilter().host_passes
    plain = fakes.host_state()
    zoned = fakes.host_state(aggregates=[{'metadata': {'availability_zone': 'az2'}}])
    assert check(plain, fakes.request_spec())  # no zone asked: anywhere
    assert check(plain, fakes.request_spec(availability_zone='nova'))
    assert not check(plain, fakes.request_spec(availability_zone='az2'))
    assert check(zoned, fakes.request_spec(availability_zone='az2'))
    conf.set_override('default_availability_zone', 'edge')
    assert check(plain, fakes.request_spec(availability_zone='edge'))


def test_retry_filter_skips_tried_nodes():
    spec = fakes.request_spec(retry={'num_attempts': 2, 'hosts': [['host1', 'host1']]})
    check = retry_filter.RetryFilter().host_passes
    assert not check(fakes.host_state('host1'), spec)
    assert check(fakes.host_state('host1', node='other'), spec)
    assert check(fakes.host_state('host2'), spec)
