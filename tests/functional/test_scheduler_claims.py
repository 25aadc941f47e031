"""Scheduler claims on real databases (SQLite, PostgreSQL, MariaDB): concurrent claims
never overcommit a node and never get lost, unclaims give resources back, the compute
host's resource tracker agrees with the claims, and select_destinations works over the
in-process bus."""

import random
import threading

import oslo_messaging as messaging
import pytest

from nova import context as nova_context
from nova import exception
from nova import objects
from nova import rpc
from nova.compute import resource_tracker
from nova.scheduler import manager as scheduler_manager
from nova.scheduler import rpcapi as scheduler_rpcapi
from tests.unit.scheduler import cloud
from tests.unit.scheduler import fakes

RESERVED_MB = 512
FLAVOR = fakes.flavor(vcpus=1, memory_mb=1024, root_gb=1, ephemeral_gb=0)
# Room for 2 + 3 + 1 instances of FLAVOR.
ROOM = {'h1': 2, 'h2': 3, 'h3': 1}


class _Driver:
    """Just enough of a virt driver for the resource tracker: one node per host."""

    def __init__(self, host, memory_mb):
        self.host, self.memory_mb = host, memory_mb

    def get_available_nodes(self, refresh=False):
        return [self.host]

    def get_available_resource(self, nodename):
        return {'vcpus': 64, 'memory_mb': self.memory_mb, 'local_gb': 100,
                'hypervisor_type': 'fake', 'hypervisor_version': 1000,
                'hypervisor_hostname': nodename, 'cpu_info': '{"arch": "x86_64"}',
                'disk_available_least': 100, 'host_ip': None}


class _Cloud:
    """Three compute hosts reported by their resource trackers, as nova-compute would."""

    def __init__(self, conf):
        conf.set_override('reserved_host_memory_mb', RESERVED_MB)
        ctx = nova_context.get_admin_context()
        self.trackers = {}
        self.nodes = {}
        for host, slots in ROOM.items():
            service = objects.Service(context=ctx, host=host, binary='nova-compute',
                                      topic='compute')
            service.create()
            tracker = resource_tracker.ResourceTracker(
                host, _Driver(host, RESERVED_MB + slots * FLAVOR.memory_mb))
            tracker.update_available_resource(ctx, service.id)
            self.trackers[host] = (tracker, service.id)
            self.nodes[host] = tracker.compute_nodes[host]

    def run_trackers(self, ctx):
        for tracker, service_id in self.trackers.values():
            tracker.update_available_resource(ctx, service_id)

    def usage(self, ctx):
        return {host: _usage(objects.ComputeNode.get_by_uuid(ctx, node.uuid))
                for host, node in self.nodes.items()}


def _usage(node):
    return (node.memory_mb_used, node.vcpus_used, node.local_gb_used, node.free_ram_mb,
            node.free_disk_gb, node.running_vms)


def _check_consistent(ctx, world):
    """Every node: within capacity, and usage == reserved + what the instances on it
    hold (the invariant the claims and the tracker share)."""
    placed_total = 0
    for host, node in world.nodes.items():
        node = objects.ComputeNode.get_by_uuid(ctx, node.uuid)
        on_node = [i for i in objects.InstanceList.get_by_host_and_node(ctx, host, host)]
        placed_total += len(on_node)
        assert len(on_node) <= ROOM[host]
        assert node.memory_mb_used <= node.memory_mb * node.ram_allocation_ratio
        assert node.memory_mb_used == RESERVED_MB + sum(i.memory_mb for i in on_node)
        assert node.vcpus_used == sum(i.vcpus for i in on_node)
        assert node.local_gb_used == sum(i.root_gb + i.ephemeral_gb for i in on_node)
        assert node.free_ram_mb == node.memory_mb - node.memory_mb_used
        assert node.free_disk_gb == node.local_gb - node.local_gb_used
        assert node.running_vms == len(on_node)
    return placed_total


def _claim_somewhere(world, instance_uuid, results, start):
    ctx = nova_context.get_admin_context()
    start.wait()
    hosts = list(world.nodes)
    random.shuffle(hosts)
    for host in hosts:
        if objects.ComputeNode.claim_for_instance(
                ctx, world.nodes[host].uuid, instance_uuid, FLAVOR.vcpus, FLAVOR.memory_mb,
                FLAVOR.root_gb + FLAVOR.ephemeral_gb):
            results[instance_uuid] = host
            return
    results[instance_uuid] = None


