"""Service and ServiceList against a real (SQLite) database."""

from oslo_utils import timeutils
from oslo_utils import uuidutils
import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import compute_node as compute_node_obj
from nova.objects import service as service_obj


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_service(ctx, host='host1', binary='nova-compute', topic=None, **kwargs):
    service = service_obj.Service(context=ctx, host=host, binary=binary,
                                  topic=topic or binary.split('-', 1)[-1], **kwargs)
    service.create()
    return service


def make_compute_node(ctx, host='host1', node='node1', **kwargs):
    values = dict(host=host, hypervisor_hostname=node, vcpus=4, memory_mb=4096, local_gb=40,
                  vcpus_used=0, memory_mb_used=0, local_gb_used=0, hypervisor_type='QEMU',
                  hypervisor_version=1, cpu_info='{}')
    values.update(kwargs)
    compute = compute_node_obj.ComputeNode(context=ctx, **values)
    compute.create()
    return compute


def test_create_fills_uuid_version_and_defaults(ctx):
    service = make_service(ctx)
    assert uuidutils.is_uuid_like(service.uuid)
    assert service.version == service_obj.SERVICE_VERSION
    assert service.report_count == 0
    assert service.disabled is False and service.forced_down is False
    assert service.deleted is False and service.created_at is not None
    assert service.obj_what_changed() == set()


def test_create_keeps_given_uuid(ctx):
    uuid = uuidutils.generate_uuid()
    assert make_service(ctx, uuid=uuid).uuid == uuid


def test_create_twice_refused(ctx):
    service = make_service(ctx)
    with pytest.raises(exception.ObjectActionError):
        service.create()


def test_duplicate_binary_on_host_refused(ctx):
    make_service(ctx, binary='nova-compute', topic='compute')
    with pytest.raises(exception.ServiceBinaryExists):
        make_service(ctx, binary='nova-compute', topic='other')
    assert len(service_obj.ServiceList.get_all(ctx)) == 1


def test_duplicate_topic_on_host_refused(ctx):
    make_service(ctx, binary='nova-compute', topic='compute')
    with pytest.raises(exception.ServiceTopicExists):
        make_service(ctx, binary='nova-other', topic='compute')


def test_lookups(ctx):
    service = make_service(ctx)
    assert service_obj.Service.get_by_id(ctx, service.id).uuid == service.uuid
    assert service_obj.Service.get_by_uuid(ctx, service.uuid).id == service.id
    assert service_obj.Service.get_by_host_and_binary(ctx, 'host1', 'nova-compute').id == \
        service.id
    assert service_obj.Service.get_by_host_and_topic(ctx, 'host1', 'compute').id == service.id
    assert service_obj.Service.get_by_compute_host(ctx, 'host1').id == service.id


def test_not_found_paths(ctx):
    with pytest.raises(exception.ServiceNotFound):
        service_obj.Service.get_by_id(ctx, 42)
    with pytest.raises(exception.ServiceNotFound):
        service_obj.Service.get_by_uuid(ctx, uuidutils.generate_uuid())
    assert service_obj.Service.get_by_host_and_binary(ctx, 'nohost', 'nova-compute') is None
    assert service_obj.Service.get_by_host_and_topic(ctx, 'nohost', 'compute') is None
    with pytest.raises(exception.ComputeHostNotFound):
        service_obj.Service.get_by_compute_host(ctx, 'nohost')


def test_compute_host_lookup_ignores_other_binaries(ctx):
    make_service(ctx, binary='nova-scheduler')
    with pytest.raises(exception.ComputeHostNotFound):
        service_obj.Service.get_by_compute_host(ctx, 'host1')


def test_heartbeat_save(ctx):
    service = make_service(ctx)
    service.report_count += 1
    service.last_seen_up = timeutils.utcnow()
    service.save()
    again = service_obj.Service.get_by_id(ctx, service.id)
    assert again.report_count == 1
    assert again.last_seen_up is not None
    assert again.updated_at is not None
    assert service.obj_what_changed() == set()


def test_save_without_changes_is_a_no_op(ctx):
    service = make_service(ctx)
    service.save()
    assert service_obj.Service.get_by_id(ctx, service.id).updated_at is None


