"""[DEFAULT] options of nova-compute: the driver, reserved resources, allocation ratios,
and [fake_driver] for the capacity the fake virt driver reports."""

from oslo_config import cfg

compute_opts = [
    cfg.StrOpt('instance_name_template',
               default='instance-%08x',
               help='Name of a guest on the hypervisor, from the instance\'s database id '
                    '(%d, %x) or, with %(id)s/%(uuid)s, from a mapping.'),
    cfg.StrOpt('compute_driver',
               default='fake.FakeDriver',
               help='Virt driver nova-compute uses, as a path below nova.virt '
                    '(fake.FakeDriver, libvirt.LibvirtDriver) or a full class path.'),
    cfg.IntOpt('reserved_host_memory_mb',
               default=512, min=0,
               help='Memory (MiB) kept back for the host: never given to instances.'),
    cfg.IntOpt('reserved_host_disk_mb',
               default=0, min=0,
               help='Disk (MiB) kept back for the host: never given to instances.'),
    cfg.IntOpt('reserved_host_cpus',
               default=0, min=0,
               help='Host CPUs kept back for the host: never given to instances.'),
    cfg.FloatOpt('cpu_allocation_ratio',
                 min=0.0,
                 help='Virtual CPUs per physical CPU. Unset: the compute node record keeps '
                      'its value, initially initial_cpu_allocation_ratio.'),
    cfg.FloatOpt('ram_allocation_ratio',
                 min=0.0,
                 help='Virtual RAM per physical RAM. Unset: initial_ram_allocation_ratio.'),
    cfg.FloatOpt('disk_allocation_ratio',
                 min=0.0,
                 help='Virtual disk per physical disk. Unset: '
                      'initial_disk_allocation_ratio.'),
    cfg.FloatOpt('initial_cpu_allocation_ratio', default=4.0, min=0.0,
                 help='cpu_allocation_ratio of a new compute node record.'),
    cfg.FloatOpt('initial_ram_allocation_ratio', default=1.0, min=0.0,
                 help='ram_allocation_ratio of a new compute node record.'),
    cfg.FloatOpt('initial_disk_allocation_ratio', default=1.0, min=0.0,
                 help='disk_allocation_ratio of a new compute node record.'),
    cfg.BoolOpt('allow_resize_to_same_host', default=False,
                help='Allow the scheduler to choose the source host as the destination of '
                     'a resize or cold migration.'),
    cfg.IntOpt('resize_confirm_window', default=0, min=0,
               help='Seconds after which a finished resize or cold migration is confirmed '
                    'automatically (0: never).'),
    cfg.IntOpt('update_resources_interval',
               default=0,
               help='Seconds between updates of this host\'s compute node record from the '
                    'driver. 0: use periodic_interval; negative: never (after start).'),
    cfg.IntOpt('reclaim_instance_interval',
               default=0,
               help='Seconds a deleted server is kept SOFT_DELETED (restorable) before its '
                    'host reclaims it. 0 or less: delete at once.'),
    cfg.IntOpt('sync_power_state_interval',
               default=600,
               help='Seconds between syncs of the power state of this host\'s instances '
                    'from the driver (a guest found shut off while its server is ACTIVE '
                    'makes it SHUTOFF). Negative: never.'),
    cfg.BoolOpt('instance_usage_audit',
                default=False,
                help='Run the instance usage audit on each compute host once per audit '
                     'period: record it in the task log (os-instance-usage-audit-log) and '
                     'emit compute.instance.exists for each instance that ran.'),
    cfg.StrOpt('instance_usage_audit_period',
               default='month',
               regex=r'^(hour|day|month|year)(@[0-9]+)?$',
               help='The audit period: hour, day, month or year, optionally with an offset '
                    '("month@15": from the 15th; "day@6": from 06:00).'),
    cfg.IntOpt('shelved_offload_time',
               default=0, min=-1,
               help='Seconds a shelved server keeps its host before nova-compute offloads '
                    'it (frees its resources). 0: offload at once when shelving; -1: never '
                    'offload automatically (shelveOffload still does).'),
    cfg.IntOpt('shelved_poll_interval',
               default=3600,
               help='Seconds between checks for shelved servers due for offloading '
                    '(shelved_offload_time > 0). 0: use periodic_interval; negative: '
                    'never.'),
]

fake_driver_group = cfg.OptGroup('fake_driver', title='Capacity the fake virt driver reports')

fake_driver_opts = [
    cfg.IntOpt('vcpus', default=1000, min=1, help='Physical CPUs of each fake node.'),
    cfg.IntOpt('memory_mb', default=800000, min=1, help='Memory (MiB) of each fake node.'),
    cfg.IntOpt('local_gb', default=600000, min=1, help='Local disk (GiB) of each fake node.'),
    cfg.ListOpt('spawn_failure_hosts', default=[],
                help='Hosts on which every spawn fails (to exercise rescheduling).'),
    cfg.FloatOpt('migrate_delay', default=0.0, min=0.0,
                 help='Seconds the fake migrate step of a resize or cold migration takes '
                      '(to exercise faults in the middle of a move).'),
    cfg.FloatOpt('live_migration_delay', default=0.0, min=0.0,
                 help='Seconds a fake live migration runs before it completes, unless it is '
                      'forced to complete or aborted first.'),
    cfg.ListOpt('nodes', default=[],
                help='Node names this fake host reports; empty: one node named after the '
                     'host.'),
    cfg.FloatOpt('reboot_delay', default=0.0, min=0.0,
                 help='Seconds each reboot takes (to catch a compute host in the middle of '
                      'one).'),
    cfg.BoolOpt('fetch_images', default=False,
                help='Fetch the image of each server spawned into the image cache, as a '
                     'real driver does, through the image API with the caller\'s token '
                     '(size and checksum verified); off: boots never read image data.'),
]


def register_opts(conf):
    conf.register_opts(compute_opts)
    conf.register_group(fake_driver_group)
    conf.register_opts(fake_driver_opts, group=fake_driver_group)


def list_opts():
    return {'DEFAULT': compute_opts, fake_driver_group.name: fake_driver_opts}
