"""What nova's engines set up on each backend."""

import pytest

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
