"""Reading and checking the hw_* image properties and flavor extra specs."""

import pytest

from nova import exception
from nova import objects
from nova.virt.libvirt import guest_options


def _instance(vcpus=1, extra_specs=None, system_metadata=None, **values):
    flavor = objects.Flavor(id=1, name='m1', memory_mb=96, vcpus=vcpus, root_gb=1,
                            ephemeral_gb=0, swap=0, flavorid='1',
                            extra_specs=extra_specs or {})
    return objects.Instance(uuid='a4f0c0b6-1111-4222-8333-444455556666', vcpus=vcpus,
                            flavor=flavor, system_metadata=system_metadata or {}, **values)


def _read(props=None, virt_type='qemu', machine_types=(), **instance_values):
    return guest_options.read(_instance(**instance_values), {'properties': props or {}},
                              virt_type, machine_types)


def test_defaults():
    options = _read()
    assert (options.disk_bus, options.cdrom_bus, options.vif_model) == ('virtio', 'ide',
                                                                        'virtio')
    assert options.video_model is None and options.machine_type is None
    assert (options.cpu_mode, options.cpu_model) == ('none', None)
    assert (options.sockets, options.cores, options.threads) == (1, 1, 1)
    assert not options.guest_agent and options.pointer_model is None
    assert options.watchdog_action is None and options.serial_port_count == 1
    assert options.firmware == 'bios' and options.boot_menu is None
    assert _read(virt_type='kvm').cpu_mode == 'host-model'


def test_image_properties_come_from_system_metadata_unless_the_image_says():
    sysmeta = {'image_hw_disk_bus': 'sata', 'image_hw_qemu_guest_agent': 'True',
               'image_hw_video_model': 'vga'}
    options = guest_options.read(_instance(system_metadata=sysmeta), {}, 'qemu')
    assert options.disk_bus == 'sata' and options.guest_agent
    assert options.video_model == 'vga'
    options = guest_options.read(_instance(system_metadata=sysmeta),
                                 {'properties': {'hw_disk_bus': 'scsi'}}, 'qemu')
    assert options.disk_bus == 'scsi' and options.guest_agent


def test_valid_choices():
    options = _read({'hw_disk_bus': 'SCSI', 'hw_cdrom_bus': 'sata', 'hw_scsi_model':
                     'virtio-scsi', 'hw_vif_model': 'e1000', 'hw_video_model': 'qxl',
                     'hw_qemu_guest_agent': 'yes', 'hw_pointer_model': 'usbtablet',
                     'hw_watchdog_action': 'reset', 'hw_boot_menu': 'true',
                     'os_type': 'windows', 'hw_rescue_bus': 'usb',
                     'hw_rescue_device': 'cdrom'})
    assert (options.disk_bus, options.cdrom_bus, options.scsi_model) == (
        'scsi', 'sata', 'virtio-scsi')
    assert options.vif_model == 'e1000' and options.video_model == 'qxl'
    assert options.guest_agent and options.pointer_model == 'usbtablet'
    assert options.watchdog_action == 'reset' and options.boot_menu is True
    assert options.os_type == 'windows'
    assert (options.rescue_bus, options.rescue_device) == ('usb', 'cdrom')


@pytest.mark.parametrize('props, error', [
    ({'hw_disk_bus': 'floppy'}, exception.InvalidImagePropertyValue),
    ({'hw_disk_bus': 'xen'}, exception.InvalidImagePropertyValue),
    ({'hw_cdrom_bus': 'scsy'}, exception.InvalidImagePropertyValue),
    ({'hw_video_model': 'voodoo'}, exception.InvalidImagePropertyValue),
    ({'hw_vif_model': 'netfront'}, exception.UnsupportedHardware),
    ({'hw_qemu_guest_agent': 'maybe'}, exception.InvalidImagePropertyValue),
    ({'hw_pointer_model': 'mouse'}, exception.InvalidImagePropertyValue),
    ({'hw_watchdog_action': 'explode'}, exception.InvalidImagePropertyValue),
    ({'hw_serial_port_count': 'two'}, exception.ImageSerialPortNumberInvalid),
    ({'hw_serial_port_count': '9'}, exception.ImageSerialPortNumberInvalid),
    ({'hw_firmware_type': 'coreboot'}, exception.InvalidImagePropertyValue),
    ({'hw_boot_menu': 'perhaps'}, exception.InvalidImagePropertyValue),
    ({'os_type': 'beos'}, exception.InvalidImagePropertyValue),
    ({'hw_rescue_device': 'floppy'}, exception.InvalidImagePropertyValue),
    ({'hw_cpu_sockets': 'x'}, exception.InvalidImagePropertyValue),
    ({'hw_cpu_cores': '0'}, exception.InvalidImagePropertyValue),
    ({'hw_video_ram': '64'}, exception.RequestedVRamTooHigh),
    ({'hw_machine_type': 'q35', 'hw_disk_bus': 'ide'}, exception.InvalidImagePropertyValue),
])
def test_invalid_values_raise_naming_the_property(props, error):
    with pytest.raises(error) as info:
        _read(props)
    assert isinstance(info.value, exception.Invalid)


def test_flavor_watchdog_wins_and_disabled_means_no_device():
    assert _read({'hw_watchdog_action': 'reset'},
                 extra_specs={'hw:watchdog_action': 'pause'}).watchdog_action == 'pause'
    assert _read({'hw_watchdog_action': 'disabled'}).watchdog_action is None
    with pytest.raises(exception.InvalidImagePropertyValue):
        _read(extra_specs={'hw:watchdog_action': 'boom'})


