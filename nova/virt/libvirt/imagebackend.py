"""Instance disks made from cached base images with qemu-img.

qcow2 (the default ``[libvirt] images_type``): a copy-on-write overlay whose backing file is
the base image in ``instances/_base``, grown to the flavor's root size. raw: a full copy
converted to raw. Ephemeral and swap disks are blank images of the flavor's sizes.
qemu-img runs as the nova user: the files are in its own instances_path.
"""

import json
import logging
import os
import subprocess

from nova import exception
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

GiB = 1024 ** 3


def instance_dir(instance):
    """Where an instance's disks, kernel, console log and libvirt.xml live on this host."""
    return os.path.join(CONF.instances_path, instance.uuid)


def qemu_img(*args, timeout=600):
    """Run qemu-img; raise NovaException with its message when it fails."""
    command = ['qemu-img', *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise exception.NovaException('%s failed: %s' % (' '.join(command),
                                                         result.stderr.strip()))
    return result.stdout


def image_info(path):
    """qemu-img's view of a file: {'format', 'virtual-size', 'backing-filename', ...}."""
    # -U: read without taking the image lock (a running guest may hold it).
    return json.loads(qemu_img('info', '-U', '--output=json', path))


def disk_format(path):
    """The real format of the data, which decides -F: a file uploaded as 'raw' that is in
    fact qcow2 must not be read as raw (a guest could then point to host files)."""
    fmt = image_info(path)['format']
    if fmt not in ('raw', 'qcow2'):
        raise exception.NovaException('Unsupported disk image format %s' % fmt)
    return fmt


def create_root_disk(base_path, target, size_gb, images_type='qcow2'):
    """The instance's root disk at ``target`` from ``base_path``: an overlay (qcow2) or a
    raw copy, never smaller than the image and grown to ``size_gb`` when that is larger.
    Returns the disk's format."""
    info = image_info(base_path)
    base_fmt = info['format']
    if base_fmt not in ('raw', 'qcow2'):
        raise exception.NovaException('Unsupported disk image format %s' % base_fmt)
    virtual = info['virtual-size']
    size = size_gb * GiB if size_gb else 0
    if size and size < virtual:
        raise exception.FlavorDiskSmallerThanImage(flavor_size=size, image_size=virtual)
    if images_type in ('raw', 'flat'):
        qemu_img('convert', '-f', base_fmt, '-O', 'raw', base_path, target)
        if size > virtual:
            qemu_img('resize', '-f', 'raw', target, str(size))
        return 'raw'
    args = ['create', '-f', 'qcow2', '-b', base_path, '-F', base_fmt, target]
    if size > virtual:
        args.append(str(size))
    qemu_img(*args)
    return 'qcow2'


def create_blank_disk(target, size_mb, images_type='qcow2'):
    """An empty disk (ephemeral or swap) of ``size_mb`` MiB; returns its format.
    It is left unformatted: the guest makes its filesystem or swap area."""
    fmt = 'raw' if images_type in ('raw', 'flat') else 'qcow2'
    qemu_img('create', '-f', fmt, target, '%dM' % size_mb)
    return fmt
