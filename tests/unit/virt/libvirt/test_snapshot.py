"""Snapshots of LibvirtDriver against libvirt's test driver (which has no block copy, so
the cold path runs: managed save, qemu-img convert, start again) with real qemu-img; the
live path's libvirt calls are checked on a recording domain at the edge. Only the image
API is faked."""

import json
import os
import subprocess

import pytest

from nova import exception
from nova.compute import power_state
from nova.compute import task_states
from nova.virt.libvirt import snapshot as snapshot_mod
from tests.unit.virt.libvirt.test_driver import KERNEL_IMAGE
from tests.unit.virt.libvirt.test_driver import RAMDISK_IMAGE
from tests.unit.virt.libvirt.test_driver import ROOT_IMAGE
from tests.unit.virt.libvirt.test_driver import _instance
from tests.unit.virt.libvirt.test_driver import _spawn

SNAPSHOT = '5a000000-0000-4000-8000-000000000001'
libvirt = pytest.importorskip('libvirt')


@pytest.fixture
def uploads(drv, tmp_path):
    """The images the driver updated and uploaded: {image_id: {'values', 'properties',
    'data'}}."""
    api = drv._image_api
    records = {}

    def get(context, image_id):
        if image_id == SNAPSHOT:
            return {'id': SNAPSHOT, 'name': 'snap', 'status': 'queued',
                    'properties': {'instance_uuid': 'from-the-api'}}
        return {'id': image_id, 'properties': {}}

    def update(context, image_id, values=None, properties=None, tags=None):
        records.setdefault(image_id, {}).update(values=values, properties=properties)

    def upload(context, image_id, data, size=None):
        content = data.read()
        assert size == len(content)
        records.setdefault(image_id, {})['data'] = content

    api.get, api.update, api.upload = get, update, upload
    return records


class TaskStates:
    def __init__(self):
        self.calls = []

    def __call__(self, task_state, expected_state=None):
        self.calls.append((task_state, expected_state))


def _flat_info(tmp_path, data):
    path = tmp_path / 'uploaded'
    path.write_bytes(data)
    return json.loads(subprocess.check_output(
        ['qemu-img', 'info', '--output=json', str(path)]))


def test_snapshot_of_a_running_guest(drv, ctx, conf, uploads, tmp_path):
    instance = _spawn(drv, ctx, project_id='p1', os_type='linux')
    updates = TaskStates()
    drv.snapshot(ctx, instance, SNAPSHOT, updates)
    assert updates.calls == [(task_states.IMAGE_PENDING_UPLOAD, None),
                             (task_states.IMAGE_UPLOADING, task_states.IMAGE_PENDING_UPLOAD)]
    image = uploads[SNAPSHOT]
    assert image['values'] == {'disk_format': 'qcow2', 'container_format': 'bare'}
    assert image['properties'] == {'instance_uuid': 'from-the-api',
                                   'image_location': 'snapshot', 'image_state': 'available',
                                   'owner_id': 'p1', 'os_type': 'linux'}
    info = _flat_info(tmp_path, image['data'])
    assert info['format'] == 'qcow2' and 'backing-filename' not in info
    assert info['virtual-size'] == 1024 ** 3
    # Back as it was: running, no saved memory left, no temporary file.
    dom = drv._host.lookup(instance.uuid)
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    assert not dom.hasManagedSaveImage(0)
    assert os.listdir(conf.libvirt.snapshots_directory) == []


def test_paused_and_stopped_guests_stay_so(drv, ctx, uploads):
    paused = _spawn(drv, ctx, project_id='p1')
    drv.pause(paused)
    drv.snapshot(ctx, paused, SNAPSHOT, TaskStates())
    assert drv.get_info(paused)['state'] == power_state.PAUSED
    stopped = _spawn(drv, ctx, project_id='p1')
    drv.power_off(stopped)
    drv.snapshot(ctx, stopped, SNAPSHOT, TaskStates())
    assert drv.get_info(stopped)['state'] == power_state.SHUTDOWN


def test_raw_snapshot_format_and_kernel_properties(drv, ctx, conf, uploads, tmp_path):
    conf.set_override('snapshot_image_format', 'raw', group='libvirt')
    instance = _instance(kernel_id=KERNEL_IMAGE, ramdisk_id=RAMDISK_IMAGE, project_id='p1',
                         system_metadata={'image_disk_format': 'qcow2',
                                          'image_container_format': 'ovf'})
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {
        'kernel_id': KERNEL_IMAGE, 'ramdisk_id': RAMDISK_IMAGE}})
    drv.snapshot(ctx, instance, SNAPSHOT, TaskStates())
    image = uploads[SNAPSHOT]
    assert image['values'] == {'disk_format': 'raw', 'container_format': 'ovf'}
    assert image['properties']['kernel_id'] == KERNEL_IMAGE
    assert image['properties']['ramdisk_id'] == RAMDISK_IMAGE
    assert len(image['data']) == 1024 ** 3  # raw: the whole virtual disk


