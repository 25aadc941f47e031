"""The migrations build exactly the schema the models describe, on every backend."""

import importlib

from alembic import autogenerate
from alembic import migration as alembic_migration

from nova.db import engines
from nova.db import migration


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
