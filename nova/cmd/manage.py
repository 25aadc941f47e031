"""nova-manage: the operator's tool for nova's database schemas and service records.

    nova-manage db sync [VERSION]          nova-manage db version
    nova-manage api_db sync [VERSION]      nova-manage api_db version
    nova-manage service list [--host HOST]
    nova-manage service enable HOST BINARY
    nova-manage service disable HOST BINARY [--reason REASON]
    nova-manage identity fernet_setup      nova-manage identity fernet_rotate
    nova-manage identity bootstrap --bootstrap-password PASSWORD [...]
    nova-manage version

Exit codes as upstream: 0 done, 1 the command could not do its job (bad input, database not
configured or unreachable), 2 no such service, 255 an unexpected error (traceback printed).
"""

import os
import sys
import traceback

from alembic import util as alembic_util
from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from nova import context as nova_context
from nova import exception
from nova import servicegroup
from nova import version
import nova.conf
from nova.db import guard
from nova.db import migration
from nova.i18n import _
from nova.identity import bootstrap as identity_bootstrap
from nova.identity import keys as identity_keys
from nova.objects import service as service_obj

CONF = nova.conf.CONF
BINARY = 'nova-manage'

# Argument values live in oslo.config's namespace beside every option; the prefix keeps an
# argument such as "host" from colliding with the [DEFAULT]/host option.
_ARG_PREFIX = 'action_kwarg_'

# Longest disabled_reason the services table (and the os-services API) accepts.
MAX_REASON_LENGTH = 255


def args(*names, **kwargs):
    """Declare a command-line argument of an action; decorators apply top to bottom."""
    def decorator(func):
        func.__dict__.setdefault('cli_args', []).insert(0, (names, kwargs))
        return func
    return decorator


class DbCommands:
    """Schema of the main (cell) database."""

    database = 'main'
    group = 'database'

    @args('version', metavar='VERSION', nargs='?',
          help='Alembic revision to upgrade to (default: the newest)')
    def sync(self, version=None):
        """Upgrade the database schema to VERSION (default: the newest)."""
        try:
            migration.db_sync(self.database, version)
        except alembic_util.CommandError as error:
            print(_('error: cannot sync the %(db)s database to %(version)s: %(error)s') % {
                'db': self.database, 'version': version, 'error': error})
            return 1
        return 0

    def version(self):
        """Print the alembic revision the database schema is at ("None" when empty)."""
        print(migration.db_version(self.database))
        return 0


class ApiDbCommands(DbCommands):
    """Schema of the API database."""

    database = 'api'
    group = 'api_database'


class ServiceCommands:
    """List, enable and disable service records."""

    @args('--host', metavar='HOST', help='Only the services of this host')
    def list(self, host=None):
        """Show every service with its zone, status and liveness."""
        ctxt = nova_context.get_admin_context()
        if host:
            services = service_obj.ServiceList.get_by_host(ctxt, host)
        else:
            services = service_obj.ServiceList.get_all(ctxt)
        row = '%-16s %-36s %-16s %-10s %-5s %-26s %s'
        print(row % (_('Binary'), _('Host'), _('Zone'), _('Status'), _('State'),
                     _('Updated_At'), _('Forced down')))
        for service in services:
            print(row % (service.binary, service.host, availability_zone(service),
                         'disabled' if service.disabled else 'enabled',
                         ':-)' if servicegroup.service_is_up(service) else 'XXX',
                         _timestamp(service.updated_at), service.forced_down))
        return 0

    @args('host', metavar='HOST', help='Host of the service')
    @args('binary', metavar='BINARY', help='Service binary, e.g. nova-compute')
    def enable(self, host, binary):
        """Let the scheduler use a service again."""
        service = self._get(host, binary)
        if service is None:
            return 2
        service.disabled = False
        service.disabled_reason = None
        service.save()
        print(_('Service %(service)s on host %(host)s enabled.') %
              {'service': binary, 'host': host})
        return 0

    @args('host', metavar='HOST', help='Host of the service')
    @args('binary', metavar='BINARY', help='Service binary, e.g. nova-compute')
    @args('--reason', metavar='REASON', help='Why the service is disabled (shown by the API)')
    def disable(self, host, binary, reason=None):
        """Stop the scheduler from choosing a service."""
        if reason is not None and len(reason) > MAX_REASON_LENGTH:
            print(_('error: the reason is longer than %d characters.') % MAX_REASON_LENGTH)
            return 1
        service = self._get(host, binary)
        if service is None:
            return 2
        service.disabled = True
        service.disabled_reason = reason
        service.save()
        print(_('Service %(service)s on host %(host)s disabled.') %
              {'service': binary, 'host': host})
        return 0

    @staticmethod
    def _get(host, binary):
        ctxt = nova_context.get_admin_context()
        service = service_obj.Service.get_by_host_and_binary(ctxt, host, binary)
        if service is None:
            print(_('error: %s') % exception.HostBinaryNotFound(host=host, binary=binary))
        return service


