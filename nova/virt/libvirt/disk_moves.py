"""Resize and cold migration for the libvirt driver (LibvirtDriver mixes this in).

Source, ``migrate_disk_and_power_off``: the guest stops, its directory becomes
``<uuid>_resize`` (kept for a revert) and its disks are copied into a new ``<uuid>``
directory: a local copy when the destination shares instances_path (this host counts),
else over ``[libvirt] remote_filesystem_transport``. The swap disk is not copied: the
destination makes a new one of the new flavor's size, as upstream does.
Destination, ``finish_migration``: the root and ephemeral disks grow to the new flavor
(never shrink: the source refuses that first), the domain is defined with the new flavor
and started unless the guest was stopped.
``confirm_migration`` drops ``<uuid>_resize`` (and the source domain if the guest moved
to another host); ``finish_revert_migration`` puts ``<uuid>_resize`` back and defines the
domain again from its saved libvirt.xml (the old flavor).
"""

import json
import logging
import os
import subprocess

from oslo_utils import excutils

from nova import exception
import nova.conf
import nova.privsep.path
from nova.virt import images
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import imagecache
from nova.virt.libvirt import remotefs
from nova.virt.libvirt import vif as vif_mod

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

GiB = imagebackend.GiB
RESIZE_SUFFIX = '_resize'
# What moves with the guest; disk.swap is made anew, console.log and libvirt.xml too.
FILES_TO_MOVE = ('disk', 'disk.eph0', 'kernel', 'ramdisk', imagecache.BASES_FILE)
# Seconds a clean (ACPI) shutdown may take before the guest is powered off, as a stop.
CLEAN_SHUTDOWN_TIMEOUT = 60


def resize_dir(instance):
    return imagebackend.instance_dir(instance) + RESIZE_SUFFIX


