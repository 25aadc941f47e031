"""[DEFAULT] availability zone names reported for services and hosts."""

from oslo_config import cfg

availability_zone_opts = [
    cfg.StrOpt('internal_service_availability_zone',
               default='internal',
               help='Availability zone shown for services that are not nova-compute '
                    '(scheduler, conductor, ...). Should not be a zone users boot in.'),
    cfg.StrOpt('default_availability_zone',
               default='nova',
               help='Availability zone of compute hosts that no host aggregate places '
                    'in another zone.'),
]


def register_opts(conf):
    conf.register_opts(availability_zone_opts)


def list_opts():
    return {'DEFAULT': availability_zone_opts}