class IdentityCommands:
    """The built-in identity service: Fernet keys and the first admin."""

    def fernet_setup(self):
        """Create the Fernet key repository ([identity] key_repository) if it is empty."""
        path = CONF.identity.key_repository
        if identity_keys.setup(path):
            print(_('Created Fernet keys in %s') % path)
        else:
            print(_('Fernet keys already exist in %s; nothing done') % path)
        return 0

    def fernet_rotate(self):
        """Promote the staged key to primary, stage a new one, drop the oldest."""
        try:
            primary = identity_keys.rotate(CONF.identity.key_repository)
        except exception.IdentityKeyRepositoryError as error:
            print(_('error: %s') % error.format_message())
            return 1
        print(_('Key %(number)d is now the primary key in %(path)s') % {
            'number': primary, 'path': CONF.identity.key_repository})
        return 0

    @args('--bootstrap-password', metavar='PASSWORD',
          help='Password of the admin user (or set OS_BOOTSTRAP_PASSWORD, which keeps it '
               'out of the process list)')
    @args('--bootstrap-username', metavar='NAME', default='admin',
          help='Name of the admin user (default: admin)')
    @args('--bootstrap-project-name', metavar='NAME', default='admin',
          help='Project the admin user gets its role on (default: admin)')
    @args('--bootstrap-role-name', metavar='NAME', default='admin',
          help='Role given to the admin user (default: admin)')
    @args('--bootstrap-region-id', metavar='REGION', default='RegionOne',
          help='Region of the catalog endpoints (default: RegionOne)')
    @args('--bootstrap-public-url', metavar='URL',
          help='Public base URL of nova-api, e.g. http://controller:8774; the identity, '
               'compute and image endpoints are below it (default: http://[DEFAULT] my_ip'
               ':osapi_compute_listen_port)')
    @args('--bootstrap-internal-url', metavar='URL',
          help='Internal base URL of nova-api (no internal endpoints when unset)')
    @args('--bootstrap-admin-url', metavar='URL',
          help='Admin base URL of nova-api (no admin endpoints when unset)')
    @args('--bootstrap-network-url', metavar='URL',
          help='Public URL of a network (Neutron compatible) service for the catalog')
    @args('--bootstrap-ec2-url', metavar='URL',
          help='Public URL of the EC2 API for the catalog')
    def bootstrap(self, bootstrap_password=None, bootstrap_username='admin',
                  bootstrap_project_name='admin', bootstrap_role_name='admin',
                  bootstrap_region_id='RegionOne', bootstrap_public_url=None,
                  bootstrap_internal_url=None, bootstrap_admin_url=None,
                  bootstrap_network_url=None, bootstrap_ec2_url=None):
        """Create the Default domain, the admin project, user and roles, and the catalog;
        running it again changes nothing but re-enables the user and resets its password."""
        password = bootstrap_password or os.environ.get('OS_BOOTSTRAP_PASSWORD')
        if not password:
            print(_('error: either --bootstrap-password or OS_BOOTSTRAP_PASSWORD must be '
                    'set.'))
            return 1
        public_url = bootstrap_public_url or 'http://%s:%d' % (
            CONF.my_ip, CONF.osapi_compute_listen_port)
        run = identity_bootstrap.Bootstrap(nova_context.get_admin_context())
        run.run(password, username=bootstrap_username, project_name=bootstrap_project_name,
                role_name=bootstrap_role_name, region_id=bootstrap_region_id,
                public_url=public_url, internal_url=bootstrap_internal_url,
                admin_url=bootstrap_admin_url,
                extra_urls={'network': bootstrap_network_url, 'ec2': bootstrap_ec2_url})
        for line in run.report or [_('Everything already exists; nothing changed.')]:
            print(line)
        return 0


