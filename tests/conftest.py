"""Fixtures shared by every test suite."""

from oslo_config import fixture as config_fixture
import pytest

from nova import objects
from nova import policy
import nova.conf
from nova.db import engines
from nova.db import guard
from nova.db import migration
from tests import databases

objects.register_all()


@pytest.fixture
def conf():
    """nova's global CONF, with every override undone after the test."""
    fixture = config_fixture.Config(nova.conf.CONF)
    fixture.setUp()
    yield nova.conf.CONF
    fixture.cleanUp()
    policy.reset()  # a test's policy file or [oslo_policy] overrides die with it


def _use_databases(conf, main_url, api_url):
    conf.set_override('connection', main_url, group='database')
    conf.set_override('connection', api_url, group='api_database')
    engines.reset()
    guard.allow_database_access('tests')
    migration.db_sync('main')
    migration.db_sync('api')


def _release_databases():
    engines.reset()
    guard.disallow_database_access()


@pytest.fixture
def database(conf, tmp_path):
    """Both databases migrated to head on SQLite files, DB access allowed."""
    _use_databases(conf, 'sqlite:///%s/main.sqlite' % tmp_path,
                   'sqlite:///%s/api.sqlite' % tmp_path)
    yield
    _release_databases()


@pytest.fixture(params=databases.BACKENDS)
def any_database(request, conf, tmp_path):
    """Both databases migrated to head on SQLite, PostgreSQL and MariaDB in turn."""
    backend = request.param
    if not databases.server_available(backend):
        pytest.skip('%s server not reachable' % backend)
    with databases.temporary_database(backend, tmp_path) as main_url, \
            databases.temporary_database(backend, tmp_path) as api_url:
        _use_databases(conf, main_url, api_url)
        try:
            yield backend
        finally:
            _release_databases()
