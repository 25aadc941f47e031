"""Live migration of libvirt guests between two compute hosts.

The steps, in the order the compute manager runs them (migrate data is a plain dict):

1. destination ``check_can_live_migrate_destination``: drops a marker file into its
   instances_path and says where it can be reached;
2. source ``check_can_live_migrate_source``: the marker is visible here only when both hosts
   share instances_path; that decides block migration when the API said "auto". It adds the
   guest's disks (for the destination to recreate) and the source's instance directory;
3. destination ``cleanup_live_migration_destination_check``: the marker goes;
4. destination ``pre_live_migration``: (not shared) the instance directory with empty
   copies of the disks on the same backing bases, kernel and ramdisk; a serial port;
5. source ``live_migration``: libvirt peer-to-peer migration (migrateToURI3) with the domain
   XML rewritten for the destination's paths and ports, watched by a monitor (progress,
   completion timeout); the source's directory goes when it was not shared;
6. destination ``post_live_migration_at_destination``: the domain is persistent there and
   its libvirt.xml is written.

``live_migration_force_complete`` (post-copy when permitted, else pause) and
``live_migration_abort`` (abortJob) act on the job the monitor watches.
"""

import logging
import os
import threading
import time
import uuid as uuid_lib
from xml.etree import ElementTree as etree

from nova import exception
from nova.compute import power_state
import nova.conf
import nova.privsep.path
from nova.virt.libvirt import host as host_mod
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import imagecache
from nova.virt.libvirt import vif as vif_mod

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

GiB = 1024 ** 3
# The completion timeout counts at least this much data (upstream's lower bound).
MIN_TIMEOUT_DATA_GIB = 2
# Files of the instance directory a block migration recreates on the destination from the
# image (the root disk's backing base, kernel, ramdisk); other disks come as blank disks.
ROOT_DISK = 'disk'

# Guards every driver's table of running migrations (uuid -> MigrationJob).
_JOBS_LOCK = threading.Lock()


def migration_flags(block_migration):
    """The virDomainMigrateFlags of a live migration (upstream's choice)."""
    libvirt = host_mod.import_libvirt()
    flags = (libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER
             | libvirt.VIR_MIGRATE_PERSIST_DEST | libvirt.VIR_MIGRATE_UNDEFINE_SOURCE)
    if CONF.libvirt.live_migration_tunnelled:
        flags |= libvirt.VIR_MIGRATE_TUNNELLED
    if block_migration:
        # Copy the top (instance) layer of each disk; the bases exist on both hosts.
        flags |= libvirt.VIR_MIGRATE_NON_SHARED_INC
    if CONF.libvirt.live_migration_permit_post_copy:
        flags |= libvirt.VIR_MIGRATE_POSTCOPY
    elif CONF.libvirt.live_migration_permit_auto_converge:
        flags |= libvirt.VIR_MIGRATE_AUTO_CONVERGE
    return flags


def destination_uri(address):
    """The destination libvirtd's URI (the source's libvirtd connects to it, peer to
    peer)."""
    if CONF.libvirt.live_migration_uri:
        return CONF.libvirt.live_migration_uri % address
    scheme = CONF.libvirt.live_migration_scheme or 'tcp'
    return 'qemu+%s://%s/system' % (scheme, address)


def migration_params(dest_xml, address, disk_targets, block_migration):
    """virTypedParameters of migrateToURI3."""
    libvirt = host_mod.import_libvirt()
    params = {libvirt.VIR_MIGRATE_PARAM_DEST_XML: dest_xml,
              libvirt.VIR_MIGRATE_PARAM_PERSIST_XML: dest_xml}
    if not CONF.libvirt.live_migration_tunnelled and address:
        # QEMU connects to QEMU there; without this libvirt uses the destination's host
        # name, which need not resolve to the address migrations should use.
        params[libvirt.VIR_MIGRATE_PARAM_URI] = 'tcp://%s' % _bracketed(address)
    if CONF.libvirt.live_migration_bandwidth:
        params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] = CONF.libvirt.live_migration_bandwidth
    if block_migration:
        params[libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS] = list(disk_targets)
    return params


def _bracketed(address):
    return '[%s]' % address if ':' in address else address


def completion_timeout(memory_mb, disk_bytes):
    """Seconds the migration may take before the timeout action; 0: no limit."""
    per_gib = CONF.libvirt.live_migration_completion_timeout
    data_gib = max(MIN_TIMEOUT_DATA_GIB, memory_mb / 1024 + disk_bytes / GiB)
    return int(per_gib * data_gib)


