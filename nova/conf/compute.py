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
]

fake_driver_group = cfg.OptGroup('fake_driver', title='Capacity the fake virt driver reports')

fake_driver_opts = [
    cfg.IntOpt('vcpus', default=1000, min=1, help='Physical CPUs of each fake node.'),
    cfg.IntOpt('memory_mb', default=800000, min=1, help='Memory (MiB) of each fake node.'),
    cfg.IntOpt('local_gb', default=600000, min=1, help='Local disk (GiB) of each fake node.'),
    cfg.ListOpt('spawn_failure_hosts', default=[],
                help='Hosts on which every spawn fails (to exercise rescheduling).'),
    cfg.ListOpt('nodes', default=[],
                help='Node names this fake host reports; empty: one node named after the '
                     'host.'),
    cfg.FloatOpt('reboot_delay', default=0.0, min=0.0,
                 help='Seconds each reboot takes (to catch a compute host in the middle of '
                      'one).'),
]


def register_opts(conf):
    conf.register_opts(compute_opts)
    conf.register_group(fake_driver_group)
    conf.register_opts(fake_driver_opts, group=fake_driver_group)


def list_opts():
    return {'DEFAULT': compute_opts, fake_driver_group.name: fake_driver_opts}
