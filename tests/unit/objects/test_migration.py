"""Migration and MigrationList against a real (SQLite) database."""

import datetime

from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import migration as migration_obj
from tests.unit.objects.test_instance import make_instance

Migration = migration_obj.Migration
MigrationList = migration_obj.MigrationList


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_migration(ctx, instance_uuid, status='migrating', **kwargs):
    values = dict(source_compute='h1', source_node='n1', dest_compute='h2', dest_node='n2',
                  instance_uuid=instance_uuid, status=status, migration_type='resize')
    values.update(kwargs)
    migration = Migration(context=ctx, **values)
    migration.create()
    return migration


def test_crud(ctx):
    instance = make_instance(ctx)
    migration = make_migration(ctx, instance.uuid)
    assert Migration.get_by_uuid(ctx, migration.uuid).id == migration.id
    assert Migration.get_by_id(ctx, migration.id).is_resize
    migration.status = 'finished'
    migration.memory_total = 2 ** 40
    migration.save()
    again = Migration.get_by_instance_and_status(ctx, instance.uuid, 'finished')
    assert again.id == migration.id and again.memory_total == 2 ** 40
    with pytest.raises(exception.MigrationNotFoundByStatus):
        Migration.get_by_instance_and_status(ctx, instance.uuid, 'migrating')
    migration.destroy()
    with pytest.raises(exception.MigrationNotFound):
        Migration.get_by_id(ctx, migration.id)


def test_bad_type_refused():
    with pytest.raises(ValueError):
        Migration(migration_type='teleport')


def test_in_progress_by_host_and_node(ctx):
    instance = make_instance(ctx)
    running = make_migration(ctx, instance.uuid)
    make_migration(ctx, instance.uuid, status='confirmed')
    make_migration(ctx, instance.uuid, source_compute='h3', dest_compute='h4')
    assert [m.id for m in MigrationList.get_in_progress_by_host_and_node(ctx, 'h1', 'n1')] \
        == [running.id]
    assert [m.id for m in MigrationList.get_in_progress_by_host_and_node(ctx, 'h2', 'n2')] \
        == [running.id]
    assert len(MigrationList.get_in_progress_by_host_and_node(ctx, 'h2', 'other')) == 0
    assert len(MigrationList.get_in_progress_by_instance(ctx, instance.uuid)) == 2


def test_filters_sorting_paging(ctx):
    instance = make_instance(ctx)
    made = [make_migration(ctx, instance.uuid, status=status, dest_compute=dest)
            for status, dest in (('migrating', 'h2'), ('finished', 'h3'), ('error', 'h2'))]
    get = MigrationList.get_by_filters
    assert [m.id for m in get(ctx, {'status': ['finished', 'error']}, sort_keys=['id'],
                              sort_dirs=['asc'])] == [made[1].id, made[2].id]
    assert len(get(ctx, {'host': 'h3'})) == 1
    assert len(get(ctx, {'host': 'h1'})) == 3
    assert len(get(ctx, {'in_progress': True})) == 2
    assert [m.id for m in get(ctx, {})] == [m.id for m in reversed(made)]
    page = get(ctx, {}, limit=2, marker=made[2].uuid)
    assert [m.id for m in page] == [made[1].id, made[0].id]
    with pytest.raises(exception.InvalidInput):
        get(ctx, {'colour': 'red'})
    with pytest.raises(exception.MarkerNotFound):
        get(ctx, {}, marker='00000000-0000-0000-0000-000000000000')


def test_unconfirmed_by_dest_compute(ctx):
    instance = make_instance(ctx)
    old = make_migration(ctx, instance.uuid, status='finished')
    make_migration(ctx, instance.uuid, status='finished', dest_compute='h9')
    assert len(MigrationList.get_unconfirmed_by_dest_compute(ctx, 3600, 'h2')) == 0
    later = timeutils.utcnow() + datetime.timedelta(hours=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timeutils, 'utcnow', lambda *args, **kwargs: later)
        assert [m.id for m in MigrationList.get_unconfirmed_by_dest_compute(
            ctx, 3600, 'h2')] == [old.id]
