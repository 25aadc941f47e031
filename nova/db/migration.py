"""Schema migrations of the main and API databases, run with alembic.

Each database keeps its revisions in ``nova/db/<name>/migrations/versions``; ``env.py`` there
calls ``run_migrations`` with its models' metadata. ``db_sync``/``db_version`` are what
``nova-manage db|api_db sync|version`` and ``nova-status upgrade check`` use.
"""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import context as alembic_context
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from nova.db import engines

# database name -> (config group, migrations directory)
DATABASES = {
    'main': ('database', os.path.join(os.path.dirname(__file__), 'main', 'migrations')),
    'api': ('api_database', os.path.join(os.path.dirname(__file__), 'api', 'migrations')),
}


def _config(database, connection=None):
    _group, path = DATABASES[database]
    config = alembic_config.Config()
    config.set_main_option('script_location', path)
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def db_head(database='main'):
    """The newest revision the code knows for ``database``."""
    return alembic_script.ScriptDirectory.from_config(_config(database)).get_current_head()


def db_version(database='main', engine=None):
    """The revision ``database`` is at, or None for an empty database."""
    engine = engine or engines.get_engine(DATABASES[database][0])
    with engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(connection).get_current_revision()


def db_sync(database='main', version=None, engine=None):
    """Upgrade ``database`` to ``version`` (default: head); idempotent."""
    engine = engine or engines.get_engine(DATABASES[database][0])
    with engine.begin() as connection:
        alembic_command.upgrade(_config(database, connection), version or 'head')


def run_migrations(target_metadata):
    """Body of each env.py: migrate on the connection db_sync handed over."""
    config = alembic_context.config
    connection = config.attributes.get('connection')
    if connection is None:
        raise RuntimeError('nova migrations run through nova.db.migration.db_sync only')
    alembic_context.configure(connection=connection, target_metadata=target_metadata,
                              render_as_batch=connection.dialect.name == 'sqlite')
    with alembic_context.begin_transaction():
        alembic_context.run_migrations()
