"""SchedulerManager.select_destinations against a real (SQLite) database: filters,
weighers, claims, several instances per request, groups, hints and failures."""

import collections

import oslo_messaging as messaging
import pytest

from nova import context as nova_context
from nova import exception
from nova import objects
from nova.scheduler import manager as scheduler_manager
from nova.scheduler import weights
from tests.unit.scheduler import cloud
from tests.unit.scheduler import fakes


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


@pytest.fixture
def scheduler(conf, ctx):
    manager = scheduler_manager.SchedulerManager(host='sched1')
    endpoint = manager.select_destinations

    def select_destinations(*args, **kwargs):
        # As an RPC caller sees it: expected errors (NoValidHost) arrive as themselves.
        try:
            return endpoint(*args, **kwargs)
        except messaging.ExpectedException as wrapped:
            raise wrapped.exc_info[1] from None

    manager.select_destinations = select_destinations
    return manager


def _hosts_of(ctx, uuids):
    return [objects.Instance.get_by_uuid(ctx, uuid).host for uuid in uuids]


def test_picks_the_roomiest_host_and_claims_it(ctx, scheduler):
    cloud.add_compute(ctx, 'small', memory_mb=2048)
    big = cloud.add_compute(ctx, 'big', memory_mb=8192)
    flavor = fakes.flavor(vcpus=2, memory_mb=1024, root_gb=5, ephemeral_gb=1)
    instance = cloud.add_instance(ctx, flavor)
    spec = fakes.request_spec(flavor=flavor)

    result = scheduler.select_destinations(ctx, spec, [instance.uuid])

    assert len(result) == 1 and len(result[0]) == 1
    chosen = result[0][0]
    assert chosen['service_host'] == 'big' and chosen['nodename'] == 'big'
    assert chosen['compute_node_uuid'] == big.uuid and chosen['claimed'] is True
    assert chosen['limits']['memory_mb'] == 8192
    assert chosen['availability_zone'] == 'nova'  # no aggregate: the default zone
    placed = objects.Instance.get_by_uuid(ctx, instance.uuid)
    assert (placed.host, placed.node, placed.launched_on) == ('big', 'big', 'big')
    node = objects.ComputeNode.get_by_uuid(ctx, big.uuid)
    assert (node.memory_mb_used, node.vcpus_used, node.local_gb_used) == (1024, 2, 6)
    assert node.free_ram_mb == 7168 and node.free_disk_gb == 34 and node.running_vms == 1


def test_several_instances_consume_host_state(ctx, scheduler):
    cloud.add_compute(ctx, 'a', memory_mb=2048)
    cloud.add_compute(ctx, 'b', memory_mb=2048)
    flavor = fakes.flavor(memory_mb=1024)
    uuids = [cloud.add_instance(ctx, flavor).uuid for _ in range(4)]
    result = scheduler.select_destinations(ctx, fakes.request_spec(flavor=flavor,
                                                                   num_instances=4), uuids)
    assert collections.Counter(r[0]['service_host'] for r in result) == {'a': 2, 'b': 2}
    assert collections.Counter(_hosts_of(ctx, uuids)) == {'a': 2, 'b': 2}


def test_without_instance_uuids_nothing_is_claimed(ctx, scheduler):
    node = cloud.add_compute(ctx, 'a')
    result = scheduler.select_destinations(ctx, fakes.request_spec(num_instances=2), None)
    assert [r[0]['service_host'] for r in result] == ['a', 'a']
    assert not any(r[0]['claimed'] for r in result)
    assert objects.ComputeNode.get_by_uuid(ctx, node.uuid).memory_mb_used == 0


def test_no_valid_host_gives_back_earlier_claims(ctx, scheduler):
    node = cloud.add_compute(ctx, 'a', memory_mb=2048)
    flavor = fakes.flavor(memory_mb=1024)
    uuids = [cloud.add_instance(ctx, flavor).uuid for _ in range(3)]
    with pytest.raises(exception.NoValidHost, match='not enough hosts'):
        scheduler.select_destinations(ctx, fakes.request_spec(flavor=flavor), uuids)
    assert _hosts_of(ctx, uuids) == [None, None, None]
    node = objects.ComputeNode.get_by_uuid(ctx, node.uuid)
    assert (node.memory_mb_used, node.running_vms, node.free_ram_mb) == (0, 0, 2048)


