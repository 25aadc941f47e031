"""LibvirtDriver against libvirt's own test driver (test:///default: no daemon, in-process
state, domain type 'test'), with real qemu-img on small files; only the image API is faked
(it is the edge of the unit)."""

import json
import os
import shutil
import subprocess
import threading
import uuid

import pytest

from nova import context as nova_context
from nova import exception
from nova import objects
from nova.compute import power_state
from nova.virt import images
from nova.virt.libvirt import driver as libvirt_driver

libvirt = pytest.importorskip('libvirt')
pytestmark = pytest.mark.skipif(shutil.which('qemu-img') is None,
                                reason='qemu-img is not installed')

ROOT_IMAGE = 'c0ffee00-0000-4000-8000-000000000001'
KERNEL_IMAGE = 'c0ffee00-0000-4000-8000-000000000002'
RAMDISK_IMAGE = 'c0ffee00-0000-4000-8000-000000000003'


class FakeImageAPI:
    """Writes each image's data to the destination as the real API does (whole or not at
    all) and counts downloads."""

    def __init__(self, tmp_path):
        self.downloads = []
        self.data = {KERNEL_IMAGE: b'kernel' * 100, RAMDISK_IMAGE: b'ramdisk' * 100}
        raw = tmp_path / 'root.raw'
        raw.write_bytes(b'\0' * 1024 * 1024)
        self.data[ROOT_IMAGE] = raw.read_bytes()

    def get(self, context, image_id):
        return {'id': image_id, 'properties': {}}

    def download(self, context, image_id, dst_path=None):
        self.downloads.append(image_id)
        with open(dst_path, 'wb') as f:
            f.write(self.data[image_id])
        return self.get(context, image_id)


@pytest.fixture
def drv(conf, tmp_path):
    conf.set_override('connection_uri', 'test:///default', group='libvirt')
    conf.set_override('instances_path', str(tmp_path / 'instances'))
    conf.set_override('wait_soft_reboot_seconds', 2, group='libvirt')
    conf.set_override('spawn_timeout', 5, group='libvirt')
    driver = libvirt_driver.LibvirtDriver()
    driver._image_api = FakeImageAPI(tmp_path)
    driver.init_host('host1')
    yield driver
    for dom in driver._host.list_domains():
        if dom.name().startswith('instance-'):
            driver._undefine(dom)


_ids = iter(range(1000, 100000))


def _instance(**values):
    flavor = objects.Flavor(id=1, name='m1', memory_mb=96, vcpus=1, root_gb=1,
                            ephemeral_gb=0, swap=0, flavorid='1', extra_specs={})
    defaults = dict(id=next(_ids), uuid=str(uuid.uuid4()),
                    display_name='vm', memory_mb=96, vcpus=1, root_gb=1, ephemeral_gb=0,
                    image_ref=ROOT_IMAGE, kernel_id='', ramdisk_id='', flavor=flavor,
                    system_metadata={}, config_drive='', launched_at=None)
    defaults.update(values)
    if 'swap' in values:
        flavor.swap = defaults.pop('swap')
    return objects.Instance(**defaults)


@pytest.fixture
def ctx():
    return nova_context.get_admin_context()


def _spawn(drv, ctx, **values):
    instance = _instance(**values)
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {}})
    return instance


def _dom_xml(drv, instance):
    return drv._host.lookup(instance.uuid).XMLDesc(0)


def test_spawn_defines_and_runs_the_domain_with_an_overlay(drv, ctx, conf):
    instance = _spawn(drv, ctx)
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    assert instance.name in drv.list_instances()
    instance_dir = os.path.join(conf.instances_path, instance.uuid)
    disk = os.path.join(instance_dir, 'disk')
    info = json.loads(subprocess.check_output(
        ['qemu-img', 'info', '-U', '--output=json', disk]))
    base = os.path.join(conf.instances_path, '_base', images.cached_name(ROOT_IMAGE))
    assert info['format'] == 'qcow2'
    assert info['backing-filename'] == base
    assert info['backing-filename-format'] == 'raw'
    assert info['virtual-size'] == 1024 ** 3  # grown to the flavor's root_gb
    xml = _dom_xml(drv, instance)
    assert disk in xml and "type='test'" in xml
    assert os.path.exists(os.path.join(instance_dir, 'libvirt.xml'))


def test_raw_images_type_makes_a_full_copy(drv, ctx, conf):
    conf.set_override('images_type', 'raw', group='libvirt')
    instance = _spawn(drv, ctx)
    info = json.loads(subprocess.check_output(
        ['qemu-img', 'info', '--output=json',
         os.path.join(conf.instances_path, instance.uuid, 'disk')]))
    assert info['format'] == 'raw' and 'backing-filename' not in info
    assert info['virtual-size'] == 1024 ** 3


