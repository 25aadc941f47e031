"""[DEFAULT] options for the life of a daemon: heartbeats, liveness, periodic tasks."""

from oslo_config import cfg

service_opts = [
    cfg.ListOpt('enabled_apis',
                item_type=cfg.types.String(choices=['osapi_compute']),
                default=['osapi_compute'],
                help='APIs nova-api and nova-all serve. osapi_compute is the Compute API.'),
    cfg.IntOpt('report_interval',
               default=10, min=1,
               help='Seconds between a service\'s heartbeats to the database (through '
                    'conductor). Must be well below service_down_time.'),
    cfg.IntOpt('service_down_time',
               default=60, min=1,
               help='Seconds since the last heartbeat after which a service is reported '
                    'down.'),
    cfg.IntOpt('periodic_interval',
               default=60, min=1,
               help='Default seconds between runs of a service\'s periodic tasks.'),
    cfg.BoolOpt('periodic_enable',
                default=True,
                help='Run periodic tasks in this service.'),
    cfg.IntOpt('periodic_fuzzy_delay',
               default=60, min=0,
               help='Upper bound of the random delay, in seconds, before a service\'s '
                    'periodic tasks start, to spread load on conductor.'),
    cfg.IntOpt('graceful_shutdown_timeout',
               default=60, min=0, mutable=True,
               help='Seconds a stopping service waits for in-flight RPC calls to finish.'),
]


def register_opts(conf):
    conf.register_opts(service_opts)


def list_opts():
    return {'DEFAULT': service_opts}
