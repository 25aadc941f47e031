"""The hw_* parts of a domain: machine, firmware, CPU, clock, disks' buses, NICs and the
devices the image and flavor ask for, applied to a ``GuestConfig`` from ``GuestOptions``."""

from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import guest_options
from nova.virt.libvirt import vif as vif_mod

GUEST_AGENT_CHANNEL = 'org.qemu.guest_agent.0'


def apply_platform(guest, options, domain_type, nvram_path):
    """Machine type, firmware, boot menu, CPU model and topology, clock and features."""
    guest.os_machine_type = options.machine_type
    if options.firmware == 'uefi':
        guest.os_loader = options.ovmf_code
        guest.os_nvram_template = options.ovmf_vars
        guest.os_nvram = nvram_path
    guest.os_bootmenu = options.boot_menu
    # 'none': QEMU's default CPU model, and only the topology is said; libvirt's test
    # driver knows no CPU models, so it gets the topology alone too.
    mode = None if options.cpu_mode == 'none' or domain_type == 'test' else options.cpu_mode
    guest.cpu = vconfig.GuestCPU(mode, model=options.cpu_model if mode else None,
                                 sockets=options.sockets, cores=options.cores,
                                 threads=options.threads)
    windows = options.os_type == 'windows'
    # Upstream's x86 timers: a late PIT tick is delayed, RTC catches up, no HPET.
    timers = [vconfig.GuestTimer('pit', tickpolicy='delay'),
              vconfig.GuestTimer('rtc', tickpolicy='catchup'),
              vconfig.GuestTimer('hpet', present=False)]
    if windows:
        timers.append(vconfig.GuestTimer('hypervclock', present=True))
        guest.features.append(vconfig.GuestFeatureHyperV())
    guest.clock = vconfig.GuestClock('localtime' if windows else 'utc', timers)


def disk_devices(disks, options, cache, rescue=False):
    """``GuestDisk``s for [(path, format)] on the image's bus; with ``rescue`` the first
    is the rescue disk, on hw_rescue_bus/hw_rescue_device when the rescue image says."""
    kinds = []
    for index, _disk in enumerate(disks):
        if rescue and index == 0 and (options.rescue_device or options.rescue_bus):
            device = options.rescue_device or 'disk'
            default_bus = options.cdrom_bus if device == 'cdrom' else options.disk_bus
            kinds.append((device, options.rescue_bus or default_bus))
        else:
            kinds.append(('disk', options.disk_bus))
    names = guest_options.device_names([bus for _device, bus in kinds])
    devices = []
    for (path, fmt), (device, bus), name in zip(disks, kinds, names):
        devices.append(vconfig.GuestDisk(
            path, name, driver_format=fmt, target_bus=bus, device=device, cache=cache,
            readonly=device == 'cdrom',
            boot_order=1 if rescue and device == 'cdrom' and name == names[0] else None))
    return devices


def add_devices(guest, options, disks, vifs, serial_ports, graphics_enabled):
    """Disks (and the SCSI controller they need), NICs, serial ports, video, and the
    optional agent channel, pointer and watchdog."""
    if any(disk.target_bus == 'scsi' for disk in disks):
        guest.add_device(vconfig.GuestController('scsi', options.scsi_model or 'virtio-scsi'))
    for disk in disks:
        if disk.boot_order is not None:
            guest.os_boot_dev = []  # per-device boot order and <os><boot> exclude each other
        guest.add_device(disk)
    for vif in vifs:
        guest.add_device(vif_mod.interface_config(vif, options.vif_model))
    for serial in serial_ports:
        guest.add_device(serial)
    if options.video_model or graphics_enabled:
        guest.add_device(vconfig.GuestVideo(options.video_model or 'virtio',
                                            vram_kib=options.video_vram_kib))
    if options.guest_agent:
        guest.add_device(vconfig.GuestChannel(GUEST_AGENT_CHANNEL))
    if options.pointer_model == 'usbtablet':
        guest.add_device(vconfig.GuestInput('tablet', 'usb'))
    if options.watchdog_action:
        guest.add_device(vconfig.GuestWatchdog(options.watchdog_action))
