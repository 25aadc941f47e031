"""Weighers: raw scores normalised to 0..1 per weigher, times the multipliers."""

import pytest

from nova.scheduler import weights
from nova.scheduler.weights import affinity
from nova.scheduler.weights import cpu
from nova.scheduler.weights import disk
from nova.scheduler.weights import ram
from tests.unit.scheduler import fakes


def test_normalize():
    assert weights.normalize([]) == []
    assert weights.normalize([5, 5]) == [0.0, 0.0]
    assert weights.normalize([0, 5, 10]) == [0.0, 0.5, 1.0]
    assert weights.normalize([-3, -1]) == [0.0, 1.0]


def _hosts():
    return [fakes.host_state('small', memory_mb=2048, vcpus=2, local_gb=10),
            fakes.host_state('big', memory_mb=16384, vcpus=16, local_gb=500),
            fakes.host_state('mid', memory_mb=8192, vcpus=8, local_gb=100)]


@pytest.mark.parametrize('weigher, option', [
    (ram.RAMWeigher, 'ram_weight_multiplier'),
    (cpu.CPUWeigher, 'cpu_weight_multiplier'),
    (disk.DiskWeigher, 'disk_weight_multiplier'),
])
def test_resource_weighers_spread_then_stack(conf, weigher, option):
    weighed = weights.weigh([weigher()], _hosts(), fakes.request_spec())
    assert [w.obj.host for w in weighed] == ['big', 'mid', 'small']
    assert weighed[0].weight == 1.0 and weighed[-1].weight == 0.0
    conf.set_override(option, -2.0, group='filter_scheduler')
    weighed = weights.weigh([weigher()], _hosts(), fakes.request_spec())
    assert [w.obj.host for w in weighed] == ['small', 'mid', 'big']
    assert weighed[0].weight == 0.0 and weighed[-1].weight == -2.0


def test_cpu_weigher_uses_the_ratio():
    hosts = [fakes.host_state('a', vcpus=4, cpu_allocation_ratio=1.0),
             fakes.host_state('b', vcpus=2, cpu_allocation_ratio=4.0)]
    assert [w.obj.host for w in weights.weigh([cpu.CPUWeigher()], hosts,
                                              fakes.request_spec())] == ['b', 'a']


def test_weights_sum_over_weighers(conf):
    conf.set_override('ram_weight_multiplier', 1.0, group='filter_scheduler')
    conf.set_override('disk_weight_multiplier', 3.0, group='filter_scheduler')
    hosts = [fakes.host_state('ram-rich', memory_mb=16384, local_gb=10),
             fakes.host_state('disk-rich', memory_mb=2048, local_gb=500)]
    weighed = weights.weigh([ram.RAMWeigher(), disk.DiskWeigher()], hosts,
                            fakes.request_spec())
    assert [(w.obj.host, w.weight) for w in weighed] == [('disk-rich', 3.0),
                                                         ('ram-rich', 1.0)]


def _group(policy, members):
    return {'policy': policy, 'hosts': [], 'members': members}


def test_soft_affinity_prefers_hosts_with_members(conf):
    hosts = [fakes.host_state('h1', instances={'i1'}),
             fakes.host_state('h2', instances={'i2', 'i3'}), fakes.host_state('h3')]
    spec = fakes.request_spec(instance_group=_group('soft-affinity', ['i1', 'i2', 'i3']))
    weighed = weights.weigh([affinity.ServerGroupSoftAffinityWeigher()], hosts, spec)
    assert [w.obj.host for w in weighed] == ['h2', 'h1', 'h3']


def test_soft_anti_affinity_prefers_hosts_without_members(conf):
    hosts = [fakes.host_state('h1', instances={'i1'}),
             fakes.host_state('h2', instances={'i2', 'i3'}), fakes.host_state('h3')]
    spec = fakes.request_spec(instance_group=_group('soft-anti-affinity', ['i1', 'i2', 'i3']))
    weighed = weights.weigh([affinity.ServerGroupSoftAntiAffinityWeigher()], hosts, spec)
    assert [w.obj.host for w in weighed] == ['h3', 'h1', 'h2']
    assert weighed[0].weight == 1.0


def test_soft_weighers_score_zero_for_other_requests():
    hosts = [fakes.host_state('h1', instances={'i1'}), fakes.host_state('h2')]
    for spec in (fakes.request_spec(),
                 fakes.request_spec(instance_group=_group('anti-affinity', ['i1']))):
        weighed = weights.weigh([affinity.ServerGroupSoftAffinityWeigher(),
                                 affinity.ServerGroupSoftAntiAffinityWeigher()], hosts, spec)
        assert [w.weight for w in weighed] == [0.0, 0.0]
