"""nova-status upgrade check: each check against real SQLite databases."""

import datetime

from oslo_upgradecheck import upgradecheck
from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova.cmd import status
from nova.db import engines
from nova.db import guard
from nova.db import migration
from nova.objects import service as service_obj

Code = upgradecheck.Code


def run_check(name):
    return getattr(status.UpgradeCommands(), '_check_' + name)()


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_service(ctx, host, binary='nova-compute', **kwargs):
    service = service_obj.Service(context=ctx, host=host, binary=binary,
                                  topic=binary.split('-', 1)[-1], **kwargs)
    service.create()
    return service


def make_stale(service):
    service.last_seen_up = timeutils.utcnow() - datetime.timedelta(hours=1)
    service.save()


@pytest.fixture
def unsynced(conf, tmp_path):
    """Both connections set, to empty SQLite files."""
    conf.set_override('connection', 'sqlite:///%s/main.sqlite' % tmp_path, group='database')
    conf.set_override('connection', 'sqlite:///%s/api.sqlite' % tmp_path,
                      group='api_database')
    engines.reset()
    guard.allow_database_access('nova-status')
    yield
    engines.reset()
    guard.disallow_database_access()


# -- database schemas ------------------------------------------------------------------------

def test_schemas_at_head_pass(ctx):
    assert run_check('database_schemas').code == Code.SUCCESS


def test_empty_databases_fail_naming_the_sync_commands(unsynced):
    result = run_check('database_schemas')
    assert result.code == Code.FAILURE
    assert 'main database has no schema: run "nova-manage db sync"' in result.details
    assert 'API database has no schema: run "nova-manage api_db sync"' in result.details
    # the service checks cannot run, and say so instead of erroring out
    for name in ('compute_services', 'service_versions'):
        result = run_check(name)
        assert result.code == Code.FAILURE and 'Not checked' in result.details


def test_only_api_database_unsynced_fails_for_it_alone(unsynced):
    migration.db_sync('main')
    result = run_check('database_schemas')
    assert result.code == Code.FAILURE
    assert 'nova-manage api_db sync' in result.details
    assert 'nova-manage db sync' not in result.details
    assert run_check('compute_services').code == Code.WARNING  # main is usable


def test_unset_connection_fails(conf):
    conf.set_override('connection', None, group='database')
    conf.set_override('connection', None, group='api_database')
    engines.reset()
    guard.allow_database_access('nova-status')
    try:
        result = run_check('database_schemas')
    finally:
        guard.disallow_database_access()
    assert result.code == Code.FAILURE
    assert '[database]/connection is not set' in result.details
    assert '[api_database]/connection is not set' in result.details


# -- compute services ------------------------------------------------------------------------

def test_no_compute_service_warns(ctx):
    make_service(ctx, 'ctl', 'nova-scheduler')
    result = run_check('compute_services')
    assert result.code == Code.WARNING
    assert 'No nova-compute service has ever started' in result.details


def test_all_computes_down_warns_naming_the_hosts(ctx):
    make_stale(make_service(ctx, 'host2'))
    make_service(ctx, 'host1', forced_down=True)
    make_service(ctx, 'ctl', 'nova-scheduler')  # up, but not a compute
    result = run_check('compute_services')
    assert result.code == Code.WARNING
    assert 'No nova-compute service is up; down on: host1, host2.' in result.details


def test_one_compute_up_passes_and_mentions_the_down_ones(ctx):
    make_service(ctx, 'host1')
    assert run_check('compute_services').code == Code.SUCCESS
    assert run_check('compute_services').details is None
    make_stale(make_service(ctx, 'host2'))
    result = run_check('compute_services')
    assert result.code == Code.SUCCESS
    assert result.details == 'nova-compute is down on: host2.'


# -- service versions ------------------------------------------------------------------------

def test_services_at_the_code_version_pass(ctx):
    make_service(ctx, 'host1')
    make_service(ctx, 'ctl', 'nova-conductor')
    assert run_check('service_versions').code == Code.SUCCESS


def test_no_services_pass(ctx):
    assert run_check('service_versions').code == Code.SUCCESS


def test_services_older_than_the_code_supports_fail(ctx, monkeypatch):
    make_service(ctx, 'host1')
    make_service(ctx, 'ctl', 'nova-conductor')
    # The code moves on: it now needs version SERVICE_VERSION + 1 of everyone.
    monkeypatch.setattr(service_obj, 'SERVICE_VERSION', service_obj.SERVICE_VERSION + 1)
    monkeypatch.setattr(service_obj, 'OLDEST_SUPPORTED_SERVICE_VERSION',
                        service_obj.SERVICE_VERSION, raising=False)
    result = run_check('service_versions')
    assert result.code == Code.FAILURE
    old = service_obj.SERVICE_VERSION - 1
    assert 'nova-compute on host1 (version %d)' % old in result.details
    assert 'nova-conductor on ctl (version %d)' % old in result.details


def test_forced_down_old_services_do_not_count(ctx):
    service = make_service(ctx, 'host1', forced_down=True)
    service.version = service_obj.SERVICE_VERSION - 1
    service.save()
    assert run_check('service_versions').code == Code.SUCCESS


def test_services_newer_than_this_code_warn(ctx):
    service = make_service(ctx, 'host1')
    service.version = service_obj.SERVICE_VERSION + 1
    service.save()
    result = run_check('service_versions')
    assert result.code == Code.WARNING
    assert 'nova-compute on host1' in result.details


# -- the whole command -----------------------------------------------------------------------

def test_check_returns_the_worst_code_and_prints_the_table(ctx, capsys):
    assert status.UpgradeCommands().check() == Code.WARNING  # no compute yet
    make_service(ctx, 'host1')
    assert status.UpgradeCommands().check() == Code.SUCCESS
    out = capsys.readouterr().out
    for name in ('Database schemas', 'Compute services', 'Service versions'):
        assert 'Check: %s' % name in out
