"""The enginefacade contexts of the main (cell) and API databases.

Query functions decorate themselves with ``main_reader``/``main_writer`` (or the ``api_*``
pair). Each decorator checks the guard first, then opens (or joins) a transaction on the
context passed as the function's first argument, available as ``context.session``.

SQLite (the edge default, many threads in one process) needs more than the driver gives:
pysqlite starts transactions lazily and deferred, and a transaction that has read and then
writes cannot wait for the write lock, so concurrent writers fail at once with "database is
locked". On SQLite we issue BEGIN ourselves: BEGIN IMMEDIATE for writer transactions (the
lock is taken up front and the busy timeout applies), plain BEGIN for readers, in WAL mode
so that readers and the writer do not block each other. Writer transactions of this process
also queue on one lock first: SQLite's busy handler polls, and with hundreds of threads some
would lose the race for longer than any timeout.
"""

import contextlib
import functools
import threading
import time

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy

from nova import exception
import nova.conf
from nova.db import guard

CONF = nova.conf.CONF

SQLITE_BUSY_TIMEOUT_MS = 30000

_lock = threading.Lock()
_managers = {}
# One for every SQLite file: a thread never holds one database's and waits for another's.
_sqlite_write_lock = threading.RLock()
# 'reader' or 'writer': the kind of transaction this thread is opening (read at BEGIN).
_transaction_mode = threading.local()


def _configured_manager(group):
    """The transaction context for [database] or [api_database], configured on first use."""
    manager = _managers.get(group)
    if manager is not None:
        return manager
    with _lock:
        manager = _managers.get(group)
        if manager is None:
            conf_group = CONF[group]
            if not conf_group.connection:
                raise exception.DBNotConfigured(group=group)
            manager = enginefacade.transaction_context()
            manager.configure(**_facade_options(conf_group))
            manager.append_on_engine_create(_ping_only_idle_connections)
            manager.append_on_engine_create(_prepare_sqlite)
            manager.append_on_engine_create(_prepare_postgresql)
            _managers[group] = manager
    return manager


def _facade_options(conf_group):
    options = {
        'connection': conf_group.connection,
        'slave_connection': conf_group.slave_connection,
        'sqlite_fk': True,
        'max_retries': conf_group.max_retries,
        'retry_interval': conf_group.retry_interval,
        'connection_recycle_time': conf_group.connection_recycle_time,
        'max_pool_size': conf_group.max_pool_size,
        'max_overflow': conf_group.max_overflow,
        'pool_timeout': conf_group.pool_timeout,
        'mysql_sql_mode': conf_group.mysql_sql_mode,
        'connection_debug': conf_group.connection_debug,
        # oslo.db's sleep(0) at every connection check-in is for eventlet; on native threads
        # it only hands the GIL away for a switch interval (5 ms) on every transaction.
        'thread_checkin': False,
    }
    return {k: v for k, v in options.items() if v is not None}


# A pooled connection used this recently is handed out without a ping.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_only_idle_connections(engine):
    """Ping a pooled connection on checkout only when it has sat idle.

    oslo.db turns on SQLAlchemy's pre-ping, a round trip to the server before every
    transaction: a fifth of nova-conductor's database round trips in a boot storm. A
    connection that was in use a moment ago is as good as the server is; one that has sat
    idle (the server may have restarted, a proxy may have cut it) is pinged, and replaced
    if the ping fails, as before. A server lost in between fails that transaction as it
    fails the ones in flight.
    """
    pool = engine.pool
    if not getattr(pool, '_pre_ping', False):
        return
    pool._pre_ping = False  # the pool's own switch; oslo.db gives no option for it

    @sqlalchemy.event.listens_for(engine, 'checkin')
    def on_checkin(dbapi_connection, record):
        if dbapi_connection is not None:
            record.info['checked_in'] = time.monotonic()

    @sqlalchemy.event.listens_for(engine, 'checkout')
    def on_checkout(dbapi_connection, record, _proxy):
        checked_in = record.info.get('checked_in')
        if checked_in is None or time.monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
            return  # a new connection, or one just used
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise sqlalchemy.exc.DisconnectionError(str(error)) from error


