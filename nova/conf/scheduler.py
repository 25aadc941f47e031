"""[scheduler] and [filter_scheduler] options of nova-scheduler.

Option names follow upstream Nova so operators' files carry over.
"""

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

filter_scheduler_group = cfg.OptGroup('filter_scheduler', title='Filter scheduler options')

# Upstream's default list, with RamFilter, DiskFilter and CoreFilter back in: without a
# placement service, they (and the claim) are what keeps hosts from overcommitting.
DEFAULT_ENABLED_FILTERS = [
    'AvailabilityZoneFilter',
    'ComputeFilter',
    'RamFilter',
    'DiskFilter',
    'CoreFilter',
    'ComputeCapabilitiesFilter',
    'ImagePropertiesFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
]

filter_scheduler_opts = [
    cfg.IntOpt('host_subset_size',
               default=1, min=1,
               help='Pick the host at random among this many best-weighed hosts; above 1, '
                    'concurrent schedulers are less likely to race for the same host.'),
    cfg.BoolOpt('shuffle_best_same_weighed_hosts',
                default=False,
                help='Shuffle the hosts that share the best weight before picking one.'),
    cfg.MultiStrOpt('available_filters',
                    default=['nova.scheduler.filters.all_filters'],
                    help='Filter classes the scheduler may use: dotted class paths, or '
                         'dotted paths of functions returning a list of classes.'),
    cfg.ListOpt('enabled_filters',
                default=DEFAULT_ENABLED_FILTERS,
                help='Names of the available filters to run, in order.'),
    cfg.ListOpt('weight_classes',
                default=['nova.scheduler.weights.all_weighers'],
                help='Weigher classes: dotted class paths, or dotted paths of functions '
                     'returning a list of classes.'),
    cfg.FloatOpt('ram_weight_multiplier',
                 default=1.0,
                 help='Positive: prefer hosts with more free RAM (spread); '
                      'negative: fill hosts up (stack).'),
    cfg.FloatOpt('cpu_weight_multiplier',
                 default=1.0,
                 help='Positive: prefer hosts with more free vCPUs; negative: stack.'),
    cfg.FloatOpt('disk_weight_multiplier',
                 default=1.0,
                 help='Positive: prefer hosts with more free disk; negative: stack.'),
    cfg.FloatOpt('soft_affinity_weight_multiplier',
                 default=1.0, min=0.0,
                 help='How strongly soft-affinity groups pull members onto shared hosts.'),
    cfg.FloatOpt('soft_anti_affinity_weight_multiplier',
                 default=1.0, min=0.0,
                 help='How strongly soft-anti-affinity groups push members apart.'),
]


def register_opts(conf):
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)
    conf.register_group(filter_scheduler_group)
    conf.register_opts(filter_scheduler_opts, group=filter_scheduler_group)


def list_opts():
    return {scheduler_group.name: scheduler_opts,
            filter_scheduler_group.name: filter_scheduler_opts}
