"""The enginefacade contexts of the main (cell) and API databases.

Query functions decorate themselves with ``main_reader``/``main_writer`` (or the ``api_*``
pair). Each decorator checks the guard first, then opens (or joins) a transaction on the
context passed as the function's first argument, available as ``context.session``.
"""

import functools
import threading

from oslo_db.sqlalchemy import enginefacade

from nova import exception
import nova.conf
from nova.db import guard

CONF = nova.conf.CONF

_lock = threading.Lock()
_managers = {}


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
    }
    return {k: v for k, v in options.items() if v is not None}


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


def _transaction(group, mode):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(context, *args, **kwargs):
            guard.check()
            manager = _configured_manager(group)
            with getattr(manager, mode).using(context):
                return func(context, *args, **kwargs)
        return wrapper
    return decorator


main_reader = _transaction('database', 'reader')
main_writer = _transaction('database', 'writer')
api_reader = _transaction('api_database', 'reader')
api_writer = _transaction('api_database', 'writer')
