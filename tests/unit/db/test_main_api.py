"""Query functions of the main database (nova.db.main.api) on SQLite."""

import pytest

from nova import context as nova_context
from nova import exception
from nova.db.main import api as db
from nova.db.main import models


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def _service(ctx, host='h1', binary='nova-compute', topic='compute', **values):
    return db.service_create(ctx, dict(host=host, binary=binary, topic=topic, **values))


def _compute(ctx, host='h1', node='n1', **values):
    base = dict(host=host, hypervisor_hostname=node, vcpus=1, memory_mb=512, local_gb=1,
                vcpus_used=0, memory_mb_used=0, local_gb_used=0, hypervisor_type='QEMU',
                hypervisor_version=1, cpu_info='{}')
    base.update(values)
    return db.compute_node_create(ctx, base)


def test_soft_delete_sets_deleted_to_the_row_id(ctx):
    row = _service(ctx)
    db.service_destroy(ctx, row.id)
    deleted = db.service_get(nova_context.get_admin_context(read_deleted='yes'), row.id)
    assert deleted.deleted == row.id
    assert deleted.deleted_at is not None
    assert deleted.updated_at is None  # a soft delete is not an update


def test_read_deleted_modes(ctx):
    live = _service(ctx, host='h1')
    gone = _service(ctx, host='h2')
    db.service_destroy(ctx, gone.id)
    only = nova_context.get_admin_context(read_deleted='only')
    every = nova_context.get_admin_context(read_deleted='yes')
    assert [r.id for r in db.service_get_all(ctx)] == [live.id]
    assert [r.id for r in db.service_get_all(only)] == [gone.id]
    assert [r.id for r in db.service_get_all(every)] == [live.id, gone.id]


def test_unique_constraint_allows_many_deleted_duplicates(ctx):
    for _ in range(3):
        db.service_destroy(ctx, _service(ctx).id)
    _service(ctx)
    with pytest.raises(exception.ServiceBinaryExists):
        _service(ctx, topic='other')
    every = nova_context.get_admin_context(read_deleted='yes')
    assert len(db.service_get_all(every)) == 4


def test_duplicate_on_update_is_reported(ctx):
    _service(ctx, host='h1')
    other = _service(ctx, host='h2')
    # Both unique constraints are violated; which one a backend reports first varies.
    with pytest.raises((exception.ServiceBinaryExists, exception.ServiceTopicExists)):
        db.service_update(ctx, other.id, {'host': 'h1'})
    assert db.service_get(ctx, other.id).host == 'h2'


def test_unknown_column_refused_and_nothing_written(ctx):
    with pytest.raises(exception.InvalidInput):
        _service(ctx, colour='blue')
    assert db.service_get_all(ctx) == []
    row = _service(ctx)
    with pytest.raises(exception.InvalidInput):
        db.service_update(ctx, row.id, {'report_count': 5, 'colour': 'blue'})
    assert db.service_get(ctx, row.id).report_count == 0


def test_update_of_missing_service(ctx):
    with pytest.raises(exception.ServiceNotFound):
        db.service_update(ctx, 12345, {'disabled': True})
    with pytest.raises(exception.ServiceNotFound):
        db.service_destroy(ctx, 12345)


def test_host_binary_and_topic_not_found(ctx):
    with pytest.raises(exception.HostBinaryNotFound):
        db.service_get_by_host_and_binary(ctx, 'h1', 'nova-compute')
    with pytest.raises(exception.HostTopicNotFound):
        db.service_get_by_host_and_topic(ctx, 'h1', 'compute')


def test_compute_node_duplicate_and_missing(ctx):
    _compute(ctx)
    with pytest.raises(exception.ComputeNodeExists):
        _compute(ctx)
    with pytest.raises(exception.ComputeHostNotFound):
        db.compute_node_update(ctx, 999, {'vcpus': 2})
    with pytest.raises(exception.ComputeHostNotFound):
        db.compute_node_delete(ctx, 999)


def test_compute_node_update_sets_updated_at(ctx):
    row = _compute(ctx)
    assert row.updated_at is None
    db.compute_node_update(ctx, row.id, {'vcpus_used': 1})
    assert db.compute_node_get(ctx, row.id).updated_at is not None


def test_every_table_is_in_the_metadata():
    expected = {
        'services', 'compute_nodes', 'instances', 'instance_info_caches', 'instance_extra',
        'instance_faults', 'instance_actions', 'instance_actions_events', 'instance_metadata',
        'instance_system_metadata', 'block_device_mapping', 'security_groups',
        'security_group_rules', 'security_group_instance_association', 'networks',
        'fixed_ips', 'floating_ips', 'virtual_interfaces', 'migrations', 'tags', 'task_log'}
    assert set(models.BASE.metadata.tables) == expected


