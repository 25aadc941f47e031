"""The guest hardware an instance asks for, read and checked before anything is created.

Image properties (upstream's hw_* names, from the image the driver was given or else the
instance's ``image_*`` system metadata) and flavor extra specs (``hw:*``) choose buses,
models and counts; ``read()`` turns them into one ``GuestOptions`` or raises a clear error
naming the bad property. Only what applies to QEMU/KVM on x86_64 is accepted.
"""

import dataclasses
import itertools
import os

from oslo_utils import strutils

from nova import exception
import nova.conf

CONF = nova.conf.CONF

ARCH = 'x86_64'
# Buses QEMU/KVM disks can hang on (upstream's list for these virt types, less 'fdc' and
# 'lxc'/'uml'/'xen', which are not disk buses of a QEMU guest).
DISK_BUSES = ('virtio', 'scsi', 'sata', 'ide', 'usb')
DEVICE_PREFIX = {'virtio': 'vd', 'scsi': 'sd', 'sata': 'sd', 'usb': 'sd', 'ide': 'hd'}
VIDEO_MODELS = ('vga', 'cirrus', 'vmvga', 'qxl', 'virtio', 'bochs', 'none')
VIF_MODELS = ('virtio', 'e1000', 'e1000e', 'rtl8139', 'ne2k_pci', 'pcnet', 'vmxnet3')
SCSI_MODELS = ('virtio-scsi', 'lsilogic')
POINTER_MODELS = ('usbtablet', 'ps2mouse')
WATCHDOG_ACTIONS = ('disabled', 'reset', 'poweroff', 'pause', 'none')
FIRMWARE_TYPES = ('bios', 'uefi')
OS_TYPES = ('linux', 'windows')
RESCUE_DEVICES = ('disk', 'cdrom')
CPU_MODES = ('none', 'host-model', 'host-passthrough', 'custom')
# QEMU's ISA serial ports on x86 machines.
MAX_SERIAL_PORTS = 4
# Upstream's ceiling for each CPU topology dimension when nothing limits it.
MAX_TOPOLOGY = 65536
# Debian's ovmf package: (firmware code, variable store template), newest layout first.
OVMF_FILES = (('/usr/share/OVMF/OVMF_CODE_4M.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd'),
              ('/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd'))


@dataclasses.dataclass
class GuestOptions:
    disk_bus: str = 'virtio'
    cdrom_bus: str = 'ide'
    scsi_model: str = None  # a SCSI controller, only when a disk is on the scsi bus
    vif_model: str = 'virtio'
    video_model: str = None  # None: the driver's default when a display exists
    video_vram_kib: int = None
    machine_type: str = None
    cpu_mode: str = None
    cpu_model: str = None
    sockets: int = 1
    cores: int = 1
    threads: int = 1
    guest_agent: bool = False
    pointer_model: str = None
    watchdog_action: str = None  # None: no watchdog device
    serial_port_count: int = 1
    firmware: str = 'bios'
    ovmf_code: str = None
    ovmf_vars: str = None
    boot_menu: bool = None
    os_type: str = None
    rescue_bus: str = None
    rescue_device: str = None


def image_properties(instance, image_meta):
    """The image properties: the instance's image_* system metadata (what it was built
    from), overridden by the properties of the image the driver was handed."""
    props = {key[len('image_'):]: value
             for key, value in (instance.system_metadata or {}).items()
             if key.startswith('image_')}
    props.update((image_meta or {}).get('properties') or {})
    return {key: value for key, value in props.items() if value not in (None, '')}


def flavor_specs(instance):
    flavor = instance.flavor if instance.obj_attr_is_set('flavor') else None
    return dict(flavor.extra_specs or {}) if flavor is not None else {}


def _choice(props, name, choices, default=None):
    value = props.get(name)
    if value is None:
        return default
    value = str(value).lower()
    if value not in choices:
        raise exception.InvalidImagePropertyValue(
            name=name, value=props[name], reason='must be one of %s' % ', '.join(choices))
    return value


def _bool(source, name, error):
    value = source.get(name)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise error(name=name, value=value, reason='must be true or false') from None


def _int(source, name, error, minimum=1):
    value = source.get(name)
    if value is None:
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise error(name=name, value=value, reason='must be an integer') from None
    if number < minimum:
        raise error(name=name, value=value, reason='must be at least %d' % minimum)
    return number


def _image_int(props, name):
    return _int(props, name, exception.InvalidImagePropertyValue)


def _flavor_int(specs, name):
    return _int(specs, name, exception.InvalidFlavorExtraSpec)


# -- CPU -----------------------------------------------------------------------------------