def test_stale_view_falls_through_to_the_next_host(ctx, scheduler, monkeypatch):
    cloud.add_compute(ctx, 'best', memory_mb=8192)
    cloud.add_compute(ctx, 'second', memory_mb=4096)
    flavor = fakes.flavor(memory_mb=4096)
    instance = cloud.add_instance(ctx, flavor)
    real_refresh = scheduler.host_manager.refresh

    def refresh_then_race(context, instance_uuids=()):
        states = real_refresh(context, instance_uuids)
        # Another scheduler fills 'best' after we read it.
        rival = cloud.add_instance(ctx, fakes.flavor(memory_mb=8192))
        best = [s for s in states if s.host == 'best'][0]
        assert objects.ComputeNode.claim_for_instance(ctx, best.uuid, rival.uuid, 1, 8192, 0)
        return states

    monkeypatch.setattr(scheduler.host_manager, 'refresh', refresh_then_race)
    result = scheduler.select_destinations(ctx, fakes.request_spec(flavor=flavor),
                                           [instance.uuid])
    assert result[0][0]['service_host'] == 'second'
    assert _hosts_of(ctx, [instance.uuid]) == ['second']


def test_alternates_are_other_passing_hosts(ctx, scheduler, conf):
    conf.set_override('max_attempts', 3, group='scheduler')
    for name, memory in (('a', 8192), ('b', 4096), ('c', 2048), ('d', 1024)):
        cloud.add_compute(ctx, name, memory_mb=memory)
    instance = cloud.add_instance(ctx)
    result = scheduler.select_destinations(ctx, fakes.request_spec(), [instance.uuid],
                                           return_alternates=True)
    assert [s['service_host'] for s in result[0]] == ['a', 'b', 'c']
    assert [s['claimed'] for s in result[0]] == [True, False, False]


def test_forced_host_is_used_even_if_disabled_but_still_claimed(ctx, scheduler):
    cloud.add_compute(ctx, 'a', memory_mb=8192)
    small = cloud.add_compute(ctx, 'small', memory_mb=1024)
    service = objects.Service.get_by_host_and_binary(ctx, 'small', 'nova-compute')
    service.disabled = True
    service.save()
    fits, too_big = fakes.flavor(memory_mb=1024), fakes.flavor(memory_mb=2048)
    instance = cloud.add_instance(ctx, fits)
    result = scheduler.select_destinations(
        ctx, fakes.request_spec(flavor=fits, force_hosts=['small']), [instance.uuid])
    assert result[0][0]['compute_node_uuid'] == small.uuid
    other = cloud.add_instance(ctx, too_big)
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(
            ctx, fakes.request_spec(flavor=too_big, force_hosts=['small']), [other.uuid])


def test_retry_skips_tried_hosts(ctx, scheduler):
    cloud.add_compute(ctx, 'a', memory_mb=8192)
    cloud.add_compute(ctx, 'b', memory_mb=4096)
    instance = cloud.add_instance(ctx)
    spec = fakes.request_spec(retry={'num_attempts': 2, 'hosts': [['a', 'a']]})
    assert scheduler.select_destinations(ctx, spec, [instance.uuid])[0][0][
        'service_host'] == 'b'


def test_anti_affinity_group_spreads_a_multi_create(ctx, scheduler):
    for name in ('a', 'b', 'c'):
        cloud.add_compute(ctx, name)
    uuids = [cloud.add_instance(ctx).uuid for _ in range(3)]
    group = {'uuid': 'g', 'policy': 'anti-affinity', 'members': uuids, 'hosts': []}
    scheduler.select_destinations(ctx, fakes.request_spec(instance_group=group), uuids)
    assert sorted(_hosts_of(ctx, uuids)) == ['a', 'b', 'c']
    one_more = cloud.add_instance(ctx)
    group['members'] = uuids + [one_more.uuid]
    with pytest.raises(exception.NoValidHost):
        scheduler.select_destinations(ctx, fakes.request_spec(instance_group=group),
                                      [one_more.uuid])