def test_disable_and_list_filters(ctx):
    compute1 = make_service(ctx, host='h1')
    make_service(ctx, host='h2')
    make_service(ctx, host='h1', binary='nova-scheduler')
    compute1.disabled = True
    compute1.disabled_reason = 'maintenance'
    compute1.save()

    assert len(service_obj.ServiceList.get_all(ctx)) == 3
    assert [s.host for s in service_obj.ServiceList.get_all(ctx, disabled=True)] == ['h1']
    assert len(service_obj.ServiceList.get_all(ctx, disabled=False)) == 2
    assert [s.host for s in service_obj.ServiceList.get_by_binary(ctx, 'nova-compute')] == \
        ['h2']
    assert len(service_obj.ServiceList.get_by_binary(
        ctx, 'nova-compute', include_disabled=True)) == 2
    assert [s.host for s in service_obj.ServiceList.get_by_topic(ctx, 'compute')] == ['h2']
    assert sorted(s.binary for s in service_obj.ServiceList.get_by_host(ctx, 'h1')) == \
        ['nova-compute', 'nova-scheduler']


def test_destroy_soft_deletes_and_frees_the_name(ctx):
    service = make_service(ctx)
    service.destroy()
    assert service.deleted is True
    with pytest.raises(exception.ServiceNotFound):
        service_obj.Service.get_by_id(ctx, service.id)
    assert service_obj.Service.get_by_host_and_binary(ctx, 'host1', 'nova-compute') is None
    # The unique constraint includes ``deleted``: the same host/binary can come back.
    again = make_service(ctx)
    assert again.id != service.id

    deleted_ctx = nova_context.get_admin_context(read_deleted='yes')
    old = service_obj.Service.get_by_id(deleted_ctx, service.id)
    assert old.deleted is True and old.deleted_at is not None


def test_destroy_compute_service_deletes_its_nodes(ctx):
    service = make_service(ctx, host='h1')
    make_compute_node(ctx, host='h1', node='n1', service_id=service.id)
    make_compute_node(ctx, host='h1', node='n2')
    other = make_compute_node(ctx, host='h2', node='n3')
    service.destroy()
    remaining = compute_node_obj.ComputeNodeList.get_all(ctx)
    assert [c.id for c in remaining] == [other.id]


def test_destroy_other_service_keeps_nodes(ctx):
    scheduler = make_service(ctx, host='h1', binary='nova-scheduler')
    make_compute_node(ctx, host='h1', node='n1')
    scheduler.destroy()
    assert len(compute_node_obj.ComputeNodeList.get_all(ctx)) == 1


def test_destroy_twice_not_found(ctx):
    service = make_service(ctx)
    service.destroy()
    with pytest.raises(exception.ServiceNotFound):
        service.destroy()


def test_minimum_version(ctx):
    assert service_obj.Service.get_minimum_version(ctx, 'nova-compute') == 0
    first = make_service(ctx, host='h1')
    second = make_service(ctx, host='h2')
    assert service_obj.Service.get_minimum_version(ctx, 'nova-compute') == \
        service_obj.SERVICE_VERSION
    first.version = 0
    first.save()
    assert service_obj.Service.get_minimum_version(ctx, 'nova-compute') == 0
    # Forced-down and deleted services do not hold the deployment back.
    first.forced_down = True
    first.save()
    second.version = 7
    second.save()
    assert service_obj.Service.get_minimum_version(ctx, 'nova-compute') == 7
    second.destroy()
    assert service_obj.Service.get_minimum_version(ctx, 'nova-compute') == 0
    assert service_obj.Service.get_minimum_version(ctx, 'nova-conductor') == 0


def test_serialises_over_rpc(ctx):
    service = make_service(ctx)
    service.last_seen_up = timeutils.utcnow()
    primitive = service.obj_to_primitive()
    copy = service_obj.Service.obj_from_primitive(primitive)
    assert copy.uuid == service.uuid
    # Datetimes travel at second precision.
    assert copy.last_seen_up == service.last_seen_up.replace(microsecond=0)
