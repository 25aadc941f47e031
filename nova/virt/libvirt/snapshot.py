"""Snapshots of a guest's root disk into the image backend (LibvirtDriver mixes this in).

The root disk (a qcow2 overlay on a cached base, or raw) is flattened with
``qemu-img convert`` into ``[libvirt] snapshot_image_format`` (default: the disk's own
format) under ``[libvirt] snapshots_directory`` and uploaded into the queued image the API
made. A running guest is snapshotted live, as upstream does: a block copy job mirrors the
disk's top layer into a new overlay on the same base and is ended without switching the
guest to it, then that overlay is flattened. Where libvirt/QEMU cannot do the block copy,
and for a paused guest, the snapshot is cold: a running or paused guest is saved
(managed save), its disk read, and it is started again as it was.
"""

import logging
import os
import tempfile
import time

from nova import exception
from nova.compute import power_state
from nova.compute import task_states
import nova.conf
import nova.privsep.path
from nova.virt.libvirt import host as host_mod
from nova.virt.libvirt import imagebackend

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# Seconds a live snapshot's block copy may take to mirror the disk.
BLOCK_COPY_TIMEOUT = 3600
BLOCK_COPY_POLL = 0.2


class LiveSnapshotUnsupported(Exception):
    """libvirt/QEMU refused the block copy before it started: take a cold snapshot."""


def snapshot_metadata(instance, snapshot, image_format):
    """The image fields and properties upstream's libvirt driver sets on a snapshot:
    disk/container format and the instance's kernel/ramdisk, image_location,
    image_state, owner_id and os_type, on top of the properties the API gave it."""
    system_metadata = instance.system_metadata or {}
    properties = dict(snapshot.get('properties') or {})
    properties.update({'image_location': 'snapshot', 'image_state': 'available',
                       'owner_id': instance.project_id})
    for key in ('kernel_id', 'ramdisk_id', 'os_type'):
        value = getattr(instance, key) if instance.obj_attr_is_set(key) else None
        if value:
            properties[key] = value
    # Glance insists that an image whose source was 'ami' stays 'ami'.
    disk_format = ('ami' if system_metadata.get('image_disk_format') == 'ami'
                   else image_format)
    container_format = system_metadata.get('image_container_format') or 'bare'
    return {'disk_format': disk_format, 'container_format': container_format}, properties


def _convert(source, source_format, out_path, out_format):
    args = ['convert', '-f', source_format, '-O', out_format]
    if out_format == 'qcow2' and CONF.libvirt.snapshot_compression:
        args.append('-c')
    imagebackend.qemu_img(*args, source, out_path, timeout=None)


