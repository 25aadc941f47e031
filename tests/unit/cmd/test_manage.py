"""nova-manage: argument parsing (on a private config) and each command against SQLite."""

import datetime

from oslo_config import cfg
from oslo_utils import timeutils
import pytest

from nova import context as nova_context
from nova import version
from nova.cmd import manage
from nova.db import engines
from nova.db import guard
from nova.db import migration
from nova.objects import service as service_obj


def parse(argv, *extra_opts):
    conf = cfg.ConfigOpts()
    conf.register_opts(list(extra_opts))
    conf.register_cli_opt(manage.category_opt)
    conf(argv, project='nova', default_config_files=[])
    return manage.chosen_action(conf)


# -- parsing ---------------------------------------------------------------------------------

def test_db_sync_takes_an_optional_version():
    func, kwargs = parse(['db', 'sync'])
    assert func.__func__ is manage.DbCommands.sync
    assert func.__self__.database == 'main'
    assert kwargs == {'version': None}
    func, kwargs = parse(['db', 'sync', '8f2a1c3b7d10'])
    assert kwargs == {'version': '8f2a1c3b7d10'}


def test_api_db_commands_work_on_the_api_database():
    func, kwargs = parse(['api_db', 'version'])
    assert func.__func__ is manage.DbCommands.version
    assert func.__self__.database == 'api'
    assert kwargs == {}


def test_service_arguments_do_not_clash_with_options_of_the_same_name():
    # [DEFAULT]/host exists in nova's config; the "host" argument must still be HOST.
    func, kwargs = parse(['service', 'disable', 'h1', 'nova-compute', '--reason', 'broken'],
                         cfg.StrOpt('host', default='me'))
    assert func.__func__ is manage.ServiceCommands.disable
    assert kwargs == {'host': 'h1', 'binary': 'nova-compute', 'reason': 'broken'}


def test_service_list_host_filter_is_optional():
    assert parse(['service', 'list'])[1] == {'host': None}
    assert parse(['service', 'list', '--host', 'h1'])[1] == {'host': 'h1'}


def test_version_category_has_no_action():
    func, kwargs = parse(['version'])
    assert func is manage.print_version and kwargs == {}


@pytest.mark.parametrize('argv', [['db'], ['nosuch', 'list'], ['service', 'enable', 'h1'],
                                  ['db', 'drop']])
def test_incomplete_or_unknown_commands_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse(argv)
    assert exit_info.value.code == 2
    assert 'usage:' in capsys.readouterr().err


def test_print_version(capsys):
    assert manage.print_version() == 0
    assert capsys.readouterr().out == version.version_string() + '\n'


# -- database schema commands ----------------------------------------------------------------

@pytest.fixture
def empty_databases(conf, tmp_path):
    conf.set_override('connection', 'sqlite:///%s/main.sqlite' % tmp_path, group='database')
    conf.set_override('connection', 'sqlite:///%s/api.sqlite' % tmp_path,
                      group='api_database')
    engines.reset()
    guard.allow_database_access('nova-manage')
    yield
    engines.reset()
    guard.disallow_database_access()


@pytest.mark.parametrize('commands', [manage.DbCommands, manage.ApiDbCommands])
def test_version_of_an_empty_database_is_none(empty_databases, commands, capsys):
    assert manage.run(commands().version, {}) == 0
    assert capsys.readouterr().out == 'None\n'


@pytest.mark.parametrize('commands', [manage.DbCommands, manage.ApiDbCommands])
def test_sync_reaches_head_and_version_prints_it(empty_databases, commands, capsys):
    assert manage.run(commands().sync, {'version': None}) == 0
    assert manage.run(commands().sync, {'version': None}) == 0  # idempotent
    assert manage.run(commands().version, {}) == 0
    head = migration.db_head(commands.database)
    assert head and capsys.readouterr().out == head + '\n'


def test_sync_to_an_unknown_revision_fails_and_changes_nothing(empty_databases, capsys):
    assert manage.run(manage.DbCommands().sync, {'version': 'nosuchrevision'}) == 1
    out = capsys.readouterr().out
    assert out.startswith('error: cannot sync the main database to nosuchrevision')
    assert migration.db_version('main') is None


@pytest.mark.parametrize('commands, group', [(manage.DbCommands, 'database'),
                                             (manage.ApiDbCommands, 'api_database')])
def test_unset_connection_is_a_one_line_error(conf, commands, group, capsys):
    conf.set_override('connection', None, group=group)
    engines.reset()
    guard.allow_database_access('nova-manage')
    try:
        assert manage.run(commands().version, {}) == 1
    finally:
        guard.disallow_database_access()
    out = capsys.readouterr().out
    assert out == 'error: No %s connection is configured ([%s]/connection).\n' % (group, group)


