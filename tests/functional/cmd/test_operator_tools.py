"""nova-manage and nova-status run as operators run them: a process, a config file, SQLite.

Each test writes its own nova.conf under tmp_path and runs ``python -m nova.cmd.<tool>``
(the modules behind the console scripts) from the source tree.
"""

import json
import os
import pathlib
import subprocess
import sys

from oslo_utils import uuidutils
import pytest
import sqlalchemy as sa

from nova.db import migration
from tests import databases

SOURCE_TREE = pathlib.Path(__file__).resolve().parents[3]


def write_config(tmp_path, main_url, api_url, extra=''):
    path = tmp_path / 'nova.conf'
    path.write_text('[DEFAULT]\n%s\n[database]\nconnection = %s\n'
                    '[api_database]\nconnection = %s\n' % (extra, main_url, api_url))
    return path


@pytest.fixture
def config(tmp_path):
    return write_config(tmp_path, 'sqlite:///%s/main.sqlite' % tmp_path,
                        'sqlite:///%s/api.sqlite' % tmp_path)


def run(tool, config, *argv):
    env = dict(os.environ, PYTHONPATH=str(SOURCE_TREE))
    return subprocess.run(
        [sys.executable, '-m', 'nova.cmd.%s' % tool, '--config-file', str(config), *argv],
        capture_output=True, text=True, cwd=SOURCE_TREE, env=env, timeout=120)


def manage(config, *argv):
    return run('manage', config, *argv)


def status(config, *argv):
    return run('status', config, 'upgrade', 'check', *argv)


def synced(config):
    for category in ('db', 'api_db'):
        result = manage(config, category, 'sync')
        assert result.returncode == 0, result.stdout + result.stderr
    return config