def test_ami_images_stay_ami(drv, ctx, uploads):
    instance = _spawn(drv, ctx, project_id='p1',
                       system_metadata={'image_disk_format': 'ami'})
    drv.snapshot(ctx, instance, SNAPSHOT, TaskStates())
    assert uploads[SNAPSHOT]['values']['disk_format'] == 'ami'


def test_a_failed_upload_leaves_the_guest_running_and_cleans_up(drv, ctx, conf, uploads):
    instance = _spawn(drv, ctx, project_id='p1')

    def broken(context, image_id, data, size=None):
        raise exception.ImageNotFound(image_id=image_id)
    drv._image_api.upload = broken
    with pytest.raises(exception.ImageNotFound):
        drv.snapshot(ctx, instance, SNAPSHOT, TaskStates())
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    assert os.listdir(conf.libvirt.snapshots_directory) == []


def test_snapshot_of_a_missing_guest(drv, ctx, uploads):
    with pytest.raises(exception.InstanceNotFound):
        drv.snapshot(ctx, _instance(), SNAPSHOT, TaskStates())


class RecordingDomain:
    """The libvirt calls of a live snapshot, on a domain whose block copy is mirrored
    at the third poll (the guest wrote nothing: the overlay stays empty on the base)."""

    def __init__(self, xml, disk):
        self.xml, self.disk, self.calls, self.polls = xml, disk, [], 0

    def XMLDesc(self, flags):
        return self.xml

    def name(self):
        return 'recording'

    def blockJobAbort(self, dev, flags):
        self.calls.append(('abort', dev, flags))

    def blockCopy(self, dev, xml, params, flags):
        self.calls.append(('copy', dev, xml, flags))
        self.target = xml.split("file='")[1].split("'")[0]

    def blockJobInfo(self, dev, flags):
        self.polls += 1
        if self.polls < 3:
            return {'type': 2, 'bandwidth': 0, 'cur': self.polls, 'end': 3}
        return {'type': 2, 'bandwidth': 0, 'cur': 3, 'end': 3}


def test_live_snapshot_mirrors_into_an_overlay_on_the_same_base(drv, ctx, conf, uploads,
                                                                 tmp_path, monkeypatch):
    instance = _spawn(drv, ctx, project_id='p1')
    dom = drv._host.lookup(instance.uuid)
    disk = os.path.join(conf.instances_path, instance.uuid, 'disk')
    recording = RecordingDomain(dom.XMLDesc(0), disk)
    monkeypatch.setattr(snapshot_mod, 'BLOCK_COPY_POLL', 0)
    out = tmp_path / 'out.qcow2'
    drv._live_snapshot(recording, disk, 'qcow2', str(out), 'qcow2')
    copy = recording.calls[1]
    assert copy[0] == 'copy' and copy[1] == 'vda'
    assert copy[3] == (libvirt.VIR_DOMAIN_BLOCK_COPY_REUSE_EXT
                       | libvirt.VIR_DOMAIN_BLOCK_COPY_SHALLOW
                       | libvirt.VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB)
    # Aborted (no pivot: flags 0) once mirrored, before and after the copy.
    assert recording.calls[0] == recording.calls[2] == ('abort', 'vda', 0)
    assert recording.polls == 3
    info = json.loads(subprocess.check_output(
        ['qemu-img', 'info', '--output=json', str(out)]))
    assert info['format'] == 'qcow2' and 'backing-filename' not in info
    assert info['virtual-size'] == 1024 ** 3
    assert not os.path.exists(str(out) + '.delta')


def test_live_snapshot_unsupported_falls_back_to_cold(drv, ctx, conf, uploads):
    """libvirt's test driver has no block copy: the running guest is saved and started
    again instead."""
    instance = _spawn(drv, ctx, project_id='p1')
    dom = drv._host.lookup(instance.uuid)
    with pytest.raises(snapshot_mod.LiveSnapshotUnsupported):
        drv._live_snapshot(dom, os.path.join(conf.instances_path, instance.uuid, 'disk'),
                           'qcow2', os.path.join(conf.instances_path, 'x.qcow2'), 'qcow2')