def test_affinity_group_follows_its_members(ctx, scheduler):
    for name in ('a', 'b', 'c'):
        cloud.add_compute(ctx, name, memory_mb=4096 if name != 'b' else 2048)
    first = cloud.add_instance(ctx, host='b', node='b', vm_state='active')
    new = [cloud.add_instance(ctx).uuid for _ in range(2)]
    # The caller does not know the group's hosts: the scheduler finds them from members.
    group = {'uuid': 'g', 'policy': 'affinity', 'members': [first.uuid] + new}
    scheduler.select_destinations(ctx, fakes.request_spec(instance_group=group), new)
    assert _hosts_of(ctx, new) == ['b', 'b']


def test_soft_affinity_packs_a_multi_create(ctx, scheduler, conf):
    # Stronger than the three spreading weighers together.
    conf.set_override('soft_affinity_weight_multiplier', 10.0, group='filter_scheduler')
    for name in ('a', 'b', 'c'):
        cloud.add_compute(ctx, name)
    uuids = [cloud.add_instance(ctx).uuid for _ in range(3)]
    group = {'uuid': 'g', 'policy': 'soft-affinity', 'members': uuids}
    scheduler.select_destinations(ctx, fakes.request_spec(instance_group=group), uuids)
    assert len(set(_hosts_of(ctx, uuids))) == 1


def test_same_and_different_host_hints(ctx, conf):
    conf.set_override('enabled_filters', ['ComputeFilter', 'SameHostFilter',
                                          'DifferentHostFilter'], group='filter_scheduler')
    scheduler = scheduler_manager.SchedulerManager(host='sched1')
    for name in ('a', 'b', 'c'):
        cloud.add_compute(ctx, name)
    on_b = cloud.add_instance(ctx, host='b', node='b', vm_state='active')
    instance = cloud.add_instance(ctx)
    spec = fakes.request_spec(scheduler_hints={'same_host': [on_b.uuid]})
    scheduler.select_destinations(ctx, spec, [instance.uuid])
    assert _hosts_of(ctx, [instance.uuid]) == ['b']
    others = [cloud.add_instance(ctx).uuid for _ in range(4)]
    spec = fakes.request_spec(scheduler_hints={'different_host': [on_b.uuid]})
    scheduler.select_destinations(ctx, spec, others)
    assert 'b' not in _hosts_of(ctx, others)


def test_host_subset_spreads_choices(ctx, scheduler, conf, monkeypatch):
    conf.set_override('host_subset_size', 2, group='filter_scheduler')
    weighed = [weights.WeighedHost(fakes.host_state(name), weight)
               for name, weight in (('a', 3.0), ('b', 2.0), ('c', 1.0))]
    firsts = collections.Counter(
        scheduler._try_order(weighed)[0].obj.host for _ in range(200))
    assert set(firsts) == {'a', 'b'}
    order = scheduler._try_order(weighed)
    assert sorted(w.obj.host for w in order) == ['a', 'b', 'c']
    assert order[-1].obj.host == 'c'


def test_host_subset_of_one_is_deterministic(scheduler, conf):
    weighed = [weights.WeighedHost(fakes.host_state(name), weight)
               for name, weight in (('a', 3.0), ('b', 3.0), ('c', 1.0))]
    assert {scheduler._try_order(weighed)[0].obj.host for _ in range(50)} == {'a'}
    conf.set_override('shuffle_best_same_weighed_hosts', True, group='filter_scheduler')
    assert {scheduler._try_order(weighed)[0].obj.host for _ in range(200)} == {'a', 'b'}


def test_spec_of_the_caller_is_not_changed(ctx, scheduler):
    cloud.add_compute(ctx, 'a')
    uuid = cloud.add_instance(ctx).uuid
    group = {'uuid': 'g', 'policy': 'soft-affinity', 'members': [], 'hosts': []}
    spec = fakes.request_spec(instance_group=group)
    scheduler.select_destinations(ctx, spec, [uuid])
    assert spec.instance_group == group
