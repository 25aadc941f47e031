"""RamFilter, DiskFilter, CoreFilter: room under the node's allocation ratios."""

from nova.scheduler.filters import core_filter
from nova.scheduler.filters import disk_filter
from nova.scheduler.filters import ram_filter
from tests.unit.scheduler import fakes


def test_ram_fits_exactly_and_sets_the_limit():
    host = fakes.host_state(memory_mb=2048, memory_mb_used=1024)
    spec = fakes.request_spec(flavor=fakes.flavor(memory_mb=1024))
    assert ram_filter.RamFilter().host_passes(host, spec)
    assert host.limits['memory_mb'] == 2048


def test_ram_too_little():
    host = fakes.host_state(memory_mb=2048, memory_mb_used=1536)
    spec = fakes.request_spec(flavor=fakes.flavor(memory_mb=1024))
    assert not ram_filter.RamFilter().host_passes(host, spec)


def test_ram_overcommit_ratio():
    host = fakes.host_state(memory_mb=2048, memory_mb_used=2048, ram_allocation_ratio=1.5)
    assert ram_filter.RamFilter().host_passes(
        host, fakes.request_spec(flavor=fakes.flavor(memory_mb=1024)))
    assert not ram_filter.RamFilter().host_passes(
        host, fakes.request_spec(flavor=fakes.flavor(memory_mb=1025)))


def test_missing_ratio_means_no_overcommit():
    host = fakes.host_state(memory_mb=2048, memory_mb_used=2048, ram_allocation_ratio=None)
    assert host.ram_allocation_ratio == 1.0
    assert not ram_filter.RamFilter().host_passes(
        host, fakes.request_spec(flavor=fakes.flavor(memory_mb=1)))


def test_disk_counts_root_and_ephemeral():
    host = fakes.host_state(local_gb=30, local_gb_used=10)
    fits = fakes.request_spec(flavor=fakes.flavor(root_gb=15, ephemeral_gb=5))
    too_big = fakes.request_spec(flavor=fakes.flavor(root_gb=15, ephemeral_gb=6))
    assert disk_filter.DiskFilter().host_passes(host, fits)
    assert host.limits['disk_gb'] == 30
    assert not disk_filter.DiskFilter().host_passes(host, too_big)


def test_disk_ratio():
    host = fakes.host_state(local_gb=10, local_gb_used=10, disk_allocation_ratio=2.0)
    assert disk_filter.DiskFilter().host_passes(
        host, fakes.request_spec(flavor=fakes.flavor(root_gb=10)))


def test_cores_with_ratio():
    host = fakes.host_state(vcpus=2, vcpus_used=7, cpu_allocation_ratio=4.0)
    assert core_filter.CoreFilter().host_passes(
        host, fakes.request_spec(flavor=fakes.flavor(vcpus=1)))
    assert host.limits['vcpu'] == 8
    assert not core_filter.CoreFilter().host_passes(
        host, fakes.request_spec(flavor=fakes.flavor(vcpus=2)))


def test_cores_unknown_total_passes():
    host = fakes.host_state(vcpus=0)
    assert core_filter.CoreFilter().host_passes(host, fakes.request_spec())


def test_filter_all_keeps_order():
    hosts = [fakes.host_state('a', memory_mb=1024), fakes.host_state('b', memory_mb=4096),
             fakes.host_state('c', memory_mb=8192)]
    spec = fakes.request_spec(flavor=fakes.flavor(memory_mb=2048))
    assert [h.host for h in ram_filter.RamFilter().filter_all(hosts, spec)] == ['b', 'c']
