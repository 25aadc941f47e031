"""LibvirtDriver's hw_* devices and guest NICs against libvirt's test driver
(test:///default); the host's network devices (privsep's ip commands) are the faked edge."""

import json
import os
import shutil
from xml.etree import ElementTree as etree

import pytest

from nova import exception
from nova import objects
from nova.privsep import linux_net
from nova.virt.libvirt import guest_options
from nova.virt.libvirt import vif as vif_mod
from tests.unit.virt.libvirt.test_driver import ROOT_IMAGE
from tests.unit.virt.libvirt.test_driver import _instance

libvirt = pytest.importorskip('libvirt')
pytestmark = pytest.mark.skipif(shutil.which('qemu-img') is None,
                                reason='qemu-img is not installed')


def _spawn(drv, ctx, props=None, network_info=None, **values):
    instance = _instance(**values)
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': props or {}},
              network_info=network_info)
    return instance


def _live(drv, instance):
    return etree.fromstring(drv._host.lookup(instance.uuid).XMLDesc(0))


def test_hw_properties_reach_the_domain(drv, ctx, conf):
    conf.set_override('mem_stats_period_seconds', 7, group='libvirt')
    instance = _spawn(drv, ctx, {
        'hw_disk_bus': 'scsi', 'hw_video_model': 'vga', 'hw_qemu_guest_agent': 'true',
        'hw_pointer_model': 'usbtablet', 'hw_watchdog_action': 'poweroff',
        'hw_serial_port_count': '2', 'hw_boot_menu': 'true', 'hw_machine_type': 'pc',
        'hw_cpu_threads': '2'}, vcpus=4)
    domain = _live(drv, instance)
    assert domain.find('os/type').get('machine') == 'pc'
    assert domain.find('os/bootmenu').get('enable') == 'yes'
    assert domain.find('cpu/topology').attrib == {'sockets': '2', 'dies': '1', 'cores': '1',
                                                  'threads': '2'}
    assert domain.find('clock').get('offset') == 'utc'
    assert [d.find('target').attrib for d in domain.findall('devices/disk')] == [
        {'dev': 'sda', 'bus': 'scsi'}]
    assert domain.find("devices/controller[@type='scsi']").get('model') == 'virtio-scsi'
    assert domain.find('devices/video/model').get('type') == 'vga'
    assert domain.find('devices/channel/target').get('name') == 'org.qemu.guest_agent.0'
    assert domain.find('devices/input').attrib == {'type': 'tablet', 'bus': 'usb'}
    assert domain.find('devices/watchdog').attrib == {'model': 'i6300esb',
                                                      'action': 'poweroff'}
    serials = domain.findall('devices/serial')
    assert [s.find('target').get('port') for s in serials] == ['0', '1']
    assert serials[0].find('log') is not None and serials[1].find('log') is None
    assert domain.find('devices/memballoon/stats').get('period') == '7'


def test_properties_saved_in_system_metadata_count_too(drv, ctx):
    instance = _instance(system_metadata={'image_hw_disk_bus': 'sata',
                                          'image_hw_vif_model': 'e1000'})
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE})
    domain = _live(drv, instance)
    assert domain.find('devices/disk/target').attrib == {'dev': 'sda', 'bus': 'sata'}


def test_flavor_extra_specs_choose_topology_and_watchdog(drv, ctx):
    instance = _instance(vcpus=4)
    instance.flavor.extra_specs = {'hw:cpu_sockets': '1', 'hw:watchdog_action': 'reset'}
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {}})
    domain = _live(drv, instance)
    assert domain.find('cpu/topology').get('cores') == '4'
    assert domain.find('devices/watchdog').get('action') == 'reset'


def test_windows_guests_get_localtime_and_hyperv(drv, ctx):
    instance = _spawn(drv, ctx, {'os_type': 'windows'})
    domain = _live(drv, instance)
    assert domain.find('clock').get('offset') == 'localtime'
    assert domain.find('features/hyperv/relaxed').get('state') == 'on'


@pytest.mark.parametrize('props', [
    {'hw_disk_bus': 'floppy'}, {'hw_video_model': 'voodoo'}, {'hw_vif_model': 'netfront'},
    {'hw_watchdog_action': 'explode'}, {'hw_machine_type': 'q35', 'hw_disk_bus': 'ide'},
    {'hw_firmware_type': 'uefi'}, {'hw_serial_port_count': '0'}])
def test_invalid_properties_fail_before_anything_is_created(drv, ctx, conf, props,
                                                             monkeypatch):
    monkeypatch.setattr(guest_options, 'OVMF_FILES', (('/nonexistent/CODE.fd',
                                                       '/nonexistent/VARS.fd'),))
    instance = _instance()
    with pytest.raises(exception.Invalid):
        drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': props})
    assert drv._host.lookup(instance.uuid) is None
    assert not os.path.exists(os.path.join(conf.instances_path, instance.uuid))
    assert drv._image_api.downloads == []


