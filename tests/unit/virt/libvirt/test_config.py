"""The domain XML the config classes build, checked as XML (not as strings)."""

from xml.etree import ElementTree as etree

from nova.virt.libvirt import config


def _dom(obj):
    return etree.fromstring(obj.to_xml())


def test_file_disk():
    disk = _dom(config.GuestDisk('/i/disk', 'vda', driver_format='qcow2', cache='none'))
    assert disk.tag == 'disk' and disk.get('type') == 'file' and disk.get('device') == 'disk'
    assert disk.find('driver').attrib == {'name': 'qemu', 'type': 'qcow2', 'cache': 'none'}
    assert disk.find('source').get('file') == '/i/disk'
    assert disk.find('target').attrib == {'dev': 'vda', 'bus': 'virtio'}
    assert disk.find('readonly') is None


def test_readonly_cdrom_with_boot_order():
    disk = _dom(config.GuestDisk('/i/cd', 'sda', driver_format='raw', target_bus='sata',
                                 device='cdrom', readonly=True, boot_order=1))
    assert disk.get('device') == 'cdrom'
    assert disk.find('readonly') is not None
    assert disk.find('boot').get('order') == '1'


def test_bridge_interface():
    nic = _dom(config.GuestInterface('fa:16:3e:00:00:01', source_dev='br100',
                                     target_dev='tap1'))
    assert nic.get('type') == 'bridge'
    assert nic.find('mac').get('address') == 'fa:16:3e:00:00:01'
    assert nic.find('source').get('bridge') == 'br100'
    assert nic.find('target').get('dev') == 'tap1'
    assert nic.find('model').get('type') == 'virtio'


def test_serial_tcp_with_log():
    serial = _dom(config.GuestSerial('/i/console.log', '127.0.0.1', 10000))
    assert serial.get('type') == 'tcp'
    assert serial.find('source').attrib == {'mode': 'bind', 'host': '127.0.0.1',
                                            'service': '10000'}
    assert serial.find('protocol').get('type') == 'raw'
    assert serial.find('log').get('file') == '/i/console.log'
    assert serial.find('target').get('port') == '0'


def test_serial_pty_with_log():
    serial = _dom(config.GuestSerial('/i/console.log'))
    assert serial.get('type') == 'pty'
    assert serial.find('source') is None
    assert serial.find('log').get('file') == '/i/console.log'


def test_graphics_vnc_and_spice():
    vnc = _dom(config.GuestGraphics('vnc', '127.0.0.1', keymap='en-us'))
    assert vnc.attrib == {'type': 'vnc', 'autoport': 'yes', 'listen': '127.0.0.1',
                          'keymap': 'en-us'}
    assert vnc.find('listen').attrib == {'type': 'address', 'address': '127.0.0.1'}
    spice = _dom(config.GuestGraphics('spice', '0.0.0.0'))
    assert spice.get('type') == 'spice' and spice.get('keymap') is None


def test_memballoon_and_rng():
    balloon = _dom(config.GuestMemBalloon(period=10))
    assert balloon.get('model') == 'virtio'
    assert balloon.find('stats').get('period') == '10'
    assert _dom(config.GuestMemBalloon(period=0)).find('stats') is None
    rng = _dom(config.GuestRng('/dev/urandom', rate_bytes=1024, rate_period=2000))
    assert rng.get('model') == 'virtio'
    assert rng.find('backend').text == '/dev/urandom'
    assert rng.find('backend').get('model') == 'random'
    assert rng.find('rate').attrib == {'bytes': '1024', 'period': '2000'}


def test_cpu_modes():
    assert _dom(config.GuestCPU('host-model')).attrib == {'mode': 'host-model'}
    custom = _dom(config.GuestCPU('custom', model='Haswell', sockets=1, cores=2))
    assert custom.get('match') == 'exact'
    assert custom.find('model').text == 'Haswell'
    assert custom.find('topology').attrib == {'sockets': '1', 'cores': '2', 'threads': '1'}