def _run_on_connect(engine, *statements):
    """Run ``statements`` first on every new connection of ``engine``."""
    @sqlalchemy.event.listens_for(engine, 'connect')
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for statement in statements:
            cursor.execute(statement)
        cursor.close()
        dbapi_connection.commit()  # PostgreSQL's SET opened a transaction

    # oslo.db has already opened (and pooled) a test connection without these settings.
    engine.pool.dispose()


def _prepare_postgresql(engine):
    """No JIT compilation on PostgreSQL, and readers' autocommit undone at check-in.

    Nova's statements are short OLTP queries. On tables whose statistics are not gathered
    yet the planner's estimates run high enough to JIT-compile a 50-row server list, which
    took 600 ms of compiling for a query that runs in half a millisecond.
    """
    if engine.dialect.name != 'postgresql':
        return
    _run_on_connect(engine, 'SET jit = off')

    @sqlalchemy.event.listens_for(engine, 'checkin')
    def end_autocommit(dbapi_connection, _record):
        # A reader's (_read_without_transaction); the pool's reset has run already.
        if dbapi_connection is not None and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False


def _prepare_sqlite(engine):
    """A busy timeout, WAL and BEGIN IMMEDIATE for writers on SQLite (see the module doc)."""
    if engine.dialect.name != 'sqlite':
        return
    _run_on_connect(engine, 'PRAGMA busy_timeout = %d' % SQLITE_BUSY_TIMEOUT_MS,
                    'PRAGMA journal_mode = WAL')

    @sqlalchemy.event.listens_for(engine, 'begin')
    def on_begin(connection):
        # oslo.db's own listener (always first: SQLAlchemy 2.1 ignores insert=True here)
        # has just sent a deferred BEGIN. Nothing has run in it yet, so a writer swaps it
        # for BEGIN IMMEDIATE at no cost.
        if getattr(_transaction_mode, 'mode', None) == 'writer':
            connection.exec_driver_sql('COMMIT')
            connection.exec_driver_sql('BEGIN IMMEDIATE')


def reset():
    """Forget configured engines (tests, and nova-manage switching databases)."""
    with _lock:
        for manager in _managers.values():
            try:
                manager.dispose_pool()
            except Exception:  # a never-started facade has no pool to dispose
                pass
        _managers.clear()


def get_engine(group='database'):
    guard.check()
    return _configured_manager(group).writer.get_engine()


def _is_sqlite(group):
    return CONF[group].connection.startswith('sqlite')


def _is_postgresql(group):
    return CONF[group].connection.startswith('postgresql')


def _read_without_transaction(context):
    """Run this reader's statements in autocommit mode (PostgreSQL).

    Under READ COMMITTED, PostgreSQL's default, every statement takes its own snapshot
    inside a transaction or out of it, so a read-only transaction adds nothing but two round
    trips (psycopg2's BEGIN and the ROLLBACK that ends a reader): as many again as a
    one-statement read. MariaDB's REPEATABLE READ does give a reader one snapshot, so it
    keeps its transaction. psycopg2's switch is client-side (SQLAlchemy's AUTOCOMMIT
    isolation level would cost a SET at check-in); _prepare_postgresql turns it off again
    before the connection goes back to the pool.
    """
    context.session.connection().connection.dbapi_connection.autocommit = True


def _transaction(group, mode):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(context, *args, **kwargs):
            guard.check()
            manager = _configured_manager(group)
            outer_mode = getattr(_transaction_mode, 'mode', None)
            # A nested call joins the outer transaction, so the outer kind stands.
            _transaction_mode.mode = outer_mode or mode
            queue = (_sqlite_write_lock if mode == 'writer' and _is_sqlite(group)
                     else contextlib.nullcontext())
            try:
                with queue, getattr(manager, mode).using(context):
                    if outer_mode is None and mode == 'reader' and _is_postgresql(group):
                        _read_without_transaction(context)
                    return func(context, *args, **kwargs)
            finally:
                _transaction_mode.mode = outer_mode
        return wrapper
    return decorator


main_reader = _transaction('database', 'reader')
main_writer = _transaction('database', 'writer')
api_reader = _transaction('api_database', 'reader')
api_writer = _transaction('api_database', 'writer')
