"""Libvirt domain XML from small config objects.

Each class holds the settings of one element and builds it with xml.etree (``format_dom``),
so escaping and structure come from the XML library, never from string templates. The
driver assembles a ``GuestConfig`` and calls ``to_xml()``.
"""

from xml.etree import ElementTree as etree


def _sub(parent, tag, text=None, **attrs):
    """A child element with the given attributes (None values left out) and text."""
    node = etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()
                                          if v is not None})
    if text is not None:
        node.text = str(text)
    return node


class ConfigObject:
    root_name = None

    def format_dom(self):
        raise NotImplementedError()

    def to_xml(self):
        dom = self.format_dom()
        etree.indent(dom)
        return etree.tostring(dom, encoding='unicode')


class GuestDisk(ConfigObject):
    """A file-backed disk (or CD-ROM) on a bus, e.g. virtio ``vda``."""

    root_name = 'disk'

    def __init__(self, source_path, target_dev, driver_format='qcow2', target_bus='virtio',
                 device='disk', cache='none', readonly=False, boot_order=None):
        self.source_path = source_path
        self.target_dev = target_dev
        self.driver_format = driver_format
        self.target_bus = target_bus
        self.device = device
        self.cache = cache
        self.readonly = readonly
        self.boot_order = boot_order

    def format_dom(self):
        disk = etree.Element('disk', type='file', device=self.device)
        _sub(disk, 'driver', name='qemu', type=self.driver_format, cache=self.cache)
        _sub(disk, 'source', file=self.source_path)
        _sub(disk, 'target', dev=self.target_dev, bus=self.target_bus)
        if self.readonly:
            _sub(disk, 'readonly')
        if self.boot_order is not None:
            _sub(disk, 'boot', order=self.boot_order)
        return disk


class GuestInterface(ConfigObject):
    """A NIC on a Linux bridge (type 'bridge': libvirt makes the tap and enslaves it) or
    on a tap device nova made beforehand (type 'ethernet', ``managed='no'``)."""

    root_name = 'interface'

    def __init__(self, mac_address, net_type='bridge', source_dev=None, target_dev=None,
                 model='virtio', mtu=None):
        self.mac_address = mac_address
        self.net_type = net_type
        self.source_dev = source_dev
        self.target_dev = target_dev
        self.model = model
        self.mtu = mtu

    def format_dom(self):
        nic = etree.Element('interface', type=self.net_type)
        _sub(nic, 'mac', address=self.mac_address)
        if self.net_type == 'bridge' and self.source_dev:
            _sub(nic, 'source', bridge=self.source_dev)
        if self.target_dev:
            _sub(nic, 'target', dev=self.target_dev,
                 managed='no' if self.net_type == 'ethernet' else None)
        _sub(nic, 'model', type=self.model)
        if self.mtu:
            _sub(nic, 'mtu', size=self.mtu)
        return nic


class GuestSerial(ConfigObject):
    """A serial port (or console) whose output goes to a log file; over TCP (listening,
    telnet-free raw protocol) for the serial proxy when ``listen_port`` is given, else to
    a pty nobody reads."""

    root_name = 'serial'

    def __init__(self, log_path=None, listen_host=None, listen_port=None, port=0,
                 root_name='serial'):
        self.log_path = log_path
        self.listen_host = listen_host
        self.listen_port = listen_port
        self.port = port
        self.root_name = root_name

    def format_dom(self):
        kind = 'tcp' if self.listen_port is not None else 'pty'
        serial = etree.Element(self.root_name, type=kind)
        if kind == 'tcp':
            _sub(serial, 'source', mode='bind', host=self.listen_host,
                 service=self.listen_port)
            _sub(serial, 'protocol', type='raw')
        if self.log_path:
            _sub(serial, 'log', file=self.log_path, append='off')
        _sub(serial, 'target', port=self.port)
        return serial


