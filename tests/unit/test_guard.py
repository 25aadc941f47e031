import pytest

from nova import exception
from nova.db import engines
from nova.db import guard


def test_database_refused_unless_allowed(conf, tmp_path):
    conf.set_override('connection', 'sqlite:///%s/x.sqlite' % tmp_path, group='database')
    guard.disallow_database_access()
    engines.reset()
    with pytest.raises(exception.DBNotAllowed):
        engines.get_engine('database')

    @engines.main_reader
    def query(context):
        return 'ran'

    from nova import context
    with pytest.raises(exception.DBNotAllowed):
        query(context.get_admin_context())
    guard.allow_database_access('tests')
    try:
        assert query(context.get_admin_context()) == 'ran'
    finally:
        guard.disallow_database_access()
        engines.reset()


def test_unconfigured_database_says_which(conf):
    guard.allow_database_access('tests')
    engines.reset()
    try:
        with pytest.raises(exception.DBNotConfigured, match='api_database'):
            engines.get_engine('api_database')
    finally:
        guard.disallow_database_access()