def add_service(tmp_path, host, binary, **values):
    """Insert a service record the way a starting daemon would, without one running."""
    engine = sa.create_engine('sqlite:///%s/main.sqlite' % tmp_path)
    row = dict(uuid=uuidutils.generate_uuid(), host=host, binary=binary,
               topic=binary.split('-', 1)[-1], report_count=0, disabled=False,
               forced_down=False, version=1, deleted=0,
               created_at=sa.func.current_timestamp())
    row.update(values)
    services = sa.Table('services', sa.MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        connection.execute(services.insert().values(**row))
    engine.dispose()


# -- nova-manage db / api_db / version -------------------------------------------------------

def test_db_sync_and_version_on_empty_databases(config):
    for category, database in (('db', 'main'), ('api_db', 'api')):
        result = manage(config, category, 'version')
        assert (result.returncode, result.stdout) == (0, 'None\n')
        result = manage(config, category, 'sync')
        assert (result.returncode, result.stdout) == (0, '')
        result = manage(config, category, 'version')
        assert (result.returncode, result.stdout) == (0, migration.db_head(database) + '\n')


def test_db_sync_without_connection_is_a_one_line_error(tmp_path):
    config = tmp_path / 'nova.conf'
    config.write_text('[DEFAULT]\n')
    result = manage(config, 'api_db', 'sync')
    assert result.returncode == 1
    assert result.stdout == (
        'error: No api_database connection is configured ([api_database]/connection).\n')


def test_db_sync_to_unknown_revision_exits_1(config):
    result = manage(config, 'db', 'sync', 'nosuchrevision')
    assert result.returncode == 1
    assert result.stdout.startswith('error: cannot sync the main database to nosuchrevision')


def test_usage_errors_exit_2(config):
    result = manage(config, 'db')
    assert result.returncode == 2 and 'usage:' in result.stderr


def test_version(config):
    from nova import version
    result = manage(config, 'version')
    assert (result.returncode, result.stdout) == (0, version.version_string() + '\n')


# -- nova-manage service ---------------------------------------------------------------------

def test_service_list_disable_enable(tmp_path, config):
    synced(config)
    add_service(tmp_path, 'edge1', 'nova-compute')
    add_service(tmp_path, 'edge1', 'nova-conductor')
    add_service(tmp_path, 'edge2', 'nova-compute', created_at=sa.text("'2000-01-01 00:00:00'"))

    result = manage(config, 'service', 'list')
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ['Binary', 'Host', 'Zone', 'Status', 'State', 'Updated_At',
                                'Forced', 'down']
    rows = sorted(line.split()[:5] for line in lines[1:])
    assert rows == [['nova-compute', 'edge1', 'nova', 'enabled', ':-)'],
                    ['nova-compute', 'edge2', 'nova', 'enabled', 'XXX'],
                    ['nova-conductor', 'edge1', 'internal', 'enabled', ':-)']]

    result = manage(config, 'service', 'disable', 'edge1', 'nova-compute', '--reason', 'fan')
    assert (result.returncode, result.stdout) == (
        0, 'Service nova-compute on host edge1 disabled.\n')
    result = manage(config, 'service', 'list', '--host', 'edge1')
    rows = sorted(line.split()[:4] for line in result.stdout.splitlines()[1:])
    assert rows == [['nova-compute', 'edge1', 'nova', 'disabled'],
                    ['nova-conductor', 'edge1', 'internal', 'enabled']]

    result = manage(config, 'service', 'enable', 'edge1', 'nova-compute')
    assert (result.returncode, result.stdout) == (
        0, 'Service nova-compute on host edge1 enabled.\n')
    result = manage(config, 'service', 'list', '--host', 'edge1')
    assert 'disabled' not in result.stdout


def test_service_enable_unknown_exits_2(config):
    synced(config)
    result = manage(config, 'service', 'enable', 'nohost', 'nova-compute')
    assert (result.returncode, result.stdout) == (
        2, 'error: Could not find binary nova-compute on host nohost.\n')


def test_service_list_on_unsynced_database_exits_255_with_the_error(config):
    result = manage(config, 'service', 'list')
    assert result.returncode == 255
    assert 'An error has occurred' in result.stdout and 'services' in result.stdout


# -- nova-status upgrade check ---------------------------------------------------------------

def test_status_fails_on_unsynced_databases(config):
    result = status(config)
    assert result.returncode == 2, result.stdout + result.stderr
    assert 'Result: Failure' in result.stdout
    assert 'nova-manage db sync' in result.stdout


def test_status_warns_without_a_compute_service_up(tmp_path, config):
    synced(config)
    result = status(config)
    assert result.returncode == 1, result.stdout + result.stderr
    add_service(tmp_path, 'edge2', 'nova-compute', created_at=sa.text("'2000-01-01 00:00:00'"))
    result = status(config)
    assert result.returncode == 1
    assert 'down on: edge2' in result.stdout


def test_status_passes_with_a_fresh_compute_service(tmp_path, config):
    synced(config)
    add_service(tmp_path, 'edge1', 'nova-compute')
    result = status(config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count('Result: Success') == 3


def test_status_json_output(tmp_path, config):
    synced(config)
    add_service(tmp_path, 'edge1', 'nova-compute')
    result = status(config, '--json')
    assert result.returncode == 0
    checks = json.loads(result.stdout)['checks']
    assert [c['check'] for c in checks] == ['Database schemas', 'Compute services',
                                            'Service versions']
    assert {c['result'] for c in checks} == {0}


def test_status_with_an_unreadable_database_fails(tmp_path):
    config = write_config(tmp_path, 'sqlite:////nonexistent/dir/main.sqlite',
                          'sqlite:////nonexistent/dir/api.sqlite')
    result = status(config)
    assert result.returncode == 2, result.stdout + result.stderr
    assert 'Cannot read the main database' in result.stdout


# -- real servers ----------------------------------------------------------------------------

@pytest.mark.parametrize('backend', ['postgresql', 'mysql'])
def test_db_sync_on_a_server_database(tmp_path, backend):
    if not databases.server_available(backend):
        pytest.skip('%s server not reachable' % backend)
    with databases.temporary_database(backend, tmp_path) as main_url, \
            databases.temporary_database(backend, tmp_path) as api_url:
        config = write_config(tmp_path, main_url, api_url)
        for category, database in (('db', 'main'), ('api_db', 'api')):
            result = manage(config, category, 'sync')
            assert result.returncode == 0, result.stdout + result.stderr
            result = manage(config, category, 'version')
            assert result.stdout == migration.db_head(database) + '\n'
        result = status(config)
        assert result.returncode == 1, result.stdout  # schemas fine, no compute yet
        assert 'No nova-compute service has ever started' in result.stdout