class GuestGraphics(ConfigObject):
    """A VNC or SPICE display on a port libvirt picks (autoport)."""

    root_name = 'graphics'

    def __init__(self, kind, listen, keymap=None):
        self.kind = kind
        self.listen = listen
        self.keymap = keymap

    def format_dom(self):
        graphics = etree.Element('graphics', type=self.kind, autoport='yes',
                                 listen=self.listen)
        if self.keymap:
            graphics.set('keymap', self.keymap)
        _sub(graphics, 'listen', type='address', address=self.listen)
        return graphics


class GuestMemBalloon(ConfigObject):
    root_name = 'memballoon'

    def __init__(self, model='virtio', period=10):
        self.model = model
        self.period = period

    def format_dom(self):
        balloon = etree.Element('memballoon', model=self.model)
        if self.period and self.period > 0:
            _sub(balloon, 'stats', period=self.period)
        return balloon


class GuestRng(ConfigObject):
    root_name = 'rng'

    def __init__(self, backend_path='/dev/urandom', rate_bytes=None, rate_period=None):
        self.backend_path = backend_path
        self.rate_bytes = rate_bytes
        self.rate_period = rate_period

    def format_dom(self):
        rng = etree.Element('rng', model='virtio')
        if self.rate_bytes:
            _sub(rng, 'rate', bytes=self.rate_bytes, period=self.rate_period or 1000)
        _sub(rng, 'backend', self.backend_path, model='random')
        return rng


class GuestVideo(ConfigObject):
    """A video card; ``vram_kib`` only when the flavor allows more than the default."""

    root_name = 'video'

    def __init__(self, model='virtio', vram_kib=None):
        self.model = model
        self.vram_kib = vram_kib

    def format_dom(self):
        video = etree.Element('video')
        _sub(video, 'model', type=self.model, vram=self.vram_kib)
        return video


class GuestChannel(ConfigObject):
    """A virtio-serial channel on a UNIX socket libvirt places itself, e.g. the QEMU guest
    agent's ``org.qemu.guest_agent.0``."""

    root_name = 'channel'

    def __init__(self, target_name):
        self.target_name = target_name

    def format_dom(self):
        channel = etree.Element('channel', type='unix')
        _sub(channel, 'source', mode='bind')
        _sub(channel, 'target', type='virtio', name=self.target_name)
        return channel


class GuestInput(ConfigObject):
    """A pointer device, e.g. a USB tablet (absolute coordinates: the VNC cursor and the
    guest's stay together)."""

    root_name = 'input'

    def __init__(self, kind='tablet', bus='usb'):
        self.kind = kind
        self.bus = bus

    def format_dom(self):
        return etree.Element('input', type=self.kind, bus=self.bus)


class GuestWatchdog(ConfigObject):
    root_name = 'watchdog'

    def __init__(self, action, model='i6300esb'):
        self.action = action
        self.model = model

    def format_dom(self):
        return etree.Element('watchdog', model=self.model, action=self.action)


class GuestController(ConfigObject):
    """A bus controller, e.g. the virtio-scsi controller SCSI disks hang on."""

    root_name = 'controller'

    def __init__(self, kind, model=None, index=0):
        self.kind = kind
        self.model = model
        self.index = index

    def format_dom(self):
        controller = etree.Element('controller', type=self.kind, index=str(self.index))
        if self.model:
            controller.set('model', self.model)
        return controller


class GuestTimer(ConfigObject):
    root_name = 'timer'

    def __init__(self, name, tickpolicy=None, present=None):
        self.name = name
        self.tickpolicy = tickpolicy
        self.present = present

    def format_dom(self):
        timer = etree.Element('timer', name=self.name)
        if self.tickpolicy:
            timer.set('tickpolicy', self.tickpolicy)
        if self.present is not None:
            timer.set('present', 'yes' if self.present else 'no')
        return timer