def test_ephemeral_and_swap_disks(drv, ctx, conf):
    instance = _spawn(drv, ctx, ephemeral_gb=1, swap=64)
    instance_dir = os.path.join(conf.instances_path, instance.uuid)
    xml = _dom_xml(drv, instance)
    for name, dev in (('disk', 'vda'), ('disk.eph0', 'vdb'), ('disk.swap', 'vdc')):
        assert os.path.join(instance_dir, name) in xml
        assert "dev='%s'" % dev in xml
    info = json.loads(subprocess.check_output(
        ['qemu-img', 'info', '--output=json', os.path.join(instance_dir, 'disk.swap')]))
    assert info['virtual-size'] == 64 * 1024 ** 2


def test_direct_kernel_boot_copies_kernel_and_ramdisk(drv, ctx, conf):
    instance = _instance(kernel_id=KERNEL_IMAGE, ramdisk_id=RAMDISK_IMAGE)
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {
        'kernel_id': KERNEL_IMAGE, 'ramdisk_id': RAMDISK_IMAGE,
        'os_command_line': 'console=ttyS0 marker'}})
    instance_dir = os.path.join(conf.instances_path, instance.uuid)
    xml = _dom_xml(drv, instance)
    assert '<kernel>%s/kernel</kernel>' % instance_dir in xml
    assert '<initrd>%s/ramdisk</initrd>' % instance_dir in xml
    assert '<cmdline>console=ttyS0 marker</cmdline>' in xml
    with open(os.path.join(instance_dir, 'kernel'), 'rb') as f:
        assert f.read() == b'kernel' * 100


def test_images_are_downloaded_once_per_host(drv, ctx):
    first = _spawn(drv, ctx)
    second = _spawn(drv, ctx)
    assert drv._image_api.downloads == [ROOT_IMAGE]
    assert drv.get_info(first)['state'] == drv.get_info(second)['state'] == 1


