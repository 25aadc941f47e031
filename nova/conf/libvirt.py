"""[libvirt] options of the libvirt driver, [image_cache] options of the per-host base image
cache, and ``[DEFAULT] instances_path``. Upstream's names, so an operator's file carries
over; only the options this driver implements are defined."""

from oslo_config import cfg

instances_opts = [
    cfg.StrOpt('instances_path',
               default='$state_path/instances',
               help='Where the disks, console logs and cached base images (_base) of this '
                    'host\'s instances live.'),
]

libvirt_group = cfg.OptGroup('libvirt', title='Libvirt options',
                             help='The libvirt driver (compute_driver = '
                                  'libvirt.LibvirtDriver).')

libvirt_opts = [
    cfg.StrOpt('virt_type',
               default='kvm',
               choices=('kvm', 'qemu'),
               help='Domain type: kvm (hardware virtualization, /dev/kvm) or qemu '
                    '(software emulation, TCG: slower, works anywhere).'),
    cfg.StrOpt('connection_uri',
               default='',
               help='The libvirt URI to connect to; empty: qemu:///system.'),
    cfg.StrOpt('images_type',
               default='qcow2',
               choices=('qcow2', 'raw', 'flat', 'default'),
               help='Format of instance disks: qcow2 overlays on a cached base image '
                    '(default), or raw (flat) full copies.'),
    cfg.StrOpt('cpu_mode',
               choices=('none', 'host-model', 'host-passthrough', 'custom'),
               help='CPU model the guests see; unset: host-model with kvm, none (QEMU\'s '
                    'default model) with qemu.'),
    cfg.ListOpt('cpu_models', default=[], deprecated_name='cpu_model',
                help='With cpu_mode = custom: the CPU model names the guests may get, '
                     'most preferred first (e.g. Haswell-noTSX); only valid with custom.'),
    cfg.ListOpt('hw_machine_type',
                help='Machine type per guest architecture, e.g. x86_64=q35; unset: '
                     'libvirt\'s default (pc). The image property hw_machine_type wins.'),
    cfg.IntOpt('wait_soft_reboot_seconds',
               default=120, min=0,
               help='Seconds a soft reboot waits for the guest to shut down before it '
                    'power-cycles it (a hard reboot).'),
    cfg.StrOpt('disk_cachemodes_default', default='none',
               choices=('none', 'writethrough', 'writeback', 'directsync', 'unsafe'),
               help='Cache mode of instance disks (none: O_DIRECT; falls back to '
                    'writethrough on filesystems without O_DIRECT, such as tmpfs).'),
    cfg.IntOpt('mem_stats_period_seconds',
               default=10,
               help='Seconds between memory balloon statistics; 0 or less: none.'),
    cfg.StrOpt('rng_dev_path',
               default='/dev/urandom',
               help='Host source of the virtio RNG device given to guests whose flavor '
                    '(hw_rng:allowed) or image (hw_rng_model=virtio) asks for one.'),
    cfg.IntOpt('spawn_timeout',
               default=120, min=1,
               help='Seconds spawn waits for a started domain to report running.'),
]

# Snapshots and disk moves (resize, cold migration): upstream's names and defaults.
libvirt_snapshot_move_opts = [
    cfg.StrOpt('snapshot_image_format',
               choices=('raw', 'qcow2', 'vmdk', 'vdi'),
               help='Disk format of snapshot images; unset: the format of the instance\'s '
                    'root disk (qcow2 or raw).'),
    cfg.BoolOpt('snapshot_compression', default=False,
                help='Compress qcow2 snapshot images (qemu-img convert -c).'),
    cfg.StrOpt('snapshots_directory',
               default='$instances_path/snapshots',
               help='Where snapshots are extracted before their upload (temporary files).'),
    cfg.StrOpt('remote_filesystem_transport',
               default='ssh', choices=('ssh', 'rsync'),
               help='How resize and cold migration copy an instance\'s disks to a host '
                    'that does not share instances_path with this one (as the nova user, '
                    'with its ssh keys).'),
]

image_cache_group = cfg.OptGroup('image_cache', title='Image cache options',
                                 help='The cache of base images (instances/_base).')

image_cache_opts = [
    cfg.IntOpt('manager_interval',
               default=2400, min=-1,
               help='Seconds between runs of the image cache manager, which removes '
                    'unused base images; 0: the default periodic interval; -1: never.'),
    cfg.StrOpt('subdirectory_name',
               default='_base',
               help='Directory below instances_path holding the cached base images.'),
    cfg.BoolOpt('remove_unused_base_images',
                default=True,
                help='Remove base images no instance of this host uses any more.'),
    cfg.IntOpt('remove_unused_original_minimum_age_seconds',
               default=24 * 3600,
               help='Unused base images younger than this (seconds since their last use) '
                    'are kept.'),
]

vnc_group = cfg.OptGroup('vnc', title='VNC options')
vnc_opts = [
    cfg.BoolOpt('enabled', default=True, help='Give guests a VNC display.'),
    cfg.StrOpt('server_listen', default='127.0.0.1',
               help='Address the guests\' VNC servers listen on.'),
    cfg.StrOpt('server_proxyclient_address', default='127.0.0.1',
               help='Address of this host the VNC proxy connects to.'),
    cfg.StrOpt('keymap', help='Keymap of the VNC display; unset: the client sends keys.'),
]

spice_group = cfg.OptGroup('spice', title='SPICE options')
spice_opts = [
    cfg.BoolOpt('enabled', default=False, help='Give guests a SPICE display.'),
    cfg.StrOpt('server_listen', default='127.0.0.1',
               help='Address the guests\' SPICE servers listen on.'),
    cfg.StrOpt('server_proxyclient_address', default='127.0.0.1',
               help='Address of this host the SPICE proxy connects to.'),
]

serial_console_group = cfg.OptGroup('serial_console', title='Serial console options')
serial_console_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Expose each guest\'s serial console on a TCP port of this host for '
                     'the serial proxy (the console is logged to a file either way).'),
    cfg.StrOpt('port_range', default='10000:20000',
               help='Range (first:last) of TCP ports for serial consoles.'),
    cfg.StrOpt('proxyclient_address', default='127.0.0.1',
               help='Address the serial consoles listen on and the proxy connects to.'),
]


def register_opts(conf):
    conf.register_opts(instances_opts)
    for group, opts in ((libvirt_group, libvirt_opts), (image_cache_group, image_cache_opts),
                        (vnc_group, vnc_opts), (spice_group, spice_opts),
                        (serial_console_group, serial_console_opts)):
        conf.register_group(group)
        conf.register_opts(opts, group=group)
    conf.register_opts(libvirt_snapshot_move_opts, group=libvirt_group)


def list_opts():
    return {'DEFAULT': instances_opts,
            libvirt_group.name: libvirt_opts + libvirt_snapshot_move_opts,
            image_cache_group.name: image_cache_opts, vnc_group.name: vnc_opts,
            spice_group.name: spice_opts, serial_console_group.name: serial_console_opts}