class GuestClock(ConfigObject):
    """The guest's clock: 'utc' for most guests, 'localtime' for Windows (it expects its
    RTC in local time)."""

    root_name = 'clock'

    def __init__(self, offset='utc', timers=()):
        self.offset = offset
        self.timers = list(timers)

    def format_dom(self):
        clock = etree.Element('clock', offset=self.offset)
        for timer in self.timers:
            clock.append(timer.format_dom())
        return clock


class GuestFeatureHyperV(ConfigObject):
    """Hyper-V enlightenments, which make Windows guests faster under QEMU/KVM."""

    root_name = 'hyperv'

    def __init__(self, relaxed=True, vapic=True, spinlock_retries=8191):
        self.relaxed = relaxed
        self.vapic = vapic
        self.spinlock_retries = spinlock_retries

    def format_dom(self):
        hyperv = etree.Element('hyperv')
        if self.relaxed:
            _sub(hyperv, 'relaxed', state='on')
        if self.vapic:
            _sub(hyperv, 'vapic', state='on')
        if self.spinlock_retries:
            _sub(hyperv, 'spinlocks', state='on', retries=self.spinlock_retries)
        return hyperv


class GuestCPU(ConfigObject):
    """The CPU the guest sees: ``mode`` host-model/host-passthrough/custom (``model``), or
    None for the hypervisor's default model (only the topology is given then)."""

    root_name = 'cpu'

    def __init__(self, mode=None, model=None, sockets=None, cores=None, threads=None):
        self.mode = mode
        self.model = model
        self.sockets, self.cores, self.threads = sockets, cores, threads

    def format_dom(self):
        cpu = etree.Element('cpu')
        if self.mode:
            cpu.set('mode', self.mode)
        if self.mode == 'custom' and self.model:
            cpu.set('match', 'exact')
            _sub(cpu, 'model', self.model, fallback='allow')
        if self.sockets:
            _sub(cpu, 'topology', sockets=self.sockets, cores=self.cores or 1,
                 threads=self.threads or 1)
        return cpu


class GuestConfig(ConfigObject):
    """A whole domain: identity, sizes, boot (a disk or a kernel), features, devices."""

    root_name = 'domain'

    def __init__(self, virt_type, name, uuid, memory_kib, vcpus, os_type='hvm'):
        self.virt_type = virt_type
        self.name = name
        self.uuid = uuid
        self.memory_kib = memory_kib
        self.vcpus = vcpus
        self.os_type = os_type
        self.os_machine_type = None
        self.os_loader = None  # UEFI: the firmware code (pflash, read-only)
        self.os_nvram = None  # UEFI: this guest's variable store
        self.os_nvram_template = None
        self.os_bootmenu = None  # True/False: <bootmenu enable=...>; None: not said
        self.os_kernel = None
        self.os_initrd = None
        self.os_cmdline = None
        self.os_boot_dev = []
        self.features = ['acpi', 'apic']
        self.cpu = None
        self.clock = None
        self.metadata = {}
        self.devices = []
        self.on_poweroff = 'destroy'
        self.on_reboot = 'restart'
        self.on_crash = 'destroy'

    def add_device(self, device):
        self.devices.append(device)

    def format_dom(self):
        domain = etree.Element('domain', type=self.virt_type)
        _sub(domain, 'name', self.name)
        _sub(domain, 'uuid', self.uuid)
        if self.metadata:
            meta = _sub(domain, 'metadata')
            ns = 'http://openstack.org/xmlns/libvirt/nova/1.1'
            instance = _sub(meta, '{%s}instance' % ns)
            for key, value in sorted(self.metadata.items()):
                _sub(instance, '{%s}%s' % (ns, key), value)
        _sub(domain, 'memory', self.memory_kib, unit='KiB')
        _sub(domain, 'currentMemory', self.memory_kib, unit='KiB')
        _sub(domain, 'vcpu', self.vcpus)
        os_node = _sub(domain, 'os')
        _sub(os_node, 'type', self.os_type, machine=self.os_machine_type)
        if self.os_loader:
            _sub(os_node, 'loader', self.os_loader, readonly='yes', type='pflash')
            _sub(os_node, 'nvram', self.os_nvram, template=self.os_nvram_template)
        if self.os_kernel:
            _sub(os_node, 'kernel', self.os_kernel)
            if self.os_initrd:
                _sub(os_node, 'initrd', self.os_initrd)
            if self.os_cmdline:
                _sub(os_node, 'cmdline', self.os_cmdline)
        for dev in self.os_boot_dev:
            _sub(os_node, 'boot', dev=dev)
        if self.os_bootmenu is not None:
            _sub(os_node, 'bootmenu', enable='yes' if self.os_bootmenu else 'no')
        if self.features:
            features = _sub(domain, 'features')
            for feature in self.features:
                if isinstance(feature, ConfigObject):
                    features.append(feature.format_dom())
                else:
                    _sub(features, feature)
        if self.cpu is not None:
            domain.append(self.cpu.format_dom())
        if self.clock is not None:
            domain.append(self.clock.format_dom())
        _sub(domain, 'on_poweroff', self.on_poweroff)
        _sub(domain, 'on_reboot', self.on_reboot)
        _sub(domain, 'on_crash', self.on_crash)
        devices = _sub(domain, 'devices')
        for device in self.devices:
            devices.append(device.format_dom())
        return domain