def test_concurrent_builds_download_once(drv, ctx):
    instances = [_instance() for _ in range(3)]
    threads = [threading.Thread(target=drv.spawn,
                                args=(ctx, i, {'id': ROOT_IMAGE, 'properties': {}}))
               for i in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert drv._image_api.downloads == [ROOT_IMAGE]
    assert all(drv.get_info(i)['state'] == power_state.RUNNING for i in instances)


def test_destroy_removes_domain_and_disks_but_keeps_the_base(drv, ctx, conf):
    instance = _spawn(drv, ctx)
    drv.destroy(ctx, instance)
    assert drv._host.lookup(instance.uuid) is None
    assert not os.path.exists(os.path.join(conf.instances_path, instance.uuid))
    assert os.listdir(os.path.join(conf.instances_path, '_base')) != []
    drv.destroy(ctx, instance)  # gone already: still fine
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(instance)


def test_power_cycle_pause_and_suspend(drv, ctx):
    instance = _spawn(drv, ctx)
    drv.power_off(instance)
    assert drv.get_info(instance)['state'] == power_state.SHUTDOWN
    drv.power_on(ctx, instance, [])
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    drv.pause(instance)
    assert drv.get_info(instance)['state'] == power_state.PAUSED
    drv.unpause(instance)
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    drv.suspend(ctx, instance)
    dom = drv._host.lookup(instance.uuid)
    assert dom.hasManagedSaveImage(0)
    assert drv.get_info(instance)['state'] == power_state.SHUTDOWN
    drv.resume(ctx, instance, [])
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    assert not dom.hasManagedSaveImage(0)


def test_clean_power_off_uses_shutdown(drv, ctx):
    instance = _spawn(drv, ctx)
    drv.power_off(instance, timeout=5, retry_interval=1)
    assert drv.get_info(instance)['state'] == power_state.SHUTDOWN


def test_soft_and_hard_reboot(drv, ctx):
    instance = _spawn(drv, ctx)
    drv.reboot(ctx, instance, [], 'SOFT')
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    drv.reboot(ctx, instance, [], 'HARD')
    assert drv.get_info(instance)['state'] == power_state.RUNNING


def test_hard_reboot_and_power_on_redefine_a_lost_domain(drv, ctx):
    instance = _spawn(drv, ctx)
    drv._undefine(drv._host.lookup(instance.uuid))
    drv.reboot(ctx, instance, [], 'HARD')
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    drv._undefine(drv._host.lookup(instance.uuid))
    drv.power_on(ctx, instance, [])
    assert drv.get_info(instance)['state'] == power_state.RUNNING


def test_actions_on_a_missing_guest_raise_instance_not_found(drv, ctx):
    instance = _instance()
    for call in (lambda: drv.pause(instance), lambda: drv.suspend(ctx, instance),
                 lambda: drv.power_off(instance), lambda: drv.get_diagnostics(instance),
                 lambda: drv.reboot(ctx, instance, [], 'SOFT'),
                 lambda: drv.get_console_output(ctx, instance)):
        with pytest.raises(exception.InstanceNotFound):
            call()


def test_console_output_is_the_tail_of_the_log(drv, ctx, conf):
    instance = _spawn(drv, ctx)
    log = os.path.join(conf.instances_path, instance.uuid, 'console.log')
    assert drv.get_console_output(ctx, instance) == ''
    with open(log, 'wb') as f:
        f.write(b'x' * (libvirt_driver.MAX_CONSOLE_BYTES) + b'\nlast line MARKER\n')
    output = drv.get_console_output(ctx, instance)
    assert output.endswith('last line MARKER\n')
    assert output.startswith('last line')  # the cut partial line is dropped
    assert "<log file='%s'" % log in _dom_xml(drv, instance)


def test_rescue_and_unrescue(drv, ctx, conf):
    instance = _spawn(drv, ctx)
    instance_dir = os.path.join(conf.instances_path, instance.uuid)
    drv.rescue(ctx, instance, [], {'id': ROOT_IMAGE}, 'secret')
    xml = _dom_xml(drv, instance)
    assert os.path.join(instance_dir, 'rescue.disk') in xml
    assert os.path.join(instance_dir, 'disk') + "'" in xml  # the own disk as second one
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    drv.unrescue(ctx, instance)
    xml = _dom_xml(drv, instance)
    assert 'rescue.disk' not in xml
    assert not [n for n in os.listdir(instance_dir) if n.startswith('rescue.')]
    assert drv.get_info(instance)['state'] == power_state.RUNNING


def test_graphics_and_serial_console_info(drv, ctx, conf):
    conf.set_override('enabled', True, group='serial_console')
    conf.set_override('port_range', '10100:10200', group='serial_console')
    instance = _spawn(drv, ctx)
    serial = drv.get_serial_console(ctx, instance)
    assert serial['host'] == '127.0.0.1' and 10100 <= serial['port'] <= 10200
    other = _spawn(drv, ctx)
    assert drv.get_serial_console(ctx, other)['port'] != serial['port']
    # The test driver assigns no VNC port (QEMU does, on a real host).
    with pytest.raises(exception.ConsoleTypeUnavailable):
        drv.get_spice_console(ctx, instance)


def test_available_resource(drv, ctx, conf):
    _spawn(drv, ctx, vcpus=2)
    resources = drv.get_available_resource('node1')
    assert resources['hypervisor_type'] == 'TEST'  # QEMU on a real host
    assert resources['hypervisor_hostname'] == 'node1'
    assert resources['vcpus'] >= 1 and resources['memory_mb'] > 0
    assert resources['local_gb'] > 0 and resources['vcpus_used'] >= 2
    assert set(json.loads(resources['cpu_info'])) >= {'arch', 'model', 'vendor', 'topology'}
    assert drv.get_available_nodes() == [drv._host.get_hostname()]
    assert ' up ' in drv.get_host_uptime()


def test_diagnostics(drv, ctx):
    instance = _spawn(drv, ctx, vcpus=2)
    body = drv.get_diagnostics(instance)
    assert {'cpu0_time', 'cpu1_time', 'memory', 'vda_read'} <= set(body)
    diags = drv.get_instance_diagnostics(instance).to_dict()
    assert diags['driver'] == 'libvirt' and diags['state'] == 'running'
    assert len(diags['cpu_details']) == 2 and len(diags['disk_details']) == 1


def test_lifecycle_events_reach_the_listener(drv, ctx):
    events = []
    seen = threading.Event()

    def listener(uuid, state):
        events.append((uuid, state))
        if state == power_state.PAUSED:
            seen.set()

    drv.register_event_listener(listener)
    instance = _spawn(drv, ctx)
    drv.pause(instance)
    assert seen.wait(5), events
    assert (instance.uuid, power_state.PAUSED) in events


def test_reconnects_after_the_connection_closed(drv, ctx):
    instance = _spawn(drv, ctx)
    drv._host.get_connection().close()
    assert drv.get_info(instance)['state'] == power_state.RUNNING


def test_image_cache_removes_only_unused_old_bases(drv, ctx, conf):
    instance = _spawn(drv, ctx, kernel_id=KERNEL_IMAGE)
    base_dir = os.path.join(conf.instances_path, '_base')
    conf.set_override('remove_unused_original_minimum_age_seconds', 0, group='image_cache')
    assert drv.manage_image_cache(ctx, []) == []  # both in use
    drv.destroy(ctx, instance)
    conf.set_override('remove_unused_original_minimum_age_seconds', 3600,
                      group='image_cache')
    assert drv.manage_image_cache(ctx, []) == []  # unused but young
    conf.set_override('remove_unused_original_minimum_age_seconds', 0, group='image_cache')
    removed = drv.manage_image_cache(ctx, [])
    assert sorted(removed) == sorted(images.cached_name(i)
                                     for i in (ROOT_IMAGE, KERNEL_IMAGE))
    assert os.listdir(base_dir) == []