def _kernel_guest():
    guest = config.GuestConfig('qemu', 'instance-00000001',
                               'a4f0c0b6-1111-4222-8333-444455556666', 96 * 1024, 1)
    guest.os_kernel, guest.os_initrd = '/i/kernel', '/i/ramdisk'
    guest.os_cmdline = 'console=ttyS0 quiet'
    guest.metadata = {'name': 'vm & <friends>'}
    guest.add_device(config.GuestDisk('/i/disk', 'vda'))
    guest.add_device(config.GuestSerial('/i/console.log'))
    guest.add_device(config.GuestMemBalloon())
    return guest


def test_domain_with_direct_kernel_boot():
    domain = _dom(_kernel_guest())
    assert domain.tag == 'domain' and domain.get('type') == 'qemu'
    assert domain.findtext('name') == 'instance-00000001'
    assert domain.findtext('uuid') == 'a4f0c0b6-1111-4222-8333-444455556666'
    assert domain.find('memory').attrib == {'unit': 'KiB'}
    assert domain.findtext('memory') == str(96 * 1024)
    assert domain.findtext('currentMemory') == str(96 * 1024)
    assert domain.findtext('vcpu') == '1'
    os_node = domain.find('os')
    assert os_node.findtext('type') == 'hvm'
    assert os_node.findtext('kernel') == '/i/kernel'
    assert os_node.findtext('initrd') == '/i/ramdisk'
    assert os_node.findtext('cmdline') == 'console=ttyS0 quiet'
    assert os_node.find('boot') is None
    assert [f.tag for f in domain.find('features')] == ['acpi', 'apic']
    assert [d.tag for d in domain.find('devices')] == ['disk', 'serial', 'memballoon']
    ns = '{http://openstack.org/xmlns/libvirt/nova/1.1}'
    assert domain.find('metadata/%sinstance/%sname' % (ns, ns)).text == 'vm & <friends>'
    assert domain.findtext('on_crash') == 'destroy'


def test_domain_booting_from_disk():
    guest = config.GuestConfig('kvm', 'i', 'u', 1024, 2)
    guest.os_boot_dev = ['hd']
    guest.cpu = config.GuestCPU('host-model')
    domain = _dom(guest)
    assert domain.find('os/boot').get('dev') == 'hd'
    assert domain.find('os/kernel') is None
    assert domain.find('cpu').get('mode') == 'host-model'


def test_parsers():
    guest = _kernel_guest()
    guest.add_device(config.GuestSerial('/i/log2', '127.0.0.1', 10005))
    guest.add_device(config.GuestInterface('fa:16:3e:00:00:02', target_dev='tap2'))
    xml = guest.to_xml()
    assert config.parse_disk_paths(xml) == ['/i/disk']
    assert config.parse_disk_targets(xml) == ['vda']
    assert config.parse_serial_ports(xml) == [('127.0.0.1', 10005)]
    assert config.parse_interfaces(xml) == [('fa:16:3e:00:00:02', 'tap2')]
    graphics = config.GuestGraphics('vnc', '127.0.0.1').to_xml().replace(
        'autoport=', 'port="5901" autoport=')
    live = xml.replace('</devices>', graphics + '</devices>')
    assert config.parse_graphics_port(live, 'vnc') == ('127.0.0.1', 5901)
    assert config.parse_graphics_port(live, 'spice') is None


# -- devices and platform parts the hw_* properties choose ---------------------------------

def test_ethernet_interface_on_an_unmanaged_tap_with_mtu():
    nic = _dom(config.GuestInterface('fa:16:3e:00:00:03', net_type='ethernet',
                                     target_dev='tap0123456789a', model='e1000', mtu=1400))
    assert nic.get('type') == 'ethernet'
    assert nic.find('source') is None
    assert nic.find('target').attrib == {'dev': 'tap0123456789a', 'managed': 'no'}
    assert nic.find('model').get('type') == 'e1000'
    assert nic.find('mtu').get('size') == '1400'


def test_bridge_interface_target_stays_managed():
    nic = _dom(config.GuestInterface('fa:16:3e:00:00:04', source_dev='br1',
                                     target_dev='tap1', mtu=9000))
    assert nic.find('target').attrib == {'dev': 'tap1'}
    assert nic.find('mtu').get('size') == '9000'


def test_video_with_and_without_vram():
    video = _dom(config.GuestVideo('qxl', vram_kib=65536))
    assert video.find('model').attrib == {'type': 'qxl', 'vram': '65536'}
    assert _dom(config.GuestVideo('vga')).find('model').attrib == {'type': 'vga'}


