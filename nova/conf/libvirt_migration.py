"""[libvirt] options of live migration (upstream's names and meanings), kept apart from the
other [libvirt] options because they concern two hosts at once."""

from oslo_config import cfg

from nova.conf import libvirt as libvirt_conf

live_migration_opts = [
    cfg.StrOpt('live_migration_scheme',
               help='Transport of the libvirtd-to-libvirtd connection of a live migration: '
                    'the destination is qemu+<scheme>://<address>/system; unset: tcp. '
                    'Ignored when live_migration_uri is set.'),
    cfg.StrOpt('live_migration_uri',
               help='The destination libvirtd\'s URI, with %s for the destination\'s '
                    'address (e.g. qemu+ssh://nova@%s/system); unset: built from '
                    'live_migration_scheme.'),
    cfg.StrOpt('live_migration_inbound_addr',
               help='Address other hosts reach this one at for live migrations (to its '
                    'libvirtd, and to QEMU for the memory and disk streams); unset: the '
                    'compute host name.'),
    cfg.BoolOpt('live_migration_tunnelled', default=False,
                help='Carry the migration streams through the libvirtd connection '
                     '(VIR_MIGRATE_TUNNELLED) instead of QEMU-to-QEMU connections.'),
    cfg.IntOpt('live_migration_bandwidth', default=0, min=0,
               help='Maximum bandwidth of a live migration, in MiB/s; 0: no limit.'),
    cfg.IntOpt('live_migration_completion_timeout', default=800, min=0,
               help='Seconds a live migration may take per GiB it moves (guest memory, '
                    'plus the disks of a block migration; at least 2 GiB) before '
                    'live_migration_timeout_action is taken; 0: no limit.'),
    cfg.StrOpt('live_migration_timeout_action', default='abort',
               choices=('abort', 'force_complete'),
               help='What happens to a live migration past its completion timeout: abort '
                    'it (the guest stays on the source) or force it to complete (post-copy '
                    'when permitted, else the guest is paused until it is moved).'),
    cfg.BoolOpt('live_migration_permit_post_copy', default=False,
                help='Allow switching a live migration to post-copy (the guest runs on the '
                     'destination, pulling memory pages it still misses from the source) '
                     'when it is forced to complete.'),
    cfg.BoolOpt('live_migration_permit_auto_converge', default=False,
                help='Let QEMU slow the guest\'s vCPUs down so memory copying converges '
                     '(VIR_MIGRATE_AUTO_CONVERGE); not used together with post-copy.'),
]


def register_opts(conf):
    conf.register_group(libvirt_conf.libvirt_group)
    conf.register_opts(live_migration_opts, group=libvirt_conf.libvirt_group)


def list_opts():
    return {libvirt_conf.libvirt_group.name: live_migration_opts}
