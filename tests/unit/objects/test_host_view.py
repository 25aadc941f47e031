"""SchedulerHostView: the scheduler's three reads in one call, against a real database."""

import pytest

from nova import context as nova_context
from nova import objects
from tests.unit.objects.test_service import make_compute_node
from tests.unit.objects.test_service import make_service


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def test_view_holds_nodes_compute_services_and_aggregates(ctx):
    make_service(ctx, host='host1')
    make_service(ctx, host='host2', disabled=True)
    make_service(ctx, host='host1', binary='nova-scheduler')
    make_compute_node(ctx, host='host1', node='node1')
    make_compute_node(ctx, host='host2', node='node2')
    aggregate = objects.Aggregate(ctx, name='agg', metadata={'availability_zone': 'az1'})
    aggregate.create()
    aggregate.add_host('host2')

    view = objects.SchedulerHostView.get(ctx)

    # Disabled compute services too (the filters decide); no other binaries.
    assert sorted((s.host, s.disabled) for s in view.services) == [
        ('host1', False), ('host2', True)]
    assert sorted(n.hypervisor_hostname for n in view.compute_nodes) == ['node1', 'node2']
    assert [(a.name, a.hosts, a.metadata) for a in view.aggregates] == [
        ('agg', ['host2'], {'availability_zone': 'az1'})]


def test_view_round_trips_as_one_object(ctx):
    make_service(ctx, host='host1')
    make_compute_node(ctx, host='host1', node='node1')
    view = objects.SchedulerHostView.get(ctx)
    again = objects.SchedulerHostView.obj_from_primitive(view.obj_to_primitive())
    assert [n.uuid for n in again.compute_nodes] == [n.uuid for n in view.compute_nodes]
    assert [s.host for s in again.services] == ['host1']
    assert len(again.aggregates) == 0