class SnapshotMixin:
    """``snapshot`` of LibvirtDriver (uses its _lookup, _state, _disks_of, _start,
    _image_api)."""

    def snapshot(self, context, instance, image_id, update_task_state):
        dom = self._lookup(instance)
        disk_path, disk_format = self._root_disk(dom, instance)
        image_format = CONF.libvirt.snapshot_image_format or disk_format
        snapshot = self._image_api.get(context, image_id)
        values, properties = snapshot_metadata(instance, snapshot, image_format)
        state = self._state(dom)
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)

        os.makedirs(CONF.libvirt.snapshots_directory, exist_ok=True)
        workdir = tempfile.mkdtemp(prefix='snapshot-', dir=CONF.libvirt.snapshots_directory)
        try:
            # QEMU (another user) writes the live copy here.
            os.chmod(workdir, 0o701)
            out_path = os.path.join(workdir, image_id)
            live = False
            if state == power_state.RUNNING:
                try:
                    self._live_snapshot(dom, disk_path, disk_format, out_path, image_format)
                    live = True
                except LiveSnapshotUnsupported as why:
                    LOG.info('Live snapshot of instance %s is not possible (%s): taking a '
                             'cold one', instance.uuid, why)
            if not live:
                self._cold_snapshot(dom, instance, state, disk_path, disk_format, out_path,
                                    image_format)
            LOG.info('Snapshot of instance %s extracted (%s, %s); uploading it as image %s',
                     instance.uuid, 'live' if live else 'cold', image_format, image_id)
            update_task_state(task_state=task_states.IMAGE_UPLOADING,
                              expected_state=task_states.IMAGE_PENDING_UPLOAD)
            self._image_api.update(context, image_id, values=values, properties=properties)
            with open(out_path, 'rb') as data:
                self._image_api.upload(context, image_id, data,
                                       size=os.path.getsize(out_path))
        finally:
            # The live copy's overlay may belong to QEMU's user after the job.
            nova.privsep.path.remove_tree(workdir)
        LOG.info('Snapshot of instance %s uploaded as image %s', instance.uuid, image_id)

    def _root_disk(self, dom, instance):
        """(path, format) of the instance's own root disk (not a rescue disk)."""
        disks = self._disks_of(dom)
        own = os.path.join(imagebackend.instance_dir(instance), 'disk')
        for path, fmt in disks:
            if path == own:
                return path, fmt
        if not disks:
            raise exception.NovaException('Instance %s has no disk to snapshot'
                                          % instance.uuid)
        return disks[0]

    @staticmethod
    def _target_dev(dom, disk_path):
        from xml.etree import ElementTree as etree
        root = etree.fromstring(dom.XMLDesc(0))
        for disk in root.findall('./devices/disk'):
            source, target = disk.find('source'), disk.find('target')
            if source is not None and source.get('file') == disk_path and \
                    target is not None:
                return target.get('dev')
        raise exception.NovaException('Disk %s is not attached to %s'
                                      % (disk_path, dom.name()))

    def _live_snapshot(self, dom, disk_path, disk_format, out_path, image_format):
        """Mirror the running guest's disk into an overlay on the same base (shallow), or
        a full copy for a disk without base, end the job without pivot, flatten it."""
        libvirt = host_mod.libvirt
        dev = self._target_dev(dom, disk_path)
        info = imagebackend.image_info(disk_path)
        backing = info.get('full-backing-filename') or info.get('backing-filename')
        delta = out_path + '.delta'
        args = ['create', '-f', 'qcow2']
        if backing:
            args += ['-b', backing, '-F', info.get('backing-filename-format') or
                     imagebackend.disk_format(backing)]
        imagebackend.qemu_img(*args, delta, str(info['virtual-size']))
        flags = libvirt.VIR_DOMAIN_BLOCK_COPY_REUSE_EXT
        if backing:
            flags |= libvirt.VIR_DOMAIN_BLOCK_COPY_SHALLOW
        # A persistent domain allows a block copy only as a job that is not saved in
        # its definition (libvirt >= 1.3.?; the flag exists where it is supported).
        flags |= getattr(libvirt, 'VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB', 0)
        target = ("<disk type='file'><driver name='qemu' type='qcow2'/>"
                  "<source file='%s'/></disk>" % delta)
        try:
            dom.blockJobAbort(dev, 0)  # a job a failed snapshot left behind
        except libvirt.libvirtError:
            pass
        try:
            dom.blockCopy(dev, target, None, flags)
        except libvirt.libvirtError as error:
            raise LiveSnapshotUnsupported(error.get_error_message())
        try:
            deadline = time.monotonic() + BLOCK_COPY_TIMEOUT
            while True:
                job = dom.blockJobInfo(dev, 0)
                if not job:
                    raise exception.NovaException('The block copy of %s ended early'
                                                  % disk_path)
                if job['end'] and job['cur'] == job['end']:
                    break  # mirrored: the copy now follows every write
                if time.monotonic() > deadline:
                    raise exception.NovaException('The block copy of %s took longer than '
                                                  '%ds' % (disk_path, BLOCK_COPY_TIMEOUT))
                time.sleep(BLOCK_COPY_POLL)
        finally:
            # Without the pivot flag the guest keeps its disk; the copy stops here.
            dom.blockJobAbort(dev, 0)
        _convert(delta, 'qcow2', out_path, image_format)
        os.unlink(delta)

    @staticmethod
    def _start_paused(dom):
        libvirt = host_mod.libvirt
        try:
            dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        except libvirt.libvirtError as error:
            if error.get_error_code() not in (libvirt.VIR_ERR_INVALID_ARG,
                                              libvirt.VIR_ERR_NO_SUPPORT):
                raise
            # A libvirt driver without the flag (the test driver): start, then pause.
            dom.create()
            dom.suspend()

    def _cold_snapshot(self, dom, instance, state, disk_path, disk_format, out_path,
                       image_format):
        saved = state in (power_state.RUNNING, power_state.PAUSED)
        if saved:
            dom.managedSave(0)
        try:
            _convert(disk_path, disk_format, out_path, image_format)
        finally:
            if saved:
                # Restored from the managed save, paused again if it was paused.
                if state == power_state.PAUSED:
                    self._start_paused(dom)
                else:
                    self._start(dom, instance)