def availability_zone(service):
    """The zone a service is listed in: computes in the default zone, the rest internal."""
    if service.binary == 'nova-compute':
        return CONF.default_availability_zone
    return CONF.internal_service_availability_zone


def _timestamp(value):
    return timeutils.normalize_time(value) if value else None


def print_version():
    """Print the version of this nova."""
    print(version.version_string())
    return 0


CATEGORIES = {
    'db': DbCommands,
    'api_db': ApiDbCommands,
    'service': ServiceCommands,
    'identity': IdentityCommands,
}


def _actions(command_class):
    return sorted(name for name in dir(command_class)
                  if not name.startswith('_') and callable(getattr(command_class, name)))


def _add_action_parser(subparsers, name, func):
    parser = subparsers.add_parser(name, help=(func.__doc__ or '').strip())
    arg_names = []
    for names, kwargs in getattr(func, 'cli_args', []):
        arg_name = names[0].lstrip('-').replace('-', '_')
        if names[0].startswith('-'):
            parser.add_argument(*names, dest=_ARG_PREFIX + arg_name, **kwargs)
        else:
            parser.add_argument(_ARG_PREFIX + arg_name, **kwargs)
        arg_names.append(arg_name)
    parser.set_defaults(action_fn=func, action_args=arg_names)


def add_command_parsers(subparsers):
    """Build ``nova-manage CATEGORY ACTION [ARGS]`` (the SubCommandOpt handler)."""
    _add_action_parser(subparsers, 'version', print_version)
    for category, command_class in CATEGORIES.items():
        parser = subparsers.add_parser(category, help=command_class.__doc__)
        actions = parser.add_subparsers(dest='action', metavar='ACTION')
        actions.required = True
        commands = command_class()
        for action in _actions(command_class):
            _add_action_parser(actions, action, getattr(commands, action))


category_opt = cfg.SubCommandOpt('category', title='Command categories',
                                 help='Available categories', handler=add_command_parsers)


def chosen_action(conf=CONF):
    """The parsed command as (function, keyword arguments)."""
    command = conf.category
    kwargs = {name: getattr(command, _ARG_PREFIX + name) for name in command.action_args}
    return command.action_fn, kwargs


def parse_args(argv):
    # alembic narrates every connection at INFO; "db version" must print only the revision.
    logging.set_defaults(default_log_levels=logging.get_default_log_levels() + ['alembic=WARN'])
    logging.register_options(CONF)
    CONF.register_cli_opt(category_opt)
    CONF(argv, project='nova', version=version.version_string())
    logging.setup(CONF, 'nova')


def run(func, kwargs):
    """Run an action; known failures become one line and exit 1, the rest a traceback."""
    try:
        return func(**kwargs) or 0
    except exception.DBNotConfigured as error:
        print(_('error: %s') % error.format_message())
        return 1
    except db_exc.DBConnectionError as error:
        print(_('error: cannot connect to the database: %s') % error)
        return 1
    except Exception:  # an operator tool reports every failure, never hides it
        print(_('An error has occurred:\n%s') % traceback.format_exc())
        return 255


def main(argv=None):
    parse_args(sys.argv[1:] if argv is None else argv)
    guard.allow_database_access(BINARY)
    return run(*chosen_action())


if __name__ == '__main__':
    sys.exit(main())