def _run_claimers(world, uuids):
    results = {}
    start = threading.Barrier(len(uuids))
    threads = [threading.Thread(target=_claim_somewhere, args=(world, uuid, results, start))
               for uuid in uuids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


@pytest.fixture
def world(any_database, conf):
    return _Cloud(conf)


def test_twenty_concurrent_claims_fill_exactly_the_room(world):
    ctx = nova_context.get_admin_context()
    uuids = [cloud.add_instance(ctx, FLAVOR).uuid for _ in range(20)]
    results = _run_claimers(world, uuids)

    assert len(results) == 20  # every claimer got an answer
    winners = {uuid: host for uuid, host in results.items() if host}
    assert len(winners) == sum(ROOM.values())
    for uuid, host in results.items():
        instance = objects.Instance.get_by_uuid(ctx, uuid)
        assert (instance.host, instance.node) == ((host, host) if host else (None, None))
        assert instance.launched_on == host
    assert _check_consistent(ctx, world) == sum(ROOM.values())

    before = world.usage(ctx)
    world.run_trackers(ctx)  # the compute hosts' periodic update agrees
    assert world.usage(ctx) == before


def test_tracker_updates_racing_claims_lose_nothing(world):
    ctx = nova_context.get_admin_context()
    uuids = [cloud.add_instance(ctx, FLAVOR).uuid for _ in range(20)]
    stop = threading.Event()

    def trackers():
        tracker_ctx = nova_context.get_admin_context()
        while not stop.is_set():
            world.run_trackers(tracker_ctx)

    tracker_thread = threading.Thread(target=trackers)
    tracker_thread.start()
    try:
        results = _run_claimers(world, uuids)
    finally:
        stop.set()
        tracker_thread.join(timeout=60)
    # Checked before any further tracker run: a claim undone by a racing tracker update
    # would show as usage below what the placed instances hold.
    assert sum(1 for host in results.values() if host) == sum(ROOM.values())
    assert _check_consistent(ctx, world) == sum(ROOM.values())


def test_unclaim_gives_resources_back(world):
    ctx = nova_context.get_admin_context()
    node = world.nodes['h2']
    before = world.usage(ctx)['h2']
    instance = cloud.add_instance(ctx, FLAVOR)
    sizes = (FLAVOR.vcpus, FLAVOR.memory_mb, FLAVOR.root_gb)
    assert objects.ComputeNode.claim_for_instance(ctx, node.uuid, instance.uuid, *sizes)
    assert world.usage(ctx)['h2'] != before

    # Not on that node: nothing happens.
    assert not objects.ComputeNode.unclaim_for_instance(ctx, world.nodes['h1'].uuid,
                                                        instance.uuid, *sizes)
    assert objects.ComputeNode.unclaim_for_instance(ctx, node.uuid, instance.uuid, *sizes)
    assert world.usage(ctx)['h2'] == before
    again = objects.Instance.get_by_uuid(ctx, instance.uuid)
    assert (again.host, again.node, again.launched_on) == (None, None, None)
    assert not objects.ComputeNode.unclaim_for_instance(ctx, node.uuid, instance.uuid,
                                                        *sizes)
    # The freed room can be claimed again (a reschedule).
    assert objects.ComputeNode.claim_for_instance(ctx, node.uuid, instance.uuid, *sizes)
    world.run_trackers(ctx)
    assert _check_consistent(ctx, world) == 1


def test_claim_refusals_change_nothing(world):
    ctx = nova_context.get_admin_context()
    node = world.nodes['h1']
    before = world.usage(ctx)
    instance = cloud.add_instance(ctx, FLAVOR)
    too_big = cloud.add_instance(ctx, fakes.flavor(memory_mb=4096))
    assert not objects.ComputeNode.claim_for_instance(ctx, node.uuid, too_big.uuid, 1, 4096,
                                                      1)
    with pytest.raises(exception.InvalidInput):
        objects.ComputeNode.claim_for_instance(ctx, node.uuid, instance.uuid, 1, -5, 1)
    with pytest.raises(exception.InstanceNotFound):
        objects.ComputeNode.claim_for_instance(ctx, node.uuid, fakes.request_spec()
                                               .instance_uuid, 1, 1024, 1)
    with pytest.raises(exception.ComputeHostNotFound):
        objects.ComputeNode.claim_for_instance(ctx, fakes.request_spec().instance_uuid,
                                               instance.uuid, 1, 1024, 1)
    assert world.usage(ctx) == before
    assert objects.ComputeNode.claim_for_instance(ctx, node.uuid, instance.uuid, 1, 1024, 1)
    with pytest.raises(exception.ObjectActionError, match='already on host'):
        objects.ComputeNode.claim_for_instance(ctx, world.nodes['h2'].uuid, instance.uuid,
                                               1, 1024, 1)
    assert world.usage(ctx)['h2'] == before['h2']


def test_tracker_ignores_deleted_and_offloaded_instances_but_counts_building(world):
    ctx = nova_context.get_admin_context()
    node = world.nodes['h2']
    uuids = [cloud.add_instance(ctx, FLAVOR).uuid for _ in range(3)]
    for uuid in uuids:
        assert objects.ComputeNode.claim_for_instance(ctx, node.uuid, uuid, 1, 1024, 1)
    world.run_trackers(ctx)
    assert world.usage(ctx)['h2'][0] == RESERVED_MB + 3 * 1024  # building ones count
    offloaded = objects.Instance.get_by_uuid(ctx, uuids[0])
    offloaded.vm_state = 'shelved_offloaded'
    offloaded.save()
    objects.Instance.get_by_uuid(ctx, uuids[1]).destroy()
    world.run_trackers(ctx)
    assert world.usage(ctx)['h2'][0] == RESERVED_MB + 1024
    assert world.usage(ctx)['h2'][5] == 1


# -- select_destinations over the in-process bus ---------------------------------------------

@pytest.fixture
def scheduler_on_bus(database, conf):
    conf.set_override('transport_url', rpc.IN_PROCESS_TRANSPORT_URL)
    rpc.init(conf)
    world = _Cloud(conf)
    server = rpc.get_server(messaging.Target(topic=scheduler_rpcapi.TOPIC, server='sched1'),
                            [scheduler_manager.SchedulerManager(host='sched1')])
    server.start()
    yield world
    server.stop()
    server.wait()
    rpc.cleanup()


def test_select_destinations_over_the_bus(scheduler_on_bus):
    world = scheduler_on_bus
    ctx = nova_context.get_admin_context()
    api = scheduler_rpcapi.SchedulerAPI()
    uuids = [cloud.add_instance(ctx, FLAVOR).uuid for _ in range(3)]
    spec = fakes.request_spec(flavor=FLAVOR, num_instances=3)

    result = api.select_destinations(ctx, spec, uuids, return_alternates=True)

    assert len(result) == 3
    chosen = [entry[0] for entry in result]
    assert all(c['claimed'] for c in chosen)
    assert {c['compute_node_uuid'] for c in chosen} <= {n.uuid for n in world.nodes.values()}
    assert [objects.Instance.get_by_uuid(ctx, u).host for u in uuids] == [
        c['service_host'] for c in chosen]
    assert all(not alt['claimed'] for entry in result for alt in entry[1:])
    assert _check_consistent(ctx, world) == 3


def test_no_valid_host_crosses_the_bus(scheduler_on_bus):
    ctx = nova_context.get_admin_context()
    huge = fakes.flavor(memory_mb=64 * 1024)
    instance = cloud.add_instance(ctx, huge)
    with pytest.raises(exception.NoValidHost, match='No valid host'):
        scheduler_rpcapi.SchedulerAPI().select_destinations(
            ctx, fakes.request_spec(flavor=huge), [instance.uuid])
    assert objects.Instance.get_by_uuid(ctx, instance.uuid).host is None


def test_concurrent_requests_over_the_bus_never_overcommit(scheduler_on_bus):
    world = scheduler_on_bus
    ctx = nova_context.get_admin_context()
    requests = [[cloud.add_instance(ctx, FLAVOR).uuid for _ in range(2)] for _ in range(6)]
    outcome = {}
    start = threading.Barrier(len(requests))

    def boot(index, uuids):
        request_ctx = nova_context.get_admin_context()
        start.wait()
        try:
            scheduler_rpcapi.SchedulerAPI().select_destinations(
                request_ctx, fakes.request_spec(flavor=FLAVOR, num_instances=2), uuids)
            outcome[index] = 'placed'
        except exception.NoValidHost:
            outcome[index] = 'no host'

    threads = [threading.Thread(target=boot, args=(i, uuids))
               for i, uuids in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcome) == len(requests)
    for index, uuids in enumerate(requests):  # all or nothing per request
        hosts = [objects.Instance.get_by_uuid(ctx, u).host for u in uuids]
        assert all(hosts) if outcome[index] == 'placed' else not any(hosts)
    placed = _check_consistent(ctx, world)
    assert placed == 2 * list(outcome.values()).count('placed')
    assert 2 <= placed <= sum(ROOM.values())


def _moving_instance(ctx, world, host='h1'):
    """An instance on ``host`` being resized from FLAVOR to a one-slot-bigger flavor, with
    its migration (no destination yet)."""
    instance = cloud.add_instance(ctx, FLAVOR)
    node = world.nodes[host]
    assert objects.ComputeNode.claim_for_instance(ctx, node.uuid, instance.uuid, 1, 1024, 1)
    bigger = fakes.flavor(vcpus=2, memory_mb=2048, root_gb=2)
    instance.refresh()
    instance.vm_state, instance.task_state = 'active', 'resize_prep'
    instance.old_flavor, instance.new_flavor = FLAVOR, bigger
    instance.save()
    migration = objects.Migration(ctx, instance_uuid=instance.uuid, migration_type='resize',
                                  status='pre-migrating', source_compute=host,
                                  source_node=host)
    migration.create()
    return instance, migration


def test_move_claims_and_the_recount_agree(world):
    ctx = nova_context.get_admin_context()
    before = world.usage(ctx)
    instance, migration = _moving_instance(ctx, world)
    # h3 has room for one FLAVOR only: the bigger flavor does not fit there
    assert not objects.ComputeNode.claim_for_migration(ctx, world.nodes['h3'].uuid,
                                                       migration.uuid, 2, 2048, 2)
    assert objects.Migration.get_by_id(ctx, migration.id).dest_node is None
    assert objects.ComputeNode.claim_for_migration(ctx, world.nodes['h2'].uuid,
                                                   migration.uuid, 2, 2048, 2)
    claimed = world.usage(ctx)
    assert claimed['h2'][:3] == (before['h2'][0] + 2048, 2, 2)
    assert claimed['h1'][:3] == (before['h1'][0] + 1024, 1, 1)
    moved = objects.Migration.get_by_id(ctx, migration.id)
    assert (moved.dest_compute, moved.dest_node) == ('h2', 'h2')
    with pytest.raises(exception.ObjectActionError):  # one destination per migration
        objects.ComputeNode.claim_for_migration(ctx, world.nodes['h3'].uuid,
                                                migration.uuid, 1, 1, 1)

    # the trackers count the move just as the claim did, whichever host the instance
    # row names meanwhile (the source hands it over before the destination finishes)
    world.run_trackers(ctx)
    assert world.usage(ctx) == claimed
    instance.host = instance.node = 'h2'
    instance.save()
    world.run_trackers(ctx)
    assert world.usage(ctx) == claimed

    # confirmed: the source's room is free, the destination holds the new flavor
    instance.memory_mb, instance.vcpus, instance.root_gb = 2048, 2, 2
    instance.save()
    moved.status = 'confirmed'
    moved.save()
    world.run_trackers(ctx)
    after = world.usage(ctx)
    assert after['h1'] == before['h1'] and after['h2'] == claimed['h2']

    with pytest.raises(exception.MigrationNotFound):  # a finished move claims nothing
        objects.ComputeNode.claim_for_migration(ctx, world.nodes['h3'].uuid,
                                                migration.uuid, 1, 1, 1)


def test_a_failed_move_gives_the_destination_back(world):
    ctx = nova_context.get_admin_context()
    before = world.usage(ctx)
    instance, migration = _moving_instance(ctx, world)
    assert objects.ComputeNode.claim_for_migration(ctx, world.nodes['h2'].uuid,
                                                   migration.uuid, 2, 2048, 2)
    migration = objects.Migration.get_by_id(ctx, migration.id)
    migration.status = 'error'
    migration.save()
    world.run_trackers(ctx)
    usage = world.usage(ctx)
    assert usage['h2'] == before['h2']
    assert usage['h1'][:3] == (before['h1'][0] + 1024, 1, 1)
