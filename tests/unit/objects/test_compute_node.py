"""ComputeNode and ComputeNodeList against a real (SQLite) database."""

import netaddr
from oslo_utils import uuidutils
import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import compute_node as compute_node_obj
from tests.unit.objects.test_service import make_compute_node

ComputeNode = compute_node_obj.ComputeNode
ComputeNodeList = compute_node_obj.ComputeNodeList


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def test_create_and_read_back(ctx):
    compute = make_compute_node(ctx, stats={'num_instances': '3', 'io_workload': None},
                                host_ip='192.0.2.10', cpu_allocation_ratio=16.0,
                                ram_allocation_ratio=1.5, disk_allocation_ratio=1.0)
    assert uuidutils.is_uuid_like(compute.uuid)
    assert compute.mapped == 0
    again = ComputeNode.get_by_id(ctx, compute.id)
    assert again.stats == {'num_instances': '3', 'io_workload': None}
    assert again.host_ip == netaddr.IPAddress('192.0.2.10')
    assert again.ram_allocation_ratio == 1.5
    assert again.hypervisor_hostname == 'node1'
    assert again.obj_what_changed() == set()


def test_stats_default_to_empty(ctx):
    compute = make_compute_node(ctx)
    assert ComputeNode.get_by_uuid(ctx, compute.uuid).stats == {}


def test_lookups_and_not_found(ctx):
    compute = make_compute_node(ctx, host='h1', node='n1')
    assert ComputeNode.get_by_uuid(ctx, compute.uuid).id == compute.id
    assert ComputeNode.get_by_host_and_nodename(ctx, 'h1', 'n1').id == compute.id
    with pytest.raises(exception.ComputeHostNotFound):
        ComputeNode.get_by_host_and_nodename(ctx, 'h1', 'n2')
    with pytest.raises(exception.ComputeHostNotFound):
        ComputeNode.get_by_id(ctx, 999)
    with pytest.raises(exception.ComputeHostNotFound):
        ComputeNode.get_by_uuid(ctx, uuidutils.generate_uuid())


def test_duplicate_node_on_host_refused(ctx):
    make_compute_node(ctx, host='h1', node='n1')
    with pytest.raises(exception.ComputeNodeExists):
        make_compute_node(ctx, host='h1', node='n1')
    assert len(ComputeNodeList.get_all(ctx)) == 1


def test_save_updates_resources(ctx):
    compute = make_compute_node(ctx)
    compute.vcpus_used = 3
    compute.stats = {'num_instances': '1'}
    compute.save()
    again = ComputeNode.get_by_id(ctx, compute.id)
    assert again.vcpus_used == 3 and again.stats == {'num_instances': '1'}
    assert again.updated_at is not None


def test_destroy_soft_deletes(ctx):
    compute = make_compute_node(ctx, host='h1', node='n1')
    compute.destroy()
    assert compute.deleted is True
    with pytest.raises(exception.ComputeHostNotFound):
        ComputeNode.get_by_host_and_nodename(ctx, 'h1', 'n1')
    # The name can be reused once the old record is deleted.
    assert make_compute_node(ctx, host='h1', node='n1').id != compute.id
    with pytest.raises(exception.ComputeHostNotFound):
        compute.destroy()


def test_get_all_by_host(ctx):
    make_compute_node(ctx, host='h1', node='n1')
    make_compute_node(ctx, host='h1', node='n2')
    make_compute_node(ctx, host='h2', node='n3')
    assert [c.hypervisor_hostname for c in ComputeNodeList.get_all_by_host(ctx, 'h1')] == \
        ['n1', 'n2']
    with pytest.raises(exception.ComputeHostNotFound):
        ComputeNodeList.get_all_by_host(ctx, 'h3')


def test_get_by_hypervisor_substring(ctx):
    make_compute_node(ctx, host='h1', node='rack1-node1')
    make_compute_node(ctx, host='h1', node='rack1-node2')
    make_compute_node(ctx, host='h2', node='rack2_node1')
    names = sorted(c.hypervisor_hostname for c in ComputeNodeList.get_by_hypervisor(ctx, 'rack1'))
    assert names == ['rack1-node1', 'rack1-node2']
    # LIKE wildcards in the search text are literal characters.
    assert [c.hypervisor_hostname for c in ComputeNodeList.get_by_hypervisor(ctx, '_')] == \
        ['rack2_node1']
    assert len(ComputeNodeList.get_by_hypervisor(ctx, '%')) == 0
