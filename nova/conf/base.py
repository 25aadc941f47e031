"""[DEFAULT] options shared by every daemon: identity of the host, the bus, state paths."""

import socket

from oslo_config import cfg

base_opts = [
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='<current_hostname>',
               help='Name of this node. Used as the RPC topic suffix for host-targeted '
                    'services and as the host field of service and compute node records. '
                    'Must be unique within the deployment.'),
    cfg.StrOpt('state_path',
               default='/var/lib/nova',
               help='Top-level directory for nova state (instances, locks, the SQLite '
                    'database of the edge default).'),
    cfg.StrOpt('my_ip',
               default='127.0.0.1',
               help='IP address of this host, used to reach it from other hosts.'),
]


def register_opts(conf):
    conf.register_opts(base_opts)


def list_opts():
    return {'DEFAULT': base_opts}
