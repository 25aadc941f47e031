"""Resize and cold migration of LibvirtDriver against libvirt's test driver with real
qemu-img; the copy to another host is checked at its edge (the ssh/scp command lines),
since one machine has no second host."""

import json
import os
import subprocess
from xml.etree import ElementTree as etree

import pytest

from nova import exception
from nova import objects
from nova.compute import power_state
from nova.compute import task_states
from nova.virt import images
from nova.virt.libvirt import remotefs
from tests.unit.virt.libvirt.test_driver import KERNEL_IMAGE
from tests.unit.virt.libvirt.test_driver import RAMDISK_IMAGE
from tests.unit.virt.libvirt.test_driver import ROOT_IMAGE
from tests.unit.virt.libvirt.test_driver import _instance
from tests.unit.virt.libvirt.test_driver import _spawn

GiB = 1024 ** 3


def _flavor(name='m2', memory_mb=128, vcpus=2, root_gb=2, ephemeral_gb=0, swap=0):
    return objects.Flavor(id=2, name=name, memory_mb=memory_mb, vcpus=vcpus,
                          root_gb=root_gb, ephemeral_gb=ephemeral_gb, swap=swap,
                          flavorid=name, extra_specs={})


def _apply(instance, flavor):
    instance.flavor = flavor
    for key in ('memory_mb', 'vcpus', 'root_gb', 'ephemeral_gb'):
        setattr(instance, key, getattr(flavor, key))


def _migration(source='host1', dest='host1'):
    return objects.Migration(source_compute=source, source_node=source, dest_compute=dest,
                             dest_node=dest)


def _virtual_size(path):
    return json.loads(subprocess.check_output(
        ['qemu-img', 'info', '-U', '--output=json', path]))['virtual-size']


def _domain(drv, instance):
    root = etree.fromstring(drv._host.lookup(instance.uuid).XMLDesc(0))
    return (int(root.find('memory').text) // 1024, int(root.find('vcpu').text),
            [d.find('source').get('file') for d in root.findall('./devices/disk')])


@pytest.fixture
def dirs(conf):
    def paths(instance):
        here = os.path.join(conf.instances_path, instance.uuid)
        return here, here + '_resize'
    return paths


def _resize_here(drv, ctx, conf, instance, flavor, power_on=True):
    drv.migrate_disk_and_power_off(ctx, instance, conf.my_ip, flavor, timeout=0)
    old = instance.flavor
    _apply(instance, flavor)
    drv.finish_migration(ctx, _migration(), instance, None, power_on=power_on)
    return old


def test_resize_on_the_same_host_grows_disks_and_keeps_the_old_copy(drv, ctx, conf, dirs):
    instance = _spawn(drv, ctx, swap=16)
    here, kept = dirs(instance)
    with open(os.path.join(here, 'disk'), 'r+b') as f:
        disk_before = f.read()
    flavor = _flavor(ephemeral_gb=1, swap=32)

    drv.migrate_disk_and_power_off(ctx, instance, conf.my_ip, flavor, timeout=0)
    assert drv.get_info(instance)['state'] == power_state.SHUTDOWN
    assert sorted(os.listdir(kept)) == ['bases.json', 'disk', 'disk.swap', 'libvirt.xml']
    # The swap disk is made anew at the destination, never copied.
    assert sorted(os.listdir(here)) == ['bases.json', 'disk']
    with open(os.path.join(here, 'disk'), 'rb') as f:
        assert f.read() == disk_before

    _apply(instance, flavor)
    drv.finish_migration(ctx, _migration(), instance, None, power_on=True)
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    memory, vcpus, disks = _domain(drv, instance)
    assert (memory, vcpus) == (128, 2)
    assert disks == [os.path.join(here, n) for n in ('disk', 'disk.eph0', 'disk.swap')]
    assert _virtual_size(os.path.join(here, 'disk')) == 2 * GiB
    assert _virtual_size(os.path.join(here, 'disk.eph0')) == 1 * GiB
    assert _virtual_size(os.path.join(here, 'disk.swap')) == 32 * 1024 ** 2
    # The overlay still rests on the cached base, which stays recorded as in use.
    base = images.cached_image_path(ROOT_IMAGE)
    info = json.loads(subprocess.check_output(
        ['qemu-img', 'info', '-U', '--output=json', os.path.join(here, 'disk')]))
    assert info['backing-filename'] == base
    with open(os.path.join(here, 'bases.json')) as f:
        assert json.load(f) == [os.path.basename(base)]
    # The saved definition is the new one; the old flavor's stays in _resize.
    for directory, memory_kib in ((here, 131072), (kept, 98304)):
        with open(os.path.join(directory, 'libvirt.xml')) as f:
            assert int(etree.fromstring(f.read()).find('memory').text) == memory_kib

    drv.confirm_migration(ctx, _migration(), instance)
    assert not os.path.exists(kept)
    assert drv.get_info(instance)['state'] == power_state.RUNNING


