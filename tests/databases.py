"""Throw-away databases on the real servers, one uniquely named database per use.

PostgreSQL and MariaDB run on this machine (see README); every test run gets its own database
names so parallel runs never see each other's tables. Set NOVA_TEST_PG_URL /
NOVA_TEST_MYSQL_URL to point elsewhere (server URL without a database name).
"""

import contextlib
import os
import uuid

import sqlalchemy as sa

PG_SERVER = os.environ.get('NOVA_TEST_PG_URL', 'postgresql+psycopg2://postgres@127.0.0.1:5432')
MYSQL_SERVER = os.environ.get('NOVA_TEST_MYSQL_URL', 'mysql+pymysql://root@127.0.0.1:3306')

BACKENDS = ('sqlite', 'postgresql', 'mysql')


def unique_name(prefix='nova_test'):
    return '%s_%s' % (prefix, uuid.uuid4().hex[:12])


def server_available(backend):
    if backend == 'sqlite':
        return True
    url = PG_SERVER + '/postgres' if backend == 'postgresql' else MYSQL_SERVER + '/'
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextlib.contextmanager
def temporary_database(backend, tmp_path=None, prefix='nova_test'):
    """Create an empty database on ``backend``; yield its URL; drop it afterwards."""
    name = unique_name(prefix)
    if backend == 'sqlite':
        directory = tmp_path or '/tmp'
        path = os.path.join(str(directory), name + '.sqlite')
        try:
            yield 'sqlite:///' + path
        finally:
            if os.path.exists(path):
                os.unlink(path)
        return
    if backend == 'postgresql':
        admin_url, url = PG_SERVER + '/postgres', '%s/%s' % (PG_SERVER, name)
        create = 'CREATE DATABASE %s' % name
        drop = 'DROP DATABASE IF EXISTS %s WITH (FORCE)' % name
    elif backend == 'mysql':
        admin_url, url = MYSQL_SERVER + '/', '%s/%s?charset=utf8mb4' % (MYSQL_SERVER, name)
        create = 'CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' % name
        drop = 'DROP DATABASE IF EXISTS %s' % name
    else:
        raise ValueError('unknown backend %s' % backend)
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(create))
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(drop))
        admin.dispose()