def test_unexpected_errors_print_a_traceback_and_return_255(capsys):
    def broken():
        raise RuntimeError('boom')

    assert manage.run(broken, {}) == 255
    out = capsys.readouterr().out
    assert out.startswith('An error has occurred:\nTraceback')
    assert 'RuntimeError: boom' in out


# -- service commands ------------------------------------------------------------------------

@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_service(ctx, host, binary, **kwargs):
    service = service_obj.Service(context=ctx, host=host, binary=binary,
                                  topic=binary.split('-', 1)[-1], **kwargs)
    service.create()
    return service


def listed_rows(capsys):
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ['Binary', 'Host', 'Zone', 'Status', 'State', 'Updated_At',
                                'Forced', 'down']
    return [line.split() for line in lines[1:]]


def test_list_shows_zone_status_state_and_forced_down(ctx, conf, capsys):
    conf.set_override('default_availability_zone', 'edge')
    make_service(ctx, 'host1', 'nova-compute')
    make_service(ctx, 'host1', 'nova-scheduler', disabled=True, disabled_reason='maint')
    stale = make_service(ctx, 'host2', 'nova-compute')
    stale.last_seen_up = timeutils.utcnow() - datetime.timedelta(hours=1)
    stale.save()
    make_service(ctx, 'host3', 'nova-compute', forced_down=True)

    assert manage.ServiceCommands().list() == 0
    rows = {(row[0], row[1]): row for row in listed_rows(capsys)}
    assert rows[('nova-compute', 'host1')][2:5] == ['edge', 'enabled', ':-)']
    assert rows[('nova-scheduler', 'host1')][2:5] == ['internal', 'disabled', ':-)']
    assert rows[('nova-compute', 'host2')][2:5] == ['edge', 'enabled', 'XXX']
    assert rows[('nova-compute', 'host3')][4] == 'XXX'
    assert rows[('nova-compute', 'host3')][-1] == 'True'
    assert rows[('nova-compute', 'host1')][-1] == 'False'
    # updated_at: None for a never-updated record, a timestamp once saved
    assert rows[('nova-compute', 'host1')][5] == 'None'
    assert rows[('nova-compute', 'host2')][5].startswith(str(timeutils.utcnow().year))


def test_list_filters_by_host(ctx, capsys):
    make_service(ctx, 'host1', 'nova-compute')
    make_service(ctx, 'host2', 'nova-compute')
    assert manage.ServiceCommands().list(host='host2') == 0
    assert [row[1] for row in listed_rows(capsys)] == ['host2']
    assert manage.ServiceCommands().list(host='nosuchhost') == 0
    assert listed_rows(capsys) == []


def test_disable_with_reason_then_enable(ctx, capsys):
    make_service(ctx, 'host1', 'nova-compute')
    commands = manage.ServiceCommands()

    assert commands.disable('host1', 'nova-compute', reason='disk failing') == 0
    assert capsys.readouterr().out == 'Service nova-compute on host host1 disabled.\n'
    service = service_obj.Service.get_by_host_and_binary(ctx, 'host1', 'nova-compute')
    assert service.disabled is True and service.disabled_reason == 'disk failing'

    assert commands.enable('host1', 'nova-compute') == 0
    assert capsys.readouterr().out == 'Service nova-compute on host host1 enabled.\n'
    service = service_obj.Service.get_by_host_and_binary(ctx, 'host1', 'nova-compute')
    assert service.disabled is False and service.disabled_reason is None


@pytest.mark.parametrize('action', ['enable', 'disable'])
@pytest.mark.parametrize('host, binary', [('nohost', 'nova-compute'),
                                          ('host1', 'nova-conductor')])
def test_unknown_host_or_binary_exits_2(ctx, capsys, action, host, binary):
    make_service(ctx, 'host1', 'nova-compute')
    assert getattr(manage.ServiceCommands(), action)(host, binary) == 2
    assert capsys.readouterr().out == (
        'error: Could not find binary %s on host %s.\n' % (binary, host))


def test_overlong_reason_is_refused_and_changes_nothing(ctx, capsys):
    make_service(ctx, 'host1', 'nova-compute')
    assert manage.ServiceCommands().disable('host1', 'nova-compute', reason='x' * 256) == 1
    assert 'longer than 255 characters' in capsys.readouterr().out
    service = service_obj.Service.get_by_host_and_binary(ctx, 'host1', 'nova-compute')
    assert service.disabled is False and service.disabled_reason is None