def test_revert_brings_the_old_flavor_and_disks_back(drv, ctx, conf, dirs):
    instance = _spawn(drv, ctx)
    here, kept = dirs(instance)
    old = _resize_here(drv, ctx, conf, instance, _flavor(ephemeral_gb=1))
    _apply(instance, old)
    drv.finish_revert_migration(ctx, instance, migration=_migration(), power_on=True)
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    memory, vcpus, disks = _domain(drv, instance)
    assert (memory, vcpus, disks) == (96, 1, [os.path.join(here, 'disk')])
    assert _virtual_size(os.path.join(here, 'disk')) == 1 * GiB
    assert not os.path.exists(kept)
    assert not os.path.exists(os.path.join(here, 'disk.eph0'))


def test_a_stopped_guest_stays_stopped(drv, ctx, conf, dirs):
    instance = _spawn(drv, ctx)
    drv.power_off(instance)
    old = _resize_here(drv, ctx, conf, instance, _flavor(), power_on=False)
    assert drv.get_info(instance)['state'] == power_state.SHUTDOWN
    assert _domain(drv, instance)[:2] == (128, 2)
    _apply(instance, old)
    drv.finish_revert_migration(ctx, instance, migration=_migration(), power_on=False)
    assert drv.get_info(instance)['state'] == power_state.SHUTDOWN
    assert _domain(drv, instance)[:2] == (96, 1)


def test_direct_kernel_boot_files_move_with_the_disk(drv, ctx, conf, dirs):
    instance = _instance(kernel_id=KERNEL_IMAGE, ramdisk_id=RAMDISK_IMAGE,
                         system_metadata={'image_os_command_line': 'console=ttyS0 x'})
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {
        'kernel_id': KERNEL_IMAGE, 'ramdisk_id': RAMDISK_IMAGE}})
    here, _kept = dirs(instance)
    _resize_here(drv, ctx, conf, instance, _flavor())
    xml = drv._host.lookup(instance.uuid).XMLDesc(0)
    assert '<kernel>%s/kernel</kernel>' % here in xml
    assert '<initrd>%s/ramdisk</initrd>' % here in xml
    assert '<cmdline>console=ttyS0 x</cmdline>' in xml


@pytest.mark.parametrize('change', [dict(root_gb=0), dict(ephemeral_gb=0)])
def test_shrinking_a_disk_is_refused_before_anything_changes(drv, ctx, conf, dirs, change):
    instance = _spawn(drv, ctx, ephemeral_gb=1)
    here, kept = dirs(instance)
    flavor = _flavor(**dict(dict(root_gb=1, ephemeral_gb=1), **change))
    with pytest.raises(exception.InstanceFaultRollback) as raised:
        drv.migrate_disk_and_power_off(ctx, instance, conf.my_ip, flavor)
    assert isinstance(raised.value.inner_exception, exception.ResizeError)
    assert 'Unable to resize disk down' in raised.value.inner_exception.format_message()
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    assert os.path.exists(here) and not os.path.exists(kept)


def test_a_root_disk_larger_than_the_new_flavor_is_refused(drv, ctx, conf):
    instance = _spawn(drv, ctx, root_gb=2)
    with pytest.raises(exception.InstanceFaultRollback):
        drv.migrate_disk_and_power_off(ctx, instance, conf.my_ip,
                                       _flavor(root_gb=1), timeout=0)


def test_confirm_elsewhere_undefines_the_source_guest(drv, ctx, conf, dirs):
    instance = _spawn(drv, ctx)
    here, kept = dirs(instance)
    drv.migrate_disk_and_power_off(ctx, instance, conf.my_ip, _flavor(), timeout=0)
    drv.confirm_migration(ctx, _migration('host1', 'host2'), instance)
    assert drv._host.lookup(instance.uuid) is None
    assert not os.path.exists(kept)
    assert os.path.exists(here)  # the destination's copy (shared storage)