def rewrite_domain_xml(xml, source_dir, dest_dir, serial_listen=None, graphics_listen=None):
    """The domain XML for the destination: paths under the source's instance directory
    moved to the destination's, the TCP serial port and graphics listen address the
    destination chose."""
    root = etree.fromstring(xml)
    prefix = source_dir.rstrip('/') + '/'
    if dest_dir != source_dir:
        for element in root.iter():
            for name, value in element.attrib.items():
                if value.startswith(prefix):
                    element.set(name, os.path.join(dest_dir, value[len(prefix):]))
            if element.text and element.text.startswith(prefix):
                element.text = os.path.join(dest_dir, element.text[len(prefix):])
    if serial_listen:
        host, port = serial_listen
        for source in root.findall("./devices/serial[@type='tcp']/source"):
            source.set('host', host)
            source.set('service', str(port))
    if graphics_listen:
        for graphics in root.findall('./devices/graphics'):
            kind = graphics.get('type')
            listen = graphics_listen.get(kind)
            if not listen:
                continue
            graphics.set('listen', listen)
            for address in graphics.findall("./listen[@type='address']"):
                address.set('address', listen)
    return etree.tostring(root, encoding='unicode')


def local_disks(xml):
    """[(target dev, file path)] of the domain's file-backed disks."""
    root = etree.fromstring(xml)
    disks = []
    for disk in root.findall('./devices/disk'):
        source, target = disk.find('source'), disk.find('target')
        if source is not None and source.get('file') and target is not None:
            disks.append((target.get('dev'), source.get('file')))
    return disks


class MigrationJob:
    """One outgoing live migration, as the monitor and the force-complete and abort
    requests see it."""

    def __init__(self, dom):
        self.dom = dom
        self.done = threading.Event()
        self.error = None
        self.abort_requested = False
        self.timed_out = False
        self.paused = False
        self.post_copy = False


