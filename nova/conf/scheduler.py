"""[scheduler] options of nova-scheduler."""

from oslo_config import cfg

scheduler_group = cfg.OptGroup('scheduler', title='Scheduler options')

scheduler_opts = [
    cfg.IntOpt('periodic_task_interval',
               default=60,
               help='Seconds between refreshes of the scheduler\'s view of compute hosts. '
                    '0: periodic_interval; negative: only on demand.'),
    cfg.IntOpt('max_attempts',
               default=3, min=1,
               help='Hosts to try for one instance before giving up with "No valid host".'),
]


def register_opts(conf):
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)


def list_opts():
    return {scheduler_group.name: scheduler_opts}