def test_video_ram_within_the_flavor_maximum():
    options = _read({'hw_video_model': 'qxl', 'hw_video_ram': '32'},
                    extra_specs={'hw_video:ram_max_mb': '64'})
    assert options.video_vram_kib == 32 * 1024
    with pytest.raises(exception.RequestedVRamTooHigh):
        _read({'hw_video_ram': '128'}, extra_specs={'hw_video:ram_max_mb': '64'})


def test_serial_port_count_from_flavor_and_image():
    assert _read(extra_specs={'hw:serial_port_count': '3'}).serial_port_count == 3
    assert _read({'hw_serial_port_count': '2'},
                 extra_specs={'hw:serial_port_count': '3'}).serial_port_count == 2
    with pytest.raises(exception.ImageSerialPortNumberExceedFlavorValue):
        _read({'hw_serial_port_count': '4'}, extra_specs={'hw:serial_port_count': '2'})


@pytest.mark.parametrize('vcpus, specs, props, topology', [
    (4, {}, {}, (4, 1, 1)),
    (4, {'hw:cpu_sockets': '2'}, {}, (2, 2, 1)),
    (4, {'hw:cpu_max_sockets': '1'}, {}, (1, 4, 1)),
    (4, {'hw:cpu_max_sockets': '1', 'hw:cpu_max_cores': '2'}, {}, (1, 2, 2)),
    (4, {}, {'hw_cpu_threads': '2'}, (2, 1, 2)),
    (8, {'hw:cpu_sockets': '2'}, {'hw_cpu_cores': '2'}, (2, 2, 2)),
    (6, {}, {'hw_cpu_max_sockets': '2', 'hw_cpu_max_cores': '3'}, (2, 3, 1)),
])
def test_cpu_topology(vcpus, specs, props, topology):
    options = _read(props, vcpus=vcpus, extra_specs=specs)
    assert (options.sockets, options.cores, options.threads) == topology


def test_cpu_topology_limits():
    with pytest.raises(exception.ImageVCPULimitsRangeExceeded):
        _read({'hw_cpu_max_sockets': '4'}, vcpus=4, extra_specs={'hw:cpu_max_sockets': '2'})
    with pytest.raises(exception.ImageVCPUTopologyRangeExceeded):
        _read({'hw_cpu_sockets': '4'}, vcpus=4, extra_specs={'hw:cpu_max_sockets': '2'})
    with pytest.raises(exception.NoValidCPUTopology):
        _read(vcpus=3, extra_specs={'hw:cpu_max_sockets': '2', 'hw:cpu_max_cores': '1',
                                    'hw:cpu_max_threads': '1'})


def test_cpu_mode_and_models(conf):
    conf.set_override('cpu_mode', 'custom', group='libvirt')
    with pytest.raises(exception.InvalidCPUInfo):
        _read()
    conf.set_override('cpu_models', ['Haswell-noTSX', 'Broadwell'], group='libvirt')
    options = _read(virt_type='kvm')
    assert (options.cpu_mode, options.cpu_model) == ('custom', 'Haswell-noTSX')
    conf.set_override('cpu_mode', 'host-model', group='libvirt')
    with pytest.raises(exception.InvalidCPUInfo):
        _read()
    conf.set_override('cpu_models', [], group='libvirt')
    conf.set_override('cpu_mode', 'host-passthrough', group='libvirt')
    with pytest.raises(exception.InvalidCPUInfo):
        _read(virt_type='qemu')
    assert _read(virt_type='kvm').cpu_mode == 'host-passthrough'


def test_machine_type_from_image_or_config_checked_against_the_host(conf):
    host_types = {'pc', 'q35', 'pc-i440fx-7.2'}
    assert _read({'hw_machine_type': 'q35'}, machine_types=host_types).machine_type == 'q35'
    conf.set_override('hw_machine_type', ['aarch64=virt', 'x86_64=pc-i440fx-7.2'],
                      group='libvirt')
    assert _read(machine_types=host_types).machine_type == 'pc-i440fx-7.2'
    assert _read({'hw_machine_type': 'q35'}).machine_type == 'q35'
    with pytest.raises(exception.InvalidImagePropertyValue, match='machine type'):
        _read({'hw_machine_type': 'virt'}, machine_types=host_types)
    # q35 has no IDE: CD-ROMs go on SATA.
    assert _read({'hw_machine_type': 'q35'}).cdrom_bus == 'sata'


def test_uefi_needs_ovmf(monkeypatch, tmp_path):
    code, variables = tmp_path / 'OVMF_CODE_4M.fd', tmp_path / 'OVMF_VARS_4M.fd'
    monkeypatch.setattr(guest_options, 'OVMF_FILES', ((str(code), str(variables)),))
    with pytest.raises(exception.UEFINotSupported, match='ovmf'):
        _read({'hw_firmware_type': 'uefi'})
    code.write_bytes(b'x')
    variables.write_bytes(b'y')
    options = _read({'hw_firmware_type': 'uefi'})
    assert (options.firmware, options.ovmf_code, options.ovmf_vars) == (
        'uefi', str(code), str(variables))


def test_device_names_per_bus():
    assert guest_options.device_names(['virtio', 'virtio']) == ['vda', 'vdb']
    assert guest_options.device_names(['sata', 'scsi', 'virtio']) == ['sda', 'sdb', 'vda']
    assert guest_options.device_names(['ide'] * 4)[-1] == 'hdd'
    with pytest.raises(exception.InvalidImagePropertyValue):
        guest_options.device_names(['ide'] * 5)