def cpu_mode_and_model(virt_type):
    """([libvirt] cpu_mode, the CPU model for custom) after checking they fit together.

    Unset cpu_mode means host-model under KVM and none (QEMU's default model) under TCG:
    TCG cannot pass the host CPU through, and emulating the host model costs for nothing.
    """
    mode = CONF.libvirt.cpu_mode or ('host-model' if virt_type == 'kvm' else 'none')
    models = [m for m in CONF.libvirt.cpu_models if m]
    if mode == 'custom' and not models:
        raise exception.InvalidCPUInfo(reason='[libvirt] cpu_mode = custom needs '
                                              '[libvirt] cpu_models')
    if models and mode != 'custom':
        raise exception.InvalidCPUInfo(reason='[libvirt] cpu_models is only valid with '
                                              'cpu_mode = custom, not %s' % mode)
    if mode == 'host-passthrough' and virt_type != 'kvm':
        raise exception.InvalidCPUInfo(reason='cpu_mode = host-passthrough needs '
                                              'virt_type = kvm')
    return mode, (models[0] if models else None)


def cpu_topology(vcpus, specs, props):
    """(sockets, cores, threads) for ``vcpus``: the flavor's (hw:cpu_*) and image's
    (hw_cpu_*) preferences within both their maxima, preferring sockets, then cores, as
    upstream does."""
    names = ('sockets', 'cores', 'threads')
    flavor_max = [_flavor_int(specs, 'hw:cpu_max_' + n) or MAX_TOPOLOGY for n in names]
    image_max = [_image_int(props, 'hw_cpu_max_' + n) for n in names]
    if any(i is not None and i > f for i, f in zip(image_max, flavor_max)):
        raise exception.ImageVCPULimitsRangeExceeded(
            image_sockets=image_max[0] or 0, image_cores=image_max[1] or 0,
            image_threads=image_max[2] or 0, flavor_sockets=flavor_max[0],
            flavor_cores=flavor_max[1], flavor_threads=flavor_max[2])
    maxima = [i if i is not None else f for i, f in zip(image_max, flavor_max)]
    flavor_pref = [_flavor_int(specs, 'hw:cpu_' + n) for n in names]
    image_pref = [_image_int(props, 'hw_cpu_' + n) for n in names]
    if any(p is not None and p > m for p, m in zip(image_pref, maxima)):
        raise exception.ImageVCPUTopologyRangeExceeded(
            sockets=image_pref[0] or 0, cores=image_pref[1] or 0, threads=image_pref[2] or 0,
            maxsockets=maxima[0], maxcores=maxima[1], maxthreads=maxima[2])
    preferred = [i if i is not None else f for i, f in zip(image_pref, flavor_pref)]
    divisors = [d for d in range(vcpus, 0, -1) if vcpus % d == 0]
    candidates = [
        (s, c, t) for s, c, t in itertools.product(divisors, repeat=3)
        if s * c * t == vcpus and s <= maxima[0] and c <= maxima[1] and t <= maxima[2]]
    if not candidates:
        raise exception.NoValidCPUTopology(vcpus=vcpus)
    # Most preferences met first; ties keep the product order (more sockets, then cores).
    score = {cand: sum(1 for p, v in zip(preferred, cand) if p is not None and p == v)
             for cand in candidates}
    best = max(score.values())
    return next(cand for cand in candidates if score[cand] == best)


# -- the rest ------------------------------------------------------------------------------

def _video(options, specs, props):
    options.video_model = _choice(props, 'hw_video_model', VIDEO_MODELS)
    vram = _image_int(props, 'hw_video_ram')
    max_vram = _flavor_int(specs, 'hw_video:ram_max_mb') or 0
    if vram:
        if vram > max_vram:
            raise exception.RequestedVRamTooHigh(req_vram=vram, max_vram=max_vram)
        options.video_vram_kib = vram * 1024


def _serial_ports(specs, props):
    def count(source, name):
        value = source.get(name)
        if value is None:
            return None
        try:
            number = int(str(value))
        except ValueError:
            number = 0
        if not 1 <= number <= MAX_SERIAL_PORTS:
            raise exception.ImageSerialPortNumberInvalid(num_ports=value, property=name)
        return number
    flavor_count = count(specs, 'hw:serial_port_count')
    image_count = count(props, 'hw_serial_port_count')
    if flavor_count is not None and image_count is not None and image_count > flavor_count:
        raise exception.ImageSerialPortNumberExceedFlavorValue()
    return image_count or flavor_count or 1


