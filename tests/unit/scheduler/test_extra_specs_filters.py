"""extra_specs_ops, ComputeCapabilitiesFilter and AggregateInstanceExtraSpecsFilter."""

import pytest

from nova.scheduler.filters import aggregate_instance_extra_specs as agg_filter
from nova.scheduler.filters import compute_capabilities_filter as caps_filter
from nova.scheduler.filters import extra_specs_ops
from tests.unit.scheduler import fakes


@pytest.mark.parametrize('value, requirement, expected', [
    ('abc', 'abc', True),
    ('abc', 'abd', False),
    ('4', '= 4', True),
    ('5', '= 4', True),
    ('3', '= 4', False),
    ('4', '== 4.0', True),
    ('4', '!= 4', False),
    ('8', '>= 4', True),
    ('2', '<= 4', True),
    ('8', '<= 4', False),
    ('abc', '>= 4', False),  # numeric operator, text value
    ('abc', 's== abc', True),
    ('abc', 's!= abc', False),
    ('abc', 's< abd', True),
    ('abc', 's<= abc', True),
    ('abd', 's> abc', True),
    ('abc', 's>= abd', False),
    ('avx,sse4', '<in> avx', True),
    ('sse4', '<in> avx', False),
    ('avx sse4 aes', '<all-in> avx aes', True),
    ('avx sse4', '<all-in> avx aes', False),
    ('b', '<or> a <or> b <or> c', True),
    ('d', '<or> a <or> b', False),
    (None, '>= 1', False),
    ('1', '>=', False),
])
def test_match(value, requirement, expected):
    assert extra_specs_ops.match(value, requirement) is expected


def _caps_passes(host, **extra_specs):
    spec = fakes.request_spec(flavor=fakes.flavor(extra_specs=extra_specs))
    return caps_filter.ComputeCapabilitiesFilter().host_passes(host, spec)


def test_capabilities_attributes_nested_json_and_stats():
    host = fakes.host_state(stats={'gpu': 'yes', 'num_instances': '3'})
    assert _caps_passes(host)
    assert _caps_passes(host, **{'capabilities:hypervisor_type': 's== QEMU'})
    assert not _caps_passes(host, **{'capabilities:hypervisor_type': 'xen'})
    assert _caps_passes(host, **{'capabilities:cpu_info:arch': 'x86_64'})
    assert _caps_passes(host, **{'capabilities:vcpus_total': '>= 8'})
    assert not _caps_passes(host, **{'capabilities:vcpus_total': '>= 9'})
    assert _caps_passes(host, **{'capabilities:gpu': 'yes'})  # from the stats
    assert not _caps_passes(host, **{'capabilities:missing': 'x'})


def test_capabilities_ignores_other_scopes():
    host = fakes.host_state()
    assert _caps_passes(host, **{'hw:cpu_policy': 'dedicated',
                                 'aggregate_instance_extra_specs:ssd': 'true'})


def _agg_passes(host, **extra_specs):
    spec = fakes.request_spec(flavor=fakes.flavor(extra_specs=extra_specs))
    return agg_filter.AggregateInstanceExtraSpecsFilter().host_passes(host, spec)


def test_aggregate_specs_need_aggregate_metadata():
    # As upstream: a host in no aggregate has none of the keys the flavor asks for.
    assert not _agg_passes(fakes.host_state(),
                           **{'aggregate_instance_extra_specs:ssd': 'true'})
    assert _agg_passes(fakes.host_state(), **{'hw:cpu_policy': 'dedicated'})
    assert _agg_passes(fakes.host_state())


def test_aggregate_specs_against_metadata():
    host = fakes.host_state(aggregates=[{'metadata': {'ssd': 'true', 'tier': 'gold'}},
                                        {'metadata': {'tier': 'silver'}}])
    assert _agg_passes(host, **{'aggregate_instance_extra_specs:ssd': 'true'})
    assert _agg_passes(host, tier='silver')  # unscoped keys count too
    assert _agg_passes(host, **{'capabilities:x': 'y', 'hw:mem_page_size': 'large'})
    assert not _agg_passes(host, **{'aggregate_instance_extra_specs:ssd': 'false'})
    assert not _agg_passes(host, **{'aggregate_instance_extra_specs:gpu': 'true'})
