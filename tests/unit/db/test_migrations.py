"""The migrations build exactly the schema the models describe, on every backend."""

import importlib

from alembic import autogenerate
from alembic import migration as alembic_migration
import pytest
import sqlalchemy as sa

from nova.db import engines
from nova.db import migration
from tests import databases


def _schema_diff(database):
    group, _path = migration.DATABASES[database]
    models = importlib.import_module('nova.db.%s.models' % database)
    with engines.get_engine(group).connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'compare_type': True, 'compare_server_default': False})
        return autogenerate.compare_metadata(context, models.BASE.metadata)


def test_models_match_migrated_schema(any_database):
    for database in migration.DATABASES:
        diff = _schema_diff(database)
        assert diff == [], '%s database on %s differs from its models: %s' % (
            database, any_database, diff)


def test_sync_reaches_head_and_is_idempotent(any_database):
    for database in migration.DATABASES:
        assert migration.db_version(database) == migration.db_head(database)
        migration.db_sync(database)
        assert migration.db_version(database) == migration.db_head(database)


@pytest.mark.parametrize('backend', databases.BACKENDS)
def test_request_spec_zone_and_hints_are_copied_from_existing_specs(backend, tmp_path):
    if not databases.server_available(backend):
        pytest.skip('%s server not reachable' % backend)
    specs = sa.table('request_specs', sa.column('instance_uuid'), sa.column('spec'),
                     sa.column('availability_zone'), sa.column('scheduler_hints'))

    def spec(zone, hints):
        return ('{"nova_object.name": "RequestSpec", "nova_object.data": '
                '{"availability_zone": %s, "scheduler_hints": %s}}' % (zone, hints))

    with databases.temporary_database(backend, tmp_path) as url:
        engine = sa.create_engine(url)
        try:
            migration.db_sync('api', 'd41f7a0c6e28', engine=engine)
            with engine.begin() as connection:
                connection.execute(specs.insert(), [
                    {'instance_uuid': 'u1', 'spec': spec('"az1"', '{"group": ["g1"]}')},
                    {'instance_uuid': 'u2', 'spec': spec('null', '{}')}])
            migration.db_sync('api', engine=engine)
            with engine.connect() as connection:
                rows = connection.execute(sa.select(
                    specs.c.instance_uuid, specs.c.availability_zone,
                    specs.c.scheduler_hints).order_by(specs.c.instance_uuid)).all()
        finally:
            engine.dispose()
    assert [tuple(row) for row in rows] == [('u1', 'az1', '{"group": ["g1"]}'),
                                           ('u2', None, None)]