def _firmware(options, props):
    options.firmware = _choice(props, 'hw_firmware_type', FIRMWARE_TYPES, 'bios')
    if options.firmware != 'uefi':
        return
    for code, variables in OVMF_FILES:
        if os.path.exists(code) and os.path.exists(variables):
            options.ovmf_code, options.ovmf_vars = code, variables
            return
    raise exception.UEFINotSupported(
        reason='hw_firmware_type=uefi needs the OVMF firmware (Debian package ovmf: '
               '%s), which is not installed' % OVMF_FILES[0][0])


def _machine_type(props, host_machine_types):
    machine = props.get('hw_machine_type')
    if machine is None:
        for entry in CONF.libvirt.hw_machine_type or []:
            arch, _sep, value = entry.partition('=')
            if arch.strip() == ARCH and value.strip():
                machine = value.strip()
    if machine is not None and host_machine_types and machine not in host_machine_types:
        raise exception.InvalidImagePropertyValue(
            name='hw_machine_type', value=machine,
            reason='this host\'s QEMU has no such %s machine type' % ARCH)
    return machine


def read(instance, image_meta, virt_type, host_machine_types=()):
    """The checked ``GuestOptions`` of ``instance`` booted from ``image_meta``; raises an
    Invalid error on the first bad value, before the driver creates anything."""
    props = image_properties(instance, image_meta)
    specs = flavor_specs(instance)
    options = GuestOptions()
    options.disk_bus = _choice(props, 'hw_disk_bus', DISK_BUSES, 'virtio')
    options.machine_type = _machine_type(props, host_machine_types)
    q35 = bool(options.machine_type) and 'q35' in options.machine_type
    # q35 has no IDE controller: its CD-ROMs go on SATA (upstream's default too).
    options.cdrom_bus = _choice(props, 'hw_cdrom_bus', DISK_BUSES, 'sata' if q35 else 'ide')
    if q35 and 'ide' in (options.disk_bus, options.cdrom_bus):
        raise exception.InvalidImagePropertyValue(
            name='hw_disk_bus' if options.disk_bus == 'ide' else 'hw_cdrom_bus',
            value='ide', reason='machine type %s has no IDE bus' % options.machine_type)
    options.scsi_model = _choice(props, 'hw_scsi_model', SCSI_MODELS)
    model = props.get('hw_vif_model')
    if model is not None and str(model).lower() not in VIF_MODELS:
        raise exception.UnsupportedHardware(model=model, virt=virt_type)
    options.vif_model = str(model).lower() if model is not None else 'virtio'
    _video(options, specs, props)
    options.cpu_mode, options.cpu_model = cpu_mode_and_model(virt_type)
    options.sockets, options.cores, options.threads = cpu_topology(
        instance.vcpus, specs, props)
    options.guest_agent = bool(_bool(props, 'hw_qemu_guest_agent',
                                     exception.InvalidImagePropertyValue))
    options.pointer_model = _choice(specs, 'hw:pointer_model', POINTER_MODELS) or \
        _choice(props, 'hw_pointer_model', POINTER_MODELS)
    # The flavor's watchdog action wins over the image's, as upstream.
    action = _choice(specs, 'hw:watchdog_action', WATCHDOG_ACTIONS) or \
        _choice(props, 'hw_watchdog_action', WATCHDOG_ACTIONS)
    options.watchdog_action = None if action in (None, 'disabled') else action
    options.serial_port_count = _serial_ports(specs, props)
    _firmware(options, props)
    boot_menu = _bool(specs, 'hw:boot_menu', exception.InvalidFlavorExtraSpec)
    if boot_menu is None:
        boot_menu = _bool(props, 'hw_boot_menu', exception.InvalidImagePropertyValue)
    options.boot_menu = boot_menu
    os_type = props.get('os_type') or (
        instance.os_type if instance.obj_attr_is_set('os_type') else None)
    options.os_type = _choice({'os_type': os_type}, 'os_type', OS_TYPES) if os_type else None
    options.rescue_bus = _choice(props, 'hw_rescue_bus', DISK_BUSES)
    options.rescue_device = _choice(props, 'hw_rescue_device', RESCUE_DEVICES)
    return options


def device_names(buses):
    """Target device names for disks on ``buses`` in order: vda, vdb on virtio; sda, sdb on
    scsi/sata/usb (one namespace, as in the guest); hda... on ide (at most four)."""
    used = {}
    names = []
    for bus in buses:
        prefix = DEVICE_PREFIX[bus]
        index = used.get(prefix, 0)
        if prefix == 'hd' and index >= 4:
            raise exception.InvalidImagePropertyValue(
                name='hw_disk_bus', value='ide', reason='IDE takes at most 4 disks')
        used[prefix] = index + 1
        names.append(prefix + chr(ord('a') + index))
    return names