def test_deleting_a_resized_guest_removes_the_old_copy(drv, ctx, conf, dirs):
    instance = _spawn(drv, ctx)
    here, kept = dirs(instance)
    _resize_here(drv, ctx, conf, instance, _flavor())
    instance.task_state = task_states.RESIZE_REVERTING
    drv.destroy(ctx, instance)
    assert not os.path.exists(here) and os.path.exists(kept)
    instance.task_state = None
    drv.destroy(ctx, instance)
    assert not os.path.exists(kept)


def test_finish_fetches_a_missing_base(drv, ctx, conf, dirs):
    """A destination without the image in its cache downloads it for the overlay."""
    instance = _spawn(drv, ctx)
    drv.migrate_disk_and_power_off(ctx, instance, conf.my_ip, _flavor(), timeout=0)
    base = images.cached_image_path(ROOT_IMAGE)
    os.unlink(base)
    downloads = len(drv._image_api.downloads)
    _apply(instance, _flavor())
    drv.finish_migration(ctx, _migration(), instance, None)
    assert len(drv._image_api.downloads) == downloads + 1 and os.path.exists(base)
    assert drv.get_info(instance)['state'] == power_state.RUNNING


REAL_RUN = subprocess.run


class RecordedCommands:
    """subprocess.run at the edge: records the ssh/scp/rsync command lines (qemu-img and
    cp run for real); ``fail`` names a program whose run fails."""

    def __init__(self, fail=None):
        self.commands = []
        self.fail = fail

    def __call__(self, command, **kwargs):
        if command[0] not in ('ssh', 'scp', 'rsync'):
            return REAL_RUN(command, **kwargs)
        self.commands.append(command)
        code = 1 if command[0] == self.fail else 0
        return subprocess.CompletedProcess(command, code, '', 'refused' if code else '')


def test_copy_to_another_host_over_ssh(drv, ctx, conf, dirs, monkeypatch):
    instance = _spawn(drv, ctx, swap=16)
    here, kept = dirs(instance)
    recorded = RecordedCommands()
    monkeypatch.setattr(remotefs.subprocess, 'run', recorded)
    drv.migrate_disk_and_power_off(ctx, instance, '192.0.2.7', _flavor(), timeout=0)
    commands = recorded.commands
    # The shared-storage probe: a file made there does not show up here.
    assert commands[0][:4] == ['ssh', '-o', 'BatchMode=yes', '192.0.2.7']
    assert commands[0][4] == 'touch'
    assert commands[0][5].startswith(os.path.join(conf.instances_path, '.shared-test-'))
    assert commands[1][4:] == ['rm', '-f', commands[0][5]]
    assert commands[2] == ['ssh', '-o', 'BatchMode=yes', '192.0.2.7', 'mkdir', '-p', here]
    assert commands[3:] == [
        ['scp', '-o', 'BatchMode=yes', '-r', os.path.join(kept, name),
         '192.0.2.7:' + os.path.join(here, name)] for name in ('disk', 'bases.json')]
    assert not os.path.exists(here) and os.path.exists(kept)
    assert drv.get_info(instance)['state'] == power_state.SHUTDOWN


def test_a_failed_copy_puts_everything_back(drv, ctx, conf, dirs, monkeypatch):
    instance = _spawn(drv, ctx)
    here, kept = dirs(instance)
    recorded = RecordedCommands(fail='scp')
    monkeypatch.setattr(remotefs.subprocess, 'run', recorded)
    with pytest.raises(exception.NovaException, match='refused'):
        drv.migrate_disk_and_power_off(ctx, instance, '192.0.2.7', _flavor(), timeout=0)
    assert recorded.commands[-1] == ['ssh', '-o', 'BatchMode=yes', '192.0.2.7', 'rm', '-rf',
                                     here]
    assert os.path.exists(os.path.join(here, 'disk')) and not os.path.exists(kept)


def test_rsync_transport_copies_with_rsync(drv, ctx, conf, dirs, monkeypatch):
    conf.set_override('remote_filesystem_transport', 'rsync', group='libvirt')
    instance = _spawn(drv, ctx)
    here, kept = dirs(instance)
    recorded = RecordedCommands()
    monkeypatch.setattr(remotefs.subprocess, 'run', recorded)
    drv.migrate_disk_and_power_off(ctx, instance, '2001:db8::7', _flavor(), timeout=0)
    assert all(c[0] == 'rsync' for c in recorded.commands)
    assert recorded.commands[-2] == [
        'rsync', '--rsh', 'ssh -o BatchMode=yes', '--sparse', '--compress',
        os.path.join(kept, 'disk'), '[2001:db8::7]:' + os.path.join(here, 'disk')]
