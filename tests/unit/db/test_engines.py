"""What nova's engines set up on each backend."""

import time

import pytest
import sqlalchemy

from nova.db import engines


def test_backend_settings_on_every_connection(any_database):
    if any_database == 'mysql':
        pytest.skip('nothing MariaDB-specific is set')
    engine = engines.get_engine('database')
    with engine.connect() as connection:
        if any_database == 'postgresql':
            # No JIT: it cost 600 ms of compiling on a half-millisecond server list.
            assert connection.exec_driver_sql('SHOW jit').scalar() == 'off'
        else:
            assert connection.exec_driver_sql('PRAGMA journal_mode').scalar() == 'wal'


_BACKEND_PID = {'postgresql': 'SELECT pg_backend_pid()', 'mysql': 'SELECT CONNECTION_ID()'}
_KILL = {'postgresql': 'SELECT pg_terminate_backend(%d)', 'mysql': 'KILL %d'}
_ALIVE = {'postgresql': 'SELECT count(*) FROM pg_stat_activity WHERE pid = %d',
          'mysql': 'SELECT count(*) FROM information_schema.processlist WHERE id = %d'}


def _pooled_engine(backend):
    if backend == 'sqlite':
        pytest.skip('SQLite connections are not pooled')
    return engines.get_engine('database')


def test_only_an_idle_pooled_connection_is_pinged(any_database, monkeypatch):
    engine = _pooled_engine(any_database)
    pings = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, 'do_ping', lambda conn: pings.append(conn) or ping(conn))
    for _ in range(3):
        with engine.connect() as connection:
            connection.exec_driver_sql('SELECT 1')
    assert pings == []  # new, then just used
    monkeypatch.setattr(engines, 'PING_AFTER_IDLE_SECONDS', 0)
    with engine.connect() as connection:
        connection.exec_driver_sql('SELECT 1')
    assert len(pings) == 1


def test_an_idle_connection_the_server_dropped_is_replaced(any_database, monkeypatch):
    engine = _pooled_engine(any_database)
    with engine.connect() as connection:
        dropped = connection.exec_driver_sql(_BACKEND_PID[any_database]).scalar()
    killer = sqlalchemy.create_engine(engine.url, poolclass=sqlalchemy.pool.NullPool)
    with killer.connect() as connection:
        connection.exec_driver_sql(_KILL[any_database] % dropped)
        for _ in range(100):
            if not connection.exec_driver_sql(_ALIVE[any_database] % dropped).scalar():
                break
            time.sleep(0.02)
    killer.dispose()
    monkeypatch.setattr(engines, 'PING_AFTER_IDLE_SECONDS', 0)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(_BACKEND_PID[any_database]).scalar() != dropped


_IN_OWN_TRANSACTION = ('SELECT xact_start = query_start FROM pg_stat_activity '
                       'WHERE pid = pg_backend_pid()')


@engines.main_reader
def _statement_started_its_transaction(context):
    return context.session.execute(sqlalchemy.text(_IN_OWN_TRANSACTION)).scalar()


@engines.main_writer
def _writer_reads(context):
    return _statement_started_its_transaction(context)


def test_postgresql_readers_run_without_a_transaction(any_database):
    if any_database != 'postgresql':
        pytest.skip('readers keep their transaction on MariaDB (REPEATABLE READ) and SQLite')
    from nova import context as nova_context
    context = nova_context.get_admin_context()
    # A reader's statement is its own transaction: no BEGIN came before it.
    assert _statement_started_its_transaction(context) is True
    # A reader inside a writer joins the writer's transaction, begun before it.
    assert _writer_reads(context) is False
    # The pooled connection is back in a transaction for the next writer.
    assert _writer_reads(context) is False