def _copy_local(src, dst):
    # cp keeps raw disks sparse; qcow2 overlays keep their backing file reference.
    result = subprocess.run(['cp', '--sparse=always', src, dst], capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise exception.NovaException('Copying %s to %s failed: %s'
                                      % (src, dst, result.stderr.strip()))


def check_no_shrink(instance, flavor, root_disk):
    """Raise InstanceFaultRollback(ResizeError) when ``flavor`` has a smaller root or
    ephemeral disk than the instance has now: qcow2/raw disks only grow."""
    reason = None
    if flavor.root_gb < instance.root_gb:
        reason = ('the root disk of flavor %s (%d GB) is smaller than the instance\'s '
                  '(%d GB)' % (flavor.name, flavor.root_gb, instance.root_gb))
    elif flavor.ephemeral_gb < instance.ephemeral_gb:
        reason = ('the ephemeral disk of flavor %s (%d GB) is smaller than the '
                  'instance\'s (%d GB)' % (flavor.name, flavor.ephemeral_gb,
                                           instance.ephemeral_gb))
    elif flavor.root_gb and os.path.exists(root_disk):
        virtual = imagebackend.image_info(root_disk)['virtual-size']
        if flavor.root_gb * GiB < virtual:
            reason = ('the root disk of flavor %s (%d GB) is smaller than the instance\'s '
                      'disk (%d bytes)' % (flavor.name, flavor.root_gb, virtual))
    if reason:
        raise exception.InstanceFaultRollback(exception.ResizeError(
            reason='Unable to resize disk down: %s.' % reason))


def grow_disk(path, size_bytes):
    """Grow the disk at ``path`` to ``size_bytes`` if it is smaller; its format stays."""
    info = imagebackend.image_info(path)
    if size_bytes > info['virtual-size']:
        imagebackend.qemu_img('resize', '-f', info['format'], path, str(size_bytes))
    return info['format']


class DiskMovesMixin:
    """Resize and cold migration calls of LibvirtDriver (uses its _lookup, power_off,
    _guest_options, _guest_config, _vifs, _plug_vifs, _define, _start, _hard_stop, _undefine,
    _cmdline, _host, _image_api)."""

    # -- source -----------------------------------------------------------------------------

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info=None,
                                   block_device_info=None, timeout=CLEAN_SHUTDOWN_TIMEOUT,
                                   retry_interval=0):
        here, kept = imagebackend.instance_dir(instance), resize_dir(instance)
        self._lookup(instance)  # InstanceNotFound before anything changes
        check_no_shrink(instance, flavor, os.path.join(here, 'disk'))
        shared = remotefs.is_shared_with(dest, CONF.instances_path)
        files = None if shared else remotefs.transport()
        LOG.info('Moving the disks of instance %s to %s (%s)', instance.uuid, dest,
                 'shared storage' if shared else CONF.libvirt.remote_filesystem_transport)
        self.power_off(instance, timeout, retry_interval)
        if os.path.exists(kept):
            # Left by a move that was never confirmed nor reverted: the guest runs from
            # ``here``, so that copy is stale.
            nova.privsep.path.remove_tree(kept)
        os.rename(here, kept)
        try:
            if shared:
                os.makedirs(here)
            else:
                files.create_dir(dest, here)
            for name in FILES_TO_MOVE:
                src = os.path.join(kept, name)
                if not os.path.exists(src):
                    continue
                if shared:
                    _copy_local(src, os.path.join(here, name))
                else:
                    files.copy_file(src, dest, os.path.join(here, name))
        except Exception:
            with excutils.save_and_reraise_exception():
                LOG.error('Copying the disks of instance %s to %s failed; keeping them '
                          'here', instance.uuid, dest)
                try:
                    if shared:
                        nova.privsep.path.remove_tree(here)
                    else:
                        files.remove_dir(dest, here)
                except Exception:
                    LOG.exception('Could not remove the partial copy on %s', dest)
                os.rename(kept, here)

    def confirm_migration(self, context, migration, instance, network_info=None):
        moved = (migration.source_compute, migration.source_node) != (
            migration.dest_compute, migration.dest_node)
        if moved:
            dom = self._host.lookup(instance.uuid)
            # Only the stopped source guest, whose disks were in this host's instance
            # directory (a libvirtd shared by two test hosts must keep the other's guest).
            if dom is not None and not dom.isActive() and \
                    self._domain_uses_dir(dom, imagebackend.instance_dir(instance)):
                self._undefine(dom)
        nova.privsep.path.remove_tree(resize_dir(instance))

    def finish_revert_migration(self, context, instance, network_info=None, migration=None,
                                block_device_info=None, power_on=True):
        here, kept = imagebackend.instance_dir(instance), resize_dir(instance)
        dom = self._host.lookup(instance.uuid)
        if os.path.exists(kept):
            if dom is not None:
                self._hard_stop(dom)  # on this host: the resized guest
            if os.path.exists(here):
                nova.privsep.path.remove_tree(here)  # the resized copy (same storage)
            os.rename(kept, here)
        saved = os.path.join(here, 'libvirt.xml')
        if not os.path.exists(saved):
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        with open(saved) as f:
            dom = self._host.get_connection().defineXML(f.read())
        if power_on:
            self._hard_stop(dom)
            self._plug_vifs(instance, network_info)
            self._start(dom, instance)
        LOG.info('Instance %s is back with its old flavor', instance.uuid)

    # -- destination ------------------------------------------------------------------------

    def finish_migration(self, context, migration, instance, image_meta, network_info=None,
                         block_device_info=None, power_on=True):
        options = self._guest_options(instance, image_meta)  # raises before any change
        vifs = self._vifs(instance, network_info)
        here = imagebackend.instance_dir(instance)
        root = os.path.join(here, 'disk')
        if not os.path.exists(root):
            raise exception.NovaException('The disks of instance %s did not arrive in %s'
                                          % (instance.uuid, here))
        bases = self._ensure_backing(context, instance, root)
        disks = [(root, grow_disk(root, instance.root_gb * GiB))]
        ephemeral = os.path.join(here, 'disk.eph0')
        if instance.ephemeral_gb:
            if os.path.exists(ephemeral):
                disks.append((ephemeral, grow_disk(ephemeral, instance.ephemeral_gb * GiB)))
            else:
                disks.append((ephemeral, imagebackend.create_blank_disk(
                    ephemeral, instance.ephemeral_gb * 1024, CONF.libvirt.images_type)))
        swap = os.path.join(here, 'disk.swap')
        if os.path.exists(swap):
            os.unlink(swap)
        swap_mb = instance.flavor.swap if instance.flavor is not None else 0
        if swap_mb:
            disks.append((swap, imagebackend.create_blank_disk(
                swap, swap_mb, CONF.libvirt.images_type)))
        if bases:
            recorded = os.path.join(here, imagecache.BASES_FILE)
            if os.path.exists(recorded):
                with open(recorded) as f:
                    bases = set(map(os.path.basename, bases)) | set(json.load(f))
            imagecache.record_bases(here, bases)
        kernel = os.path.join(here, 'kernel')
        kernel = kernel if os.path.exists(kernel) else None
        ramdisk = os.path.join(here, 'ramdisk')
        ramdisk = ramdisk if kernel and os.path.exists(ramdisk) else None
        guest = self._guest_config(instance, image_meta, disks, kernel, ramdisk,
                                   self._cmdline(instance, image_meta) if kernel else None,
                                   options=options, vifs=vifs)
        dom = self._define(instance, guest.to_xml())
        if power_on:
            vif_mod.plug_all(instance, vifs)
            self._start(dom, instance)
        LOG.info('Instance %s finished its move here (%d MB, %d vCPUs, %s)', instance.uuid,
                 instance.memory_mb, instance.vcpus,
                 'running' if power_on else 'stopped')

    def _ensure_backing(self, context, instance, root):
        """The base the root overlay needs, fetched into this host's cache if missing
        (and the overlay pointed at it when the cache lives elsewhere here). Returns the
        base paths to record."""
        info = imagebackend.image_info(root)
        backing = info.get('full-backing-filename') or info.get('backing-filename')
        if not backing:
            return []
        if os.path.exists(backing):
            return [backing]
        if not instance.image_ref:
            raise exception.NovaException('The root disk of instance %s needs %s, which '
                                          'is missing here' % (instance.uuid, backing))
        base = images.fetch_to_cache(context, instance.image_ref, images=self._image_api)
        if base != backing:
            imagebackend.qemu_img('rebase', '-u', '-b', base, '-F',
                                  imagebackend.disk_format(base), root)
        return [base]

    def _domain_uses_dir(self, dom, directory):
        prefixes = (directory + os.sep, directory + RESIZE_SUFFIX + os.sep)
        return any(path.startswith(prefixes) for path, _fmt in self._disks_of(dom))
