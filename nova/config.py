"""Start-up of every console script: parse config, set up logging and the bus."""

from oslo_log import log as logging

from nova import objects
from nova import rpc
from nova import version
import nova.conf
from nova.db import guard
from nova.objects import base as objects_base

CONF = nova.conf.CONF

logging.register_options(CONF)

_DEFAULT_LOG_LEVELS = ['amqp=WARN', 'amqplib=WARN', 'kombu=WARN', 'oslo.messaging=INFO',
                       'oslo_messaging=INFO', 'sqlalchemy=WARN', 'urllib3=WARN',
                       'alembic=WARN', 'routes.middleware=WARN', 'stevedore=WARN',
                       'cheroot=WARN', 'oslo_policy=INFO', 'futurist=INFO']


def parse_args(argv, default_config_files=None):
    logging.set_defaults(default_log_levels=_DEFAULT_LOG_LEVELS)
    CONF(argv[1:], project='nova', version=version.version_string(),
         default_config_files=default_config_files)


def setup_logging():
    logging.setup(CONF, 'nova')


def setup_service(binary, argv, uses_database=False, uses_bus=True):
    """What every daemon does before building its services.

    Processes that own the database run object methods locally; all others forward them to
    conductor over the bus and are refused any direct database use.
    """
    parse_args(argv)
    setup_logging()
    objects.register_all()
    if uses_database:
        guard.allow_database_access(binary)
        objects_base.NovaObject.indirection_api = None
    if uses_bus:
        rpc.init(CONF)
        if not uses_database:
            from nova.conductor import rpcapi as conductor_rpcapi
            objects_base.NovaObject.indirection_api = conductor_rpcapi.ConductorAPI()
