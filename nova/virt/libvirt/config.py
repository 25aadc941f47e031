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
    """A virtio NIC on a Linux bridge (type 'bridge') or a plain tap device ('ethernet')."""

    root_name = 'interface'

    def __init__(self, mac_address, net_type='bridge', source_dev=None, target_dev=None,
                 model='virtio'):
        self.mac_address = mac_address
        self.net_type = net_type
        self.source_dev = source_dev
        self.target_dev = target_dev
        self.model = model

    def format_dom(self):
        nic = etree.Element('interface', type=self.net_type)
        _sub(nic, 'mac', address=self.mac_address)
        if self.net_type == 'bridge' and self.source_dev:
            _sub(nic, 'source', bridge=self.source_dev)
        if self.target_dev:
            _sub(nic, 'target', dev=self.target_dev)
        _sub(nic, 'model', type=self.model)
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
    root_name = 'video'

    def __init__(self, model='virtio'):
        self.model = model

    def format_dom(self):
        video = etree.Element('video')
        _sub(video, 'model', type=self.model)
        return video


class GuestCPU(ConfigObject):
    """The CPU the guest sees: ``mode`` host-model/host-passthrough/custom (``model``)."""

    root_name = 'cpu'

    def __init__(self, mode, model=None, sockets=None, cores=None, threads=None):
        self.mode = mode
        self.model = model
        self.sockets, self.cores, self.threads = sockets, cores, threads

    def format_dom(self):
        cpu = etree.Element('cpu', mode=self.mode)
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
        self.os_kernel = None
        self.os_initrd = None
        self.os_cmdline = None
        self.os_boot_dev = []
        self.features = ['acpi', 'apic']
        self.cpu = None
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
        _sub(os_node, 'type', self.os_type)
        if self.os_kernel:
            _sub(os_node, 'kernel', self.os_kernel)
            if self.os_initrd:
                _sub(os_node, 'initrd', self.os_initrd)
            if self.os_cmdline:
                _sub(os_node, 'cmdline', self.os_cmdline)
        for dev in self.os_boot_dev:
            _sub(os_node, 'boot', dev=dev)
        if self.features:
            features = _sub(domain, 'features')
            for feature in self.features:
                _sub(features, feature)
        if self.cpu is not None:
            domain.append(self.cpu.format_dom())
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