def test_guest_agent_channel():
    channel = _dom(config.GuestChannel('org.qemu.guest_agent.0'))
    assert channel.get('type') == 'unix'
    assert channel.find('source').attrib == {'mode': 'bind'}
    assert channel.find('target').attrib == {'type': 'virtio',
                                             'name': 'org.qemu.guest_agent.0'}


def test_input_watchdog_and_controller():
    assert _dom(config.GuestInput()).attrib == {'type': 'tablet', 'bus': 'usb'}
    assert _dom(config.GuestWatchdog('poweroff')).attrib == {'model': 'i6300esb',
                                                             'action': 'poweroff'}
    assert _dom(config.GuestController('scsi', 'virtio-scsi')).attrib == {
        'type': 'scsi', 'index': '0', 'model': 'virtio-scsi'}


def test_clock_with_timers():
    clock = _dom(config.GuestClock('localtime', [
        config.GuestTimer('pit', tickpolicy='delay'), config.GuestTimer('hpet', present=False),
        config.GuestTimer('hypervclock', present=True)]))
    assert clock.get('offset') == 'localtime'
    assert [t.attrib for t in clock] == [{'name': 'pit', 'tickpolicy': 'delay'},
                                         {'name': 'hpet', 'present': 'no'},
                                         {'name': 'hypervclock', 'present': 'yes'}]


def test_cpu_without_mode_gives_only_the_topology():
    cpu = _dom(config.GuestCPU(None, sockets=2, cores=1, threads=2))
    assert cpu.attrib == {}
    assert cpu.find('model') is None
    assert cpu.find('topology').attrib == {'sockets': '2', 'cores': '1', 'threads': '2'}


def test_domain_with_machine_type_uefi_boot_menu_and_hyperv():
    guest = config.GuestConfig('kvm', 'i', 'u', 1024, 1)
    guest.os_boot_dev = ['hd']
    guest.os_machine_type = 'q35'
    guest.os_loader = '/usr/share/OVMF/OVMF_CODE_4M.fd'
    guest.os_nvram_template = '/usr/share/OVMF/OVMF_VARS_4M.fd'
    guest.os_nvram = '/i/nvram.fd'
    guest.os_bootmenu = True
    guest.features.append(config.GuestFeatureHyperV())
    guest.clock = config.GuestClock()
    domain = _dom(guest)
    os_node = domain.find('os')
    assert os_node.find('type').attrib == {'machine': 'q35'}
    assert os_node.find('loader').attrib == {'readonly': 'yes', 'type': 'pflash'}
    assert os_node.findtext('loader') == '/usr/share/OVMF/OVMF_CODE_4M.fd'
    assert os_node.find('nvram').get('template') == '/usr/share/OVMF/OVMF_VARS_4M.fd'
    assert os_node.findtext('nvram') == '/i/nvram.fd'
    assert os_node.find('bootmenu').get('enable') == 'yes'
    hyperv = domain.find('features/hyperv')
    assert [c.tag for c in hyperv] == ['relaxed', 'vapic', 'spinlocks']
    assert hyperv.find('spinlocks').attrib == {'state': 'on', 'retries': '8191'}
    assert domain.find('clock').get('offset') == 'utc'
    assert config.has_nvram(guest.to_xml())
    assert not config.has_nvram(_kernel_guest().to_xml())


def test_machine_types_of_the_capabilities():
    caps = """<capabilities><guest><os_type>hvm</os_type>
      <arch name='x86_64'><machine canonical='pc-i440fx-7.2'>pc</machine>
        <machine>pc-i440fx-7.2</machine><machine>q35</machine>
        <domain type='qemu'/><domain type='kvm'><machine>pc-kvm-only</machine></domain>
      </arch></guest>
      <guest><os_type>hvm</os_type><arch name='i686'><machine>isapc</machine>
        <domain type='qemu'/></arch></guest></capabilities>"""
    assert config.parse_machine_types(caps, 'x86_64', 'qemu') == {'pc', 'pc-i440fx-7.2',
                                                                  'q35'}
    assert 'pc-kvm-only' in config.parse_machine_types(caps, 'x86_64', 'kvm')
    assert config.parse_machine_types(caps, 'x86_64', 'test') == set()