etree.register_namespace('nova', 'http://openstack.org/xmlns/libvirt/nova/1.1')


def parse_disk_paths(domain_xml):
    """The source file of every file disk of a domain XML, in device order."""
    root = etree.fromstring(domain_xml)
    return [source.get('file') for source in root.findall('./devices/disk/source')
            if source.get('file')]


def parse_graphics_port(domain_xml, kind):
    """(listen address, port) of the live domain's ``kind`` display, or None."""
    root = etree.fromstring(domain_xml)
    for graphics in root.findall('./devices/graphics'):
        if graphics.get('type') == kind and graphics.get('port') not in (None, '-1'):
            return graphics.get('listen'), int(graphics.get('port'))
    return None


def parse_serial_ports(domain_xml):
    """(host, port) of each TCP serial port of a domain XML."""
    root = etree.fromstring(domain_xml)
    ports = []
    for serial in root.findall('./devices/serial'):
        source = serial.find('source')
        if serial.get('type') == 'tcp' and source is not None and source.get('service'):
            ports.append((source.get('host'), int(source.get('service'))))
    return ports


def parse_interfaces(domain_xml):
    """(mac, target device) of each interface."""
    root = etree.fromstring(domain_xml)
    result = []
    for nic in root.findall('./devices/interface'):
        mac = nic.find('mac')
        target = nic.find('target')
        result.append((mac.get('address') if mac is not None else None,
                       target.get('dev') if target is not None else None))
    return result


def parse_disk_targets(domain_xml):
    root = etree.fromstring(domain_xml)
    return [target.get('dev') for target in root.findall('./devices/disk/target')]


def parse_machine_types(capabilities_xml, arch, domain_type):
    """The machine type names (aliases such as 'pc' included) the host's ``domain_type``
    guests of ``arch`` can have; empty when the capabilities list none (test driver)."""
    root = etree.fromstring(capabilities_xml)
    names = set()
    for guest in root.findall('./guest'):
        arch_node = guest.find('arch')
        if arch_node is None or arch_node.get('name') != arch:
            continue
        domains = [d.get('type') for d in arch_node.findall('domain')]
        if domain_type not in domains:
            continue
        names.update(m.text for m in arch_node.findall('machine') if m.text)
        for domain in arch_node.findall('domain'):
            if domain.get('type') == domain_type:
                names.update(m.text for m in domain.findall('machine') if m.text)
    return names


def has_nvram(domain_xml):
    return etree.fromstring(domain_xml).find('./os/nvram') is not None