def test_instance_update_refuses_unknown_columns_and_writes_nothing(ctx):
    row = db.instance_create(ctx, {'display_name': 'a', 'metadata': {'k': 'v'}})
    with pytest.raises(exception.InvalidInput):
        db.instance_update(ctx, row.uuid, {'display_name': 'b', 'colour': 'red'})
    with pytest.raises(exception.InvalidInput):
        db.instance_update(ctx, row.uuid, {'display_name': 'b', 'extra': {'colour': '1'}})
    again = db.instance_get_by_uuid(ctx, row.uuid)
    assert again.display_name == 'a'
    assert {m.key: m.value for m in again.metadata_items} == {'k': 'v'}


def test_instance_compare_and_swap_with_none_in_expected(ctx):
    row = db.instance_create(ctx, {'task_state': None, 'vm_state': 'active'})
    db.instance_update(ctx, row.uuid, {'task_state': 'spawning'},
                       expected_task_state=[None, 'scheduling'])
    with pytest.raises(exception.UnexpectedTaskStateError):
        db.instance_update(ctx, row.uuid, {'task_state': 'rebooting'},
                           expected_task_state=[None])
    with pytest.raises(exception.UnexpectedTaskStateError):
        db.instance_update(ctx, row.uuid, {'task_state': 'rebooting'}, expected_task_state=[])
    assert db.instance_get_by_uuid(ctx, row.uuid).task_state == 'spawning'


def test_instance_children_soft_deleted_with_it(ctx):
    row = db.instance_create(ctx, {'metadata': {'a': '1'}, 'system_metadata': {'b': '2'},
                                   'extra': {'flavor': '{}'}, 'network_info': '[]'})
    db.block_device_mapping_create(ctx, {'instance_uuid': row.uuid, 'boot_index': 0})
    db.instance_destroy(ctx, row.uuid)
    every = nova_context.get_admin_context(read_deleted='yes')
    gone = db.instance_get_by_uuid(every, row.uuid)
    assert gone.deleted == gone.id
    assert gone.metadata_items == [] and gone.system_metadata_items == []
    assert gone.extra.deleted == gone.extra.id and gone.info_cache.deleted != 0
    assert db.block_device_mapping_get_all_by_instance_uuids(ctx, [row.uuid]) == []


@pytest.fixture
def any_ctx(any_database):
    return nova_context.get_admin_context()


def test_instance_create_and_update_on_every_backend(any_ctx):
    """Create and update are Core statements: the same rows on SQLite, PostgreSQL and
    MariaDB, the compare-and-swap included."""
    row = db.instance_create(any_ctx, {
        'display_name': 'a', 'vm_state': 'building', 'task_state': 'scheduling',
        'metadata': {'k': 'v'}, 'system_metadata': {'s': '1', 't': '2'},
        'extra': {'flavor': '{"cur": null}'}, 'network_info': '[]'})
    assert row.display_name == 'a' and row.deleted == 0 and row.created_at is not None
    assert {m.key: m.value for m in row.metadata_items} == {'k': 'v'}
    assert {m.key: m.value for m in row.system_metadata_items} == {'s': '1', 't': '2'}
    assert row.extra.flavor == '{"cur": null}' and row.info_cache.network_info == '[]'
    with pytest.raises(exception.InstanceExists):
        db.instance_create(any_ctx, {'uuid': row.uuid})
    with pytest.raises(exception.InvalidInput):
        db.instance_create(any_ctx, {'display_name': 'b', 'colour': 'red'})
    # (`host == None` is IS NULL: every instance so far, the refused ones wrote nothing)
    assert [r.display_name for r in db.instance_get_all_by_host(any_ctx, None)] == ['a']

    updated = db.instance_update(any_ctx, row.uuid, {
        'host': 'h1', 'node': 'n1', 'task_state': None, 'extra': {'flavor': '{}'},
        'metadata': {'k': 'w'}}, expected_task_state=['scheduling'])
    assert (updated.host, updated.task_state, updated.extra.flavor) == ('h1', None, '{}')
    assert updated.updated_at is not None
    assert {m.key: m.value for m in updated.metadata_items} == {'k': 'w'}
    with pytest.raises(exception.UnexpectedTaskStateError):
        db.instance_update(any_ctx, row.uuid, {'host': 'h2'},
                           expected_task_state=['scheduling'])
    assert [r.uuid for r in db.instance_get_all_by_host_and_node(any_ctx, 'h1', 'n1')] == \
        [row.uuid]
    with pytest.raises(exception.InstanceNotFound):
        db.instance_update(any_ctx, 'no-such-uuid', {'host': 'h1'})