def test_uefi_guest_config(drv, ctx, conf, monkeypatch, tmp_path):
    code, variables = tmp_path / 'CODE.fd', tmp_path / 'VARS.fd'
    code.write_bytes(b'c')
    variables.write_bytes(b'v')
    monkeypatch.setattr(guest_options, 'OVMF_FILES', ((str(code), str(variables)),))
    instance = _instance()
    os.makedirs(os.path.join(conf.instances_path, instance.uuid))
    guest = drv._guest_config(instance, {'properties': {'hw_firmware_type': 'uefi'}},
                              [('/i/disk', 'qcow2')])
    domain = etree.fromstring(guest.to_xml())
    assert domain.findtext('os/loader') == str(code)
    assert domain.find('os/nvram').get('template') == str(variables)
    assert domain.findtext('os/nvram').endswith(instance.uuid + '/nvram.fd')


def test_rescue_disk_on_the_rescue_bus_and_device(drv, ctx):
    instance = _spawn(drv, ctx)
    drv.rescue(ctx, instance, [], {'id': ROOT_IMAGE, 'properties': {
        'hw_rescue_device': 'cdrom', 'hw_rescue_bus': 'sata'}}, 'pw')
    disks = _live(drv, instance).findall('devices/disk')
    assert disks[0].get('device') == 'cdrom'
    assert disks[0].find('target').attrib == {'dev': 'sda', 'bus': 'sata'}
    assert disks[0].find('boot').get('order') == '1'
    assert disks[1].find('target').attrib == {'dev': 'vda', 'bus': 'virtio'}
    drv.unrescue(ctx, instance)
    assert len(_live(drv, instance).findall('devices/disk')) == 1


# -- guest NICs ----------------------------------------------------------------------------

@pytest.fixture
def net(monkeypatch):
    """Recorded privsep network calls and the devices they made."""
    devices, calls = {}, []

    def add_bridge(name, mtu=None, alias=None):
        calls.append(('add_bridge', name))
        devices[name] = alias

    def add_tap(name, mtu=None, mac=None):
        calls.append(('add_tap', name))
        devices[name] = ''

    def delete_device(name):
        calls.append(('delete', name))
        del devices[name]
    monkeypatch.setattr(linux_net, 'add_bridge', add_bridge)
    monkeypatch.setattr(linux_net, 'add_tap', add_tap)
    monkeypatch.setattr(linux_net, 'set_mtu', lambda name, mtu: None)
    monkeypatch.setattr(linux_net, 'delete_device', delete_device)
    monkeypatch.setattr(vif_mod, '_exists', lambda name: name in devices)
    monkeypatch.setattr(vif_mod, '_alias', lambda name: devices.get(name) or '')
    monkeypatch.setattr(vif_mod, '_bridge_ports', lambda name: [])
    return devices, calls


def _vifs():
    return [{'id': '11111111-2222-4333-8444-555555555555', 'address': 'fa:16:3e:00:00:0a',
             'type': 'bridge', 'network': {'bridge': 'brtest0', 'meta': {'mtu': 1400}}},
            {'id': '66666666-7777-4888-9999-000000000000', 'address': 'fa:16:3e:00:00:0b',
             'type': 'tap', 'devname': 'tapfixed0'}]


def test_spawn_plugs_the_vifs_and_destroy_unplugs_them(drv, ctx, net):
    devices, calls = net
    instance = _spawn(drv, ctx, {'hw_vif_model': 'rtl8139'}, network_info=_vifs())
    assert calls == [('add_bridge', 'brtest0'), ('add_tap', 'tapfixed0')]
    nics = _live(drv, instance).findall('devices/interface')
    assert [(n.get('type'), n.find('mac').get('address'), n.find('target').get('dev'),
             n.find('model').get('type')) for n in nics] == [
        ('bridge', 'fa:16:3e:00:00:0a', 'tap11111111-22', 'rtl8139'),
        ('ethernet', 'fa:16:3e:00:00:0b', 'tapfixed0', 'rtl8139')]
    assert nics[0].find('source').get('bridge') == 'brtest0'
    assert nics[0].find('mtu').get('size') == '1400'
    drv.destroy(ctx, instance, network_info=_vifs())
    assert devices == {}


def test_network_info_comes_from_the_info_cache_when_not_given(drv, ctx, net):
    devices, calls = net
    instance = _instance()
    instance.info_cache = objects.InstanceInfoCache(instance_uuid=instance.uuid,
                                                    network_info=json.dumps(_vifs()))
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {}}, network_info=[])
    assert len(_live(drv, instance).findall('devices/interface')) == 2
    drv.power_off(instance)
    devices.clear()  # the host lost its devices (e.g. rebooted)
    drv.power_on(ctx, instance, [])
    assert set(devices) == {'brtest0', 'tapfixed0'}
    drv.reboot(ctx, instance, [], 'HARD')
    drv.destroy(ctx, instance, network_info=[])
    assert devices == {}


def test_a_bad_vif_fails_spawn_before_anything_is_created(drv, ctx, conf, net):
    instance = _instance()
    with pytest.raises(exception.NovaException, match='ovs'):
        drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {}},
                  network_info=[dict(_vifs()[0], type='ovs')])
    assert not os.path.exists(os.path.join(conf.instances_path, instance.uuid))
    assert net[1] == []
