"""nova-status: is this deployment ready for (or healthy after) an upgrade?

``nova-status upgrade check`` runs the checks below against the configured databases and
prints oslo.upgradecheck's table. Exit codes are oslo.upgradecheck's: 0 success, 1 warning,
2 failure, 255 an unexpected error. Every check inspects the deployment itself.
"""

import sys

from oslo_db import exception as db_exc
from oslo_upgradecheck import upgradecheck

from nova import context as nova_context
from nova import exception
from nova import servicegroup
import nova.conf
from nova.db import guard
from nova.db import migration
from nova.i18n import _
from nova.objects import service as service_obj

CONF = nova.conf.CONF
BINARY = 'nova-status'

# database name -> the nova-manage category that syncs it
SYNC_COMMANDS = {'main': 'db', 'api': 'api_db'}
TITLES = {'main': 'main', 'api': 'API'}


def _schema_problem(database):
    """Why ``database`` is not usable at the code's schema, or None when it is."""
    group, _path = migration.DATABASES[database]
    command = f'nova-manage {SYNC_COMMANDS[database]} sync'
    try:
        current = migration.db_version(database)
    except exception.DBNotConfigured:
        return _('[%(group)s]/connection is not set, so the %(db)s database cannot be '
                 'checked.') % {'group': group, 'db': TITLES[database]}
    except db_exc.DBError as error:
        return _('Cannot read the %(db)s database ([%(group)s]/connection): %(error)s') % {
            'db': TITLES[database], 'group': group, 'error': error}
    head = migration.db_head(database)
    if current == head:
        return None
    if current is None:
        return _('The %(db)s database has no schema: run "%(cmd)s".') % {
            'db': TITLES[database], 'cmd': command}
    return exception.DatabaseAtOldVersion(
        database=TITLES[database], current=current, head=head,
        command=SYNC_COMMANDS[database]).format_message()


def _main_database_unusable():
    """A failure result for checks that read service records, or None when they can run."""
    if _schema_problem('main') is None:
        return None
    return upgradecheck.Result(
        upgradecheck.Code.FAILURE,
        _('Not checked: the main database is not at the current schema (see "Database '
          'schemas").'))


def _describe(service):
    return f'{service.binary} on {service.host} (version {service.version})'


class UpgradeCommands(upgradecheck.UpgradeCommands):
    """The checks of ``nova-status upgrade check``."""

    def _check_database_schemas(self):
        problems = [problem for problem in map(_schema_problem, migration.DATABASES)
                    if problem is not None]
        if problems:
            return upgradecheck.Result(upgradecheck.Code.FAILURE, ' '.join(problems))
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    def _check_compute_services(self):
        unusable = _main_database_unusable()
        if unusable is not None:
            return unusable
        ctxt = nova_context.get_admin_context()
        computes = [service for service in service_obj.ServiceList.get_all(ctxt)
                    if service.binary == 'nova-compute']
        if not computes:
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                _('No nova-compute service has ever started, so no instance can be '
                  'scheduled. Start nova-compute on at least one host.'))
        down = sorted(s.host for s in computes if not servicegroup.service_is_up(s))
        if len(down) == len(computes):
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                _('No nova-compute service is up; down on: %s. Check that nova-compute '
                  'runs on those hosts and reaches the message bus.') % ', '.join(down))
        if down:
            return upgradecheck.Result(
                upgradecheck.Code.SUCCESS,
                _('nova-compute is down on: %s.') % ', '.join(down))
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    def _check_service_versions(self):
        unusable = _main_database_unusable()
        if unusable is not None:
            return unusable
        ctxt = nova_context.get_admin_context()
        # Services older than this cannot talk to this code.
        oldest_supported = service_obj.OLDEST_SUPPORTED_SERVICE_VERSION
        # Forced-down services do not count: they run nothing (as get_minimum_version sees).
        live = [s for s in service_obj.ServiceList.get_all(ctxt) if not s.forced_down]
        too_old = []
        for binary in sorted({service.binary for service in live}):
            if service_obj.Service.get_minimum_version(ctxt, binary) < oldest_supported:
                too_old.extend(_describe(s) for s in live
                               if s.binary == binary and s.version < oldest_supported)
        if too_old:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                _('This code supports services at version %(oldest)s or newer; these are '
                  'older: %(old)s. Upgrade them (or remove their records with the '
                  'os-services API) first.') % {
                      'oldest': oldest_supported, 'old': ', '.join(too_old)})
        too_new = [_describe(s) for s in live if s.version > service_obj.SERVICE_VERSION]
        if too_new:
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                _('These services run newer code (version above %(mine)s) than this '
                  'nova-status knows: %(new)s.') % {
                      'mine': service_obj.SERVICE_VERSION, 'new': ', '.join(too_new)})
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    _upgrade_checks = (
        (_('Database schemas'), _check_database_schemas),
        (_('Compute services'), _check_compute_services),
        (_('Service versions'), _check_service_versions),
    )


def main(argv=None):
    guard.allow_database_access(BINARY)
    return upgradecheck.main(CONF, project='nova',
                             upgrade_command=UpgradeCommands(),
                             argv=sys.argv[1:] if argv is None else argv)


if __name__ == '__main__':
    sys.exit(main())
