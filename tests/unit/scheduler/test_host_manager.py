"""HostState from records, plugin loading, and the narrowing/filter/weigh pipeline."""

import pytest

from nova import exception
from nova.scheduler import host_manager
from tests.unit.scheduler import fakes


def test_host_state_from_compute_node():
    state = fakes.host_state('h1', memory_mb=4096, memory_mb_used=1024, local_gb=50,
                             local_gb_used=20, vcpus_used=3, running_vms=2,
                             stats={'num_instances': '2'})
    assert (state.host, state.nodename) == ('h1', 'h1')
    assert state.free_ram_mb == 3072 and state.free_disk_mb == 30 * 1024
    assert state.disk_mb_used == 20 * 1024 and state.vcpus_used == 3
    assert state.num_instances == 2 and state.stats == {'num_instances': '2'}
    assert state.cpu_info['arch'] == 'x86_64'
    assert ('x86_64', 'kvm', 'hvm') in state.supported_instances
    assert ('x86_64', 'qemu', 'hvm') in state.supported_instances


def test_consume_from_request():
    state = fakes.host_state(memory_mb=4096, memory_mb_used=0)
    spec = fakes.request_spec(flavor=fakes.flavor(vcpus=2, memory_mb=1024, root_gb=5,
                                                  ephemeral_gb=1))
    state.consume_from_request(spec, 'i1')
    assert state.free_ram_mb == 3072 and state.vcpus_used == 2
    assert state.free_disk_mb == (100 - 6) * 1024 and state.num_instances == 1
    assert state.instances == {'i1'}


def test_supported_instances_needs_arch_and_type():
    assert host_manager.supported_instances('QEMU', {}) == []
    assert host_manager.supported_instances('fake', {'arch': 'aarch64'}) == [
        ('aarch64', 'fake', 'hvm')]


def test_default_plugins_load(conf):
    manager = host_manager.HostManager()
    assert [type(f).__name__ for f in manager.filters][:3] == [
        'AvailabilityZoneFilter', 'ComputeFilter', 'RamFilter']
    assert {type(w).__name__ for w in manager.weighers} == {
        'RAMWeigher', 'CPUWeigher', 'DiskWeigher', 'ServerGroupSoftAffinityWeigher',
        'ServerGroupSoftAntiAffinityWeigher'}


def test_unknown_filter_refused(conf):
    conf.set_override('enabled_filters', ['ComputeFilter', 'NoSuchFilter'],
                      group='filter_scheduler')
    with pytest.raises(exception.SchedulerHostFilterNotFound, match='NoSuchFilter'):
        host_manager.HostManager()


def test_filter_by_class_path_and_unknown_weigher(conf):
    conf.set_override('available_filters',
                      ['nova.scheduler.filters.ram_filter.RamFilter'],
                      group='filter_scheduler')
    conf.set_override('enabled_filters', ['RamFilter'], group='filter_scheduler')
    conf.set_override('weight_classes', ['nova.scheduler.weights.ram.RAMWeigher'],
                      group='filter_scheduler')
    manager = host_manager.HostManager()
    assert [type(f).__name__ for f in manager.filters] == ['RamFilter']
    assert [type(w).__name__ for w in manager.weighers] == ['RAMWeigher']
    conf.set_override('weight_classes', ['nova.scheduler.weights.nope.Nope'],
                      group='filter_scheduler')
    with pytest.raises(exception.SchedulerHostWeigherNotFound):
        host_manager.HostManager()


def _hosts():
    return [fakes.host_state('h1'), fakes.host_state('h2', node='n2a'),
            fakes.host_state('h2', node='n2b'), fakes.host_state('h3', disabled=True),
            fakes.host_state('h4', memory_mb=256)]


def _names(hosts):
    return [(h.host, h.nodename) for h in hosts]


def test_filters_run_in_order(conf):
    filtered = host_manager.HostManager().get_filtered_hosts(_hosts(), fakes.request_spec())
    assert _names(filtered) == [('h1', 'h1'), ('h2', 'n2a'), ('h2', 'n2b')]


def test_ignore_hosts_and_retry(conf):
    spec = fakes.request_spec(ignore_hosts=['H1'],
                              retry={'num_attempts': 2, 'hosts': [['h2', 'n2a']]})
    filtered = host_manager.HostManager().get_filtered_hosts(_hosts(), spec)
    assert _names(filtered) == [('h2', 'n2b')]


def test_forced_hosts_and_nodes_skip_filters(conf):
    manager = host_manager.HostManager()
    spec = fakes.request_spec(force_hosts=['h3'])
    assert _names(manager.get_filtered_hosts(_hosts(), spec)) == [('h3', 'h3')]
    spec = fakes.request_spec(force_hosts=['h2'], force_nodes=['n2b'])
    assert _names(manager.get_filtered_hosts(_hosts(), spec)) == [('h2', 'n2b')]
    spec = fakes.request_spec(force_hosts=['nowhere'])
    assert manager.get_filtered_hosts(_hosts(), spec) == []


def test_requested_destination_still_filters(conf):
    manager = host_manager.HostManager()
    spec = fakes.request_spec(requested_destination={'host': 'h2', 'node': 'n2a'})
    assert _names(manager.get_filtered_hosts(_hosts(), spec)) == [('h2', 'n2a')]
    spec = fakes.request_spec(requested_destination={'host': 'h3'})
    assert manager.get_filtered_hosts(_hosts(), spec) == []


def test_weighed_best_first(conf):
    hosts = [fakes.host_state('small', memory_mb=2048), fakes.host_state('big',
                                                                         memory_mb=16384)]
    weighed = host_manager.HostManager().get_weighed_hosts(hosts, fakes.request_spec())
    assert [w.obj.host for w in weighed] == ['big', 'small']
