"""nova-all: every daemon in one process, the edge default.

With no configuration it needs nothing else on the box: SQLite databases under state_path,
the in-process bus (kombu+memory://), both schemas migrated at start. Given a config file,
the same code talks to RabbitMQ and PostgreSQL/MariaDB like the separate daemons.
"""

import logging
import os
import sys

from nova import config
from nova import rpc
from nova import service
import nova.conf
from nova.db import migration
from nova.identity import edge as identity_edge
from nova.identity import keys as identity_keys

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Order matters: conductor first (the others talk to it), the API last (it takes users).
RPC_SERVICES = ('nova-conductor', 'nova-scheduler', 'nova-compute')


def set_edge_defaults():
    CONF.set_default('transport_url', rpc.IN_PROCESS_TRANSPORT_URL)
    # An in-memory bus has no connection to keep alive.
    CONF.set_default('heartbeat_timeout_threshold', 0, group='oslo_messaging_rabbit')
    CONF.set_default('connection', 'sqlite:///$state_path/nova.sqlite', group='database')
    CONF.set_default('connection', 'sqlite:///$state_path/nova_api.sqlite',
                     group='api_database')


def build_services():
    services = [service.Service.create(binary=binary) for binary in RPC_SERVICES]
    services += [service.WSGIService(api) for api in CONF.enabled_apis]
    return services


def prepare_databases():
    if CONF.database.connection.startswith('sqlite') or \
            CONF.api_database.connection.startswith('sqlite'):
        os.makedirs(CONF.state_path, exist_ok=True)
    for database in migration.DATABASES:
        migration.db_sync(database)


def prepare_identity_keys():
    """Fernet keys for the built-in identity service, made on first start. (Separate
    nova-api hosts share one repository, made with nova-manage identity fernet_setup.)"""
    if identity_keys.setup():
        LOG.info('nova-all: created Fernet keys in %s', CONF.identity.key_repository)


def prepare_identity():
    """First start with [identity] auto_bootstrap: an admin and a CLI profile."""
    profile = identity_edge.prepare()
    if profile:
        message = ('nova-all: bootstrapped the identity service; the admin profile is in '
                   '%(path)s. For the openstack CLI:\n'
                   '    export OS_CLIENT_CONFIG_FILE=%(path)s OS_CLOUD=%(cloud)s'
                   % {'path': profile, 'cloud': identity_edge.CLOUD_NAME})
        LOG.info(message)
        print(message, flush=True)


def main():
    set_edge_defaults()
    config.setup_service('nova-all', sys.argv, uses_database=True)
    if rpc.is_in_process(CONF):
        # The rabbit driver warns that kombu+memory is experimental, once per connection;
        # in-process it is the point, and there are no connections to lose.
        logging.getLogger('oslo.messaging._drivers.impl_rabbit').setLevel(logging.ERROR)
    prepare_databases()
    prepare_identity_keys()
    prepare_identity()
    LOG.info('nova-all: state in %s, bus %s', CONF.state_path,
             CONF.transport_url.split(':', 1)[0])
    service.serve_and_wait(*build_services())


if __name__ == '__main__':
    main()
