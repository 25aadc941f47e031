"""Server group (anti-)affinity filters and the same_host/different_host hints."""

from nova.scheduler.filters import different_host
from nova.scheduler.filters import same_host
from nova.scheduler.filters import server_group_affinity
from nova.scheduler.filters import server_group_anti_affinity
from tests.unit.scheduler import fakes


def _group(policy, hosts=(), members=(), rules=None):
    return {'uuid': 'g1', 'policy': policy, 'hosts': list(hosts), 'members': list(members),
            'rules': rules or {}}


def test_affinity_first_member_anywhere_then_same_host():
    check = server_group_affinity.ServerGroupAffinityFilter().host_passes
    assert check(fakes.host_state('h1'), fakes.request_spec(instance_group=_group('affinity')))
    spec = fakes.request_spec(instance_group=_group('affinity', hosts=['h2']))
    assert not check(fakes.host_state('h1'), spec)
    assert check(fakes.host_state('h2'), spec)


def test_affinity_ignores_other_policies_and_no_group():
    check = server_group_affinity.ServerGroupAffinityFilter().host_passes
    assert check(fakes.host_state('h1'), fakes.request_spec())
    spec = fakes.request_spec(instance_group=_group('anti-affinity', hosts=['h2']))
    assert check(fakes.host_state('h1'), spec)


def test_anti_affinity_by_hosts_and_members():
    check = server_group_anti_affinity.ServerGroupAntiAffinityFilter().host_passes
    spec = fakes.request_spec(instance_group=_group('anti-affinity', hosts=['h1'],
                                                    members=['i1', 'i2']))
    assert not check(fakes.host_state('h1'), spec)
    assert check(fakes.host_state('h2'), spec)
    assert not check(fakes.host_state('h3', instances={'i2'}), spec)


def test_anti_affinity_legacy_policies_list():
    check = server_group_anti_affinity.ServerGroupAntiAffinityFilter().host_passes
    spec = fakes.request_spec(instance_group={'policies': ['anti-affinity'],
                                              'hosts': ['h1'], 'members': []})
    assert not check(fakes.host_state('h1'), spec)


def test_anti_affinity_max_server_per_host():
    check = server_group_anti_affinity.ServerGroupAntiAffinityFilter().host_passes
    spec = fakes.request_spec(instance_group=_group(
        'anti-affinity', hosts=['h1'], members=['i1', 'i2'], rules={'max_server_per_host': 2}))
    assert check(fakes.host_state('h1', instances={'i1'}), spec)
    assert not check(fakes.host_state('h1', instances={'i1', 'i2'}), spec)


def test_same_host_hint():
    check = same_host.SameHostFilter().host_passes
    spec = fakes.request_spec(scheduler_hints={'same_host': ['i1', 'i9']})
    assert check(fakes.host_state('h1', instances={'i1'}), spec)
    assert not check(fakes.host_state('h2', instances={'i2'}), spec)
    assert check(fakes.host_state('h2'), fakes.request_spec())


def test_different_host_hint():
    check = different_host.DifferentHostFilter().host_passes
    spec = fakes.request_spec(scheduler_hints={'different_host': ['i1']})
    assert not check(fakes.host_state('h1', instances={'i1'}), spec)
    assert check(fakes.host_state('h2', instances={'i2'}), spec)
    assert check(fakes.host_state('h1', instances={'i1'}), fakes.request_spec())