class LiveMigrationMixin:
    """The live migration calls of LibvirtDriver (it provides _host, _lookup,
    _create_disks, _serial_ports and the instance directory)."""

    # Seconds between two looks of the monitor at the migration job.
    MONITOR_INTERVAL = 0.5
    # Seconds between two progress lines in the log.
    PROGRESS_LOG_INTERVAL = 5

    def _migrations(self):
        """The running outgoing migrations; call with _JOBS_LOCK held."""
        jobs = self.__dict__.get('_live_migration_jobs')
        if jobs is None:
            jobs = self._live_migration_jobs = {}
        return jobs

    # -- checks ------------------------------------------------------------------------------

    def check_can_live_migrate_destination(self, context, instance, block_migration):
        """Destination: a marker file in instances_path (shared storage shows it on the
        source), and how the source reaches this host."""
        os.makedirs(CONF.instances_path, exist_ok=True)
        marker = '.live-migration-check-%s' % uuid_lib.uuid4().hex
        open(os.path.join(CONF.instances_path, marker), 'w').close()
        return {'block_migration': block_migration, 'filename': marker,
                'target_connect_addr': CONF.libvirt.live_migration_inbound_addr,
                'dest_host': self.host, 'dest_instances_path': CONF.instances_path}

    def cleanup_live_migration_destination_check(self, context, dest_check_data):
        marker = (dest_check_data or {}).get('filename')
        if marker:
            try:
                os.unlink(os.path.join(CONF.instances_path, marker))
            except FileNotFoundError:
                pass

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        """Source: decide block migration ("auto": when instances_path is not shared),
        refuse what cannot work, and describe the disks for the destination."""
        data = dict(dest_check_data)
        dom = self._lookup(instance)
        if self._state(dom) not in (power_state.RUNNING, power_state.PAUSED):
            raise exception.MigrationPreCheckError(
                reason='instance %s is not running nor paused' % instance.uuid)
        shared = os.path.exists(os.path.join(CONF.instances_path, data['filename']))
        block_migration = data.get('block_migration')
        if block_migration is None:
            block_migration = not shared
        elif block_migration and shared:
            raise exception.InvalidLocalStorage(
                path=CONF.instances_path,
                reason='block migration cannot be used with shared instance storage')
        elif not block_migration and not shared:
            raise exception.InvalidSharedStorage(
                path=CONF.instances_path,
                reason='the destination does not share it: use block migration')
        data['block_migration'] = block_migration
        data['is_shared_instance_path'] = shared
        data['source_instance_dir'] = imagebackend.instance_dir(instance)
        data['disks'] = self._disk_descriptions(dom)
        return data

    def _disk_descriptions(self, dom):
        disks = []
        for target, path in local_disks(dom.XMLDesc(0)):
            info = imagebackend.image_info(path)
            disks.append({'target': target, 'name': os.path.basename(path),
                          'format': info['format'], 'virtual_size': info['virtual-size'],
                          'backed': bool(info.get('backing-filename'))})
        return disks

    # -- destination ---------------------------------------------------------------------------

    def pre_live_migration(self, context, instance, block_device_info=None, network_info=None,
                           disk_info=None, migrate_data=None):
        data = dict(migrate_data or {})
        directory = imagebackend.instance_dir(instance)
        if not data.get('is_shared_instance_path'):
            if os.path.exists(directory):
                raise exception.DestinationDiskExists(path=directory)
            os.makedirs(directory)
            try:
                self._create_migration_disks(context, instance, directory,
                                             data.get('disks') or [])
            except Exception:
                nova.privsep.path.remove_tree(directory)
                raise
        data['dest_instance_dir'] = directory
        # The incoming guest's NICs need their bridges and taps here first.
        self._plug_vifs(instance, network_info)
        if CONF.serial_console.enabled:
            host = CONF.serial_console.proxyclient_address
            data['serial_listen'] = [host, self._free_serial_port(host)]
        data['graphics_listen'] = {'vnc': CONF.vnc.server_listen if CONF.vnc.enabled
                                   else None,
                                   'spice': CONF.spice.server_listen if CONF.spice.enabled
                                   else None}
        return data

    def _free_serial_port(self, host):
        from nova.virt.libvirt import driver as driver_mod  # it imports this module
        return driver_mod._free_tcp_port(host, CONF.serial_console.port_range,
                                         self._serial_ports())

    def _create_migration_disks(self, context, instance, directory, disks):
        """The guest's disks, empty on the same bases as on the source: the migration
        copies what the guest wrote (their top layers) into them."""
        _disks, bases, _kernel, _ramdisk = self._create_disks(context, instance, None,
                                                               directory)
        for disk in disks:
            path = os.path.join(directory, disk['name'])
            if disk['name'] == ROOT_DISK and os.path.exists(path):
                size = imagebackend.image_info(path)['virtual-size']
                if size < disk['virtual_size']:
                    imagebackend.qemu_img('resize', path, str(disk['virtual_size']))
                continue
            if disk['backed'] or os.path.exists(path):
                raise exception.MigrationPreCheckError(
                    reason='cannot recreate disk %s of instance %s on this host'
                    % (disk['name'], instance.uuid))
            imagebackend.qemu_img('create', '-f', disk['format'], path,
                                  str(disk['virtual_size']))
        imagecache.record_bases(directory, bases)

    def post_live_migration_at_destination(self, context, instance, network_info=None,
                                           block_migration=False, block_device_info=None):
        dom = self._lookup(instance)
        xml = dom.XMLDesc(0)
        if not dom.isPersistent():
            dom = self._host.get_connection().defineXML(xml)
        with open(os.path.join(imagebackend.instance_dir(instance), 'libvirt.xml'), 'w') as f:
            f.write(xml)
        # Force-complete paused an active guest so it could converge: it runs again here.
        if instance.vm_state == 'active' and self._state(dom) == power_state.PAUSED:
            dom.resume()

    def rollback_live_migration_at_destination(self, context, instance, migrate_data=None):
        """Destination, after a migration that did not happen: drop what
        pre_live_migration made (a domain libvirt may have left, the copied disks)."""
        dom = self._host.lookup(instance.uuid)
        if dom is not None:
            self._undefine(dom)
        if not (migrate_data or {}).get('is_shared_instance_path'):
            nova.privsep.path.remove_tree(imagebackend.instance_dir(instance))

    # -- source ------------------------------------------------------------------------------

    def live_migration(self, context, instance, dest, migrate_data=None):
        libvirt = host_mod.import_libvirt()
        data = migrate_data or {}
        block_migration = bool(data.get('block_migration'))
        dom = self._lookup(instance)
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE | libvirt.VIR_DOMAIN_XML_SECURE)
        source_dir = data.get('source_instance_dir') or imagebackend.instance_dir(instance)
        dest_xml = rewrite_domain_xml(xml, source_dir,
                                      data.get('dest_instance_dir') or source_dir,
                                      data.get('serial_listen'), data.get('graphics_listen'))
        address = data.get('target_connect_addr') or dest
        disks = local_disks(xml)
        params = migration_params(dest_xml, data.get('target_connect_addr'),
                                  [target for target, _path in disks], block_migration)
        flags = migration_flags(block_migration)
        uri = destination_uri(address)
        disk_bytes = sum(d['virtual_size'] for d in data.get('disks') or []) \
            if block_migration else 0
        timeout = completion_timeout(instance.memory_mb, disk_bytes)

        job = MigrationJob(dom)
        with _JOBS_LOCK:
            jobs = self._migrations()
        with _JOBS_LOCK:
            jobs[instance.uuid] = job
        LOG.info('Live-migrating instance %s to %s (%s, flags %#x, block migration %s)',
                 instance.uuid, dest, uri, flags, block_migration)

        def migrate():
            try:
                dom.migrateToURI3(uri, params, flags)
            except Exception as error:
                job.error = error
            finally:
                job.done.set()

        threading.Thread(target=migrate, name='live-migration-%s' % instance.uuid,
                         daemon=True).start()
        try:
            self._monitor(instance, job, timeout)
        finally:
            with _JOBS_LOCK:
                jobs.pop(instance.uuid, None)
        if job.error is not None:
            self._migration_failed(instance, job, timeout)
        self._cleanup_source(instance, data)
        LOG.info('Live migration of instance %s to %s completed', instance.uuid, dest)

    def _monitor(self, instance, job, timeout):
        """Wait for the migration thread, logging progress and acting on the timeout."""
        start = last_log = time.monotonic()
        while not job.done.wait(self.MONITOR_INTERVAL):
            now = time.monotonic()
            if now - last_log >= self.PROGRESS_LOG_INTERVAL:
                last_log = now
                self._log_progress(instance, job.dom, now - start)
            if timeout and not job.timed_out and now - start > timeout:
                job.timed_out = True
                action = CONF.libvirt.live_migration_timeout_action
                LOG.warning('Live migration of instance %s exceeded its completion timeout '
                            '(%d s): %s', instance.uuid, timeout, action)
                try:
                    if action == 'force_complete':
                        self._force_complete(job)
                    else:
                        job.dom.abortJob()
                except host_mod.libvirt.libvirtError as error:
                    LOG.warning('Could not %s the live migration of %s: %s', action,
                                instance.uuid, error)

    @staticmethod
    def _log_progress(instance, dom, elapsed):
        libvirt = host_mod.libvirt
        try:
            stats = dom.jobStats(0)
        except libvirt.libvirtError:
            return
        total = stats.get('data_total') or 0
        remaining = stats.get('data_remaining') or 0
        progress = 100 * (total - remaining) // total if total else 0
        LOG.info('Live migration of instance %s: %d%% of %d MiB after %d s (memory '
                 'remaining %d MiB, disk remaining %d MiB)', instance.uuid, progress,
                 total // 2 ** 20, elapsed, (stats.get('memory_remaining') or 0) // 2 ** 20,
                 (stats.get('disk_remaining') or 0) // 2 ** 20)

    def _migration_failed(self, instance, job, timeout):
        if job.abort_requested:
            raise exception.LiveMigrationAborted(instance_uuid=instance.uuid)
        if job.timed_out and CONF.libvirt.live_migration_timeout_action == 'abort':
            raise exception.LiveMigrationTimedOut(instance_uuid=instance.uuid,
                                                  timeout=timeout)
        if job.paused:
            self._resume_after_failure(instance, job.dom)
        raise exception.NovaException('Live migration of instance %s failed: %s'
                                      % (instance.uuid, job.error)) from job.error

    @staticmethod
    def _resume_after_failure(instance, dom):
        """A guest paused to force completion runs again where it stayed."""
        try:
            dom.resume()
        except host_mod.libvirt.libvirtError as error:
            LOG.warning('Could not resume instance %s after its failed live migration: %s',
                        instance.uuid, error)

    def _cleanup_source(self, instance, data):
        """The guest runs on the destination: nothing of it stays here."""
        dom = self._host.lookup(instance.uuid)
        if dom is not None:  # UNDEFINE_SOURCE normally removed it
            self._undefine(dom)
        vif_mod.unplug_all(instance, vif_mod.network_info_of(instance, None))
        if not data.get('is_shared_instance_path'):
            nova.privsep.path.remove_tree(data.get('source_instance_dir')
                                          or imagebackend.instance_dir(instance))

    def _running_job(self, instance):
        with _JOBS_LOCK:
            job = self._migrations().get(instance.uuid)
        if job is None:
            raise exception.NoActiveMigrationForInstance(instance_id=instance.uuid)
        return job

    def _force_complete(self, job):
        if job.post_copy or job.paused:
            return
        if CONF.libvirt.live_migration_permit_post_copy:
            job.dom.migrateStartPostCopy(0)
            job.post_copy = True
        else:
            # A paused guest dirties no memory: the copy converges.
            job.dom.suspend()
            job.paused = True

    def live_migration_force_complete(self, instance):
        self._force_complete(self._running_job(instance))

    def live_migration_abort(self, instance):
        job = self._running_job(instance)
        if job.post_copy:
            raise exception.NovaException('The live migration of instance %s is in '
                                          'post-copy: it can no longer be aborted'
                                          % instance.uuid)
        job.abort_requested = True
        job.dom.abortJob()
