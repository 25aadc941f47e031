"""The libvirt driver: QEMU/KVM guests through libvirt-python.

``compute_driver = libvirt.LibvirtDriver``; ``[libvirt] virt_type`` kvm where /dev/kvm works,
qemu (TCG) elsewhere. Each instance has a directory ``instances_path/<uuid>`` holding its
disks (qcow2 overlays on bases cached in ``instances_path/_base``), its kernel and ramdisk
for direct kernel boot, ``console.log`` (the serial console, written by virtlogd),
``libvirt.xml`` (the domain as defined) and ``bases.json`` (which bases it uses).
The domain is persistent (defined), named after the instance (instance-0000000a) and has the
instance's uuid, so libvirt and nova agree on which guest is which.
"""

import errno
import json
import logging
import os
import shutil
import socket
import threading
import time

from nova import exception
from nova.compute import power_state
from nova.compute import task_states
import nova.conf
from nova.image import api as image_api
import nova.privsep
import nova.privsep.path
from nova.virt import diagnostics
from nova.virt import driver
from nova.virt import images
from nova.virt.libvirt import config as vconfig
from nova.virt.libvirt import disk_moves
from nova.virt.libvirt import guest_devices
from nova.virt.libvirt import guest_options
from nova.virt.libvirt import host as host_mod
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import imagecache
from nova.virt.libvirt import live_migration
from nova.virt.libvirt import snapshot as snapshot_mod
from nova.virt.libvirt import vif as vif_mod

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# os-getConsoleOutput returns at most this much of the log's end (upstream's limit).
MAX_CONSOLE_BYTES = 100 * 1024
# Seconds between ACPI shutdown requests during a clean power off (upstream's value).
SHUTDOWN_RETRY_INTERVAL = 10
DEFAULT_CMDLINE = 'root=/dev/vda console=tty0 console=ttyS0'


def _supports_direct_io(dirpath):
    """Whether files in ``dirpath`` can be opened O_DIRECT (cache='none' needs it; tmpfs
    cannot)."""
    if not hasattr(os, 'O_DIRECT'):
        return False
    probe = os.path.join(dirpath, '.directio.test')
    try:
        fd = os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_DIRECT)
        os.close(fd)
        return True
    except OSError as error:
        if error.errno == errno.EINVAL:
            return False
        raise
    finally:
        try:
            os.unlink(probe)
        except OSError:
            pass


def _free_tcp_port(host, port_range, taken):
    first, last = (int(p) for p in port_range.split(':'))
    for port in range(first, last + 1):
        if port in taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
        return port
    raise exception.NovaException('No free port in [serial_console] port_range %s'
                                  % port_range)


class LibvirtDriver(disk_moves.DiskMovesMixin, live_migration.LiveMigrationMixin,
                    snapshot_mod.SnapshotMixin, driver.ComputeDriver):
    capabilities = dict(driver.ComputeDriver.capabilities, has_imagecache=True)

    # The API names the driver from a closed list; this one is 'libvirt'.
    DIAGNOSTICS_DRIVER = 'libvirt'

    def __init__(self, virtapi=None, read_only=False):
        super().__init__(virtapi)
        self._host = host_mod.Host(self._uri(), lifecycle_callback=self._lifecycle_event)
        self._image_api = image_api.API()
        self._image_cache = imagecache.ImageCacheManager()
        self._event_listener = None
        self.host = None

    @staticmethod
    def _uri():
        return CONF.libvirt.connection_uri or 'qemu:///system'

    # -- the host ---------------------------------------------------------------------------

    def init_host(self, host):
        self.host = host
        nova.privsep.run_in_process_if_root()
        os.makedirs(CONF.instances_path, exist_ok=True)
        if shutil.which('qemu-img') is None:
            raise exception.NovaException('qemu-img is not installed (Debian: qemu-utils)')
        conn = self._host.get_connection()  # fail early when libvirtd is unreachable
        LOG.info('libvirt %s, hypervisor %s %s on %s', conn.getLibVersion(), conn.getType(),
                 conn.getVersion(), self._host.get_hostname())

    def cleanup_host(self, host):
        self._host.close()

    def register_event_listener(self, callback):
        """``callback(instance_uuid, power_state)`` on every guest lifecycle change."""
        self._event_listener = callback

    def _lifecycle_event(self, uuid, state):
        LOG.debug('Lifecycle event: guest %s is now in power state %s', uuid, state)
        if self._event_listener is not None:
            # Off the event loop's thread: the listener makes RPC calls, and the loop must
            # keep serving libvirt meanwhile.
            threading.Thread(target=self._event_listener, args=(uuid, state),
                             name='libvirt-event-%s' % uuid, daemon=True).start()

    def _domain_type(self):
        """'test' on libvirt's test driver (its only domain type), else virt_type."""
        if self._host.get_hypervisor_type().lower() == 'test':
            return 'test'
        return CONF.libvirt.virt_type

    def get_available_nodes(self, refresh=False):
        return [self._host.get_hostname()]

    def get_available_resource(self, nodename):
        total_gb, free_gb = host_mod.local_disk_gb(CONF.instances_path)
        vcpus_used = 0
        for dom in self._host.list_domains():
            try:
                if dom.isActive():
                    vcpus_used += dom.info()[3]
            except host_mod.libvirt.libvirtError:
                continue  # gone since the listing (live-migrated away, deleted)
        return {
            'vcpus': self._host.get_vcpu_total(),
            'memory_mb': self._host.get_memory_mb_total(),
            'local_gb': total_gb,
            'vcpus_used': vcpus_used,
            'memory_mb_used': self._host.get_memory_mb_used(),
            'local_gb_used': total_gb - free_gb,
            'hypervisor_type': self._host.get_hypervisor_type(),
            'hypervisor_version': self._host.get_hypervisor_version(),
            'hypervisor_hostname': nodename,
            'cpu_info': self._host.get_cpu_info(),
            'disk_available_least': free_gb,
            'host_ip': CONF.my_ip,
        }

    def get_host_uptime(self):
        with open('/proc/uptime') as f:
            up = int(float(f.read().split()[0]))
        with open('/proc/loadavg') as f:
            load = f.read().split()[:3]
        days, rest = divmod(up, 86400)
        span = '%d:%02d' % (rest // 3600, (rest // 60) % 60)
        if days:
            span = '%d day%s, %s' % (days, '' if days == 1 else 's', span)
        return ' %s up %s,  0 users,  load average: %s' % (
            time.strftime('%H:%M:%S'), span, ', '.join(load))

    # -- looking guests up ------------------------------------------------------------------

    def _lookup(self, instance):
        dom = self._host.lookup(instance.uuid)
        if dom is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return dom

    @staticmethod
    def _state(dom):
        return host_mod.LIBVIRT_POWER_STATE.get(dom.state()[0], power_state.NOSTATE)

    def get_info(self, instance):
        dom = self._lookup(instance)
        state, max_mem_kib, mem_kib, num_cpu, cpu_time_ns = dom.info()
        return {'state': host_mod.LIBVIRT_POWER_STATE.get(state, power_state.NOSTATE),
                'max_mem_kb': max_mem_kib, 'mem_kb': mem_kib, 'num_cpu': num_cpu,
                'cpu_time_ns': cpu_time_ns, 'id': dom.ID()}

    def list_instances(self):
        return [dom.name() for dom in self._host.list_domains()]

    def instance_exists(self, instance):
        return self._host.lookup(instance.uuid) is not None

    # -- building the domain ----------------------------------------------------------------

    def _fetch_into(self, context, image_id, instance_dir, name):
        """Copy the cached base of a (kernel or ramdisk) image into the instance directory:
        libvirt chowns the files a guest uses, so guests never share them."""
        base = images.fetch_to_cache(context, image_id, images=self._image_api)
        target = os.path.join(instance_dir, name)
        shutil.copyfile(base, target)
        return base, target

    def _create_disks(self, context, instance, image_meta, instance_dir, prefix=''):
        """The disks of a new guest and the bases they come from: ([(path, format)], bases,
        kernel, ramdisk)."""
        bases, disks = [], []
        image_id = (image_meta or {}).get('id') or instance.image_ref
        if not image_id:
            raise exception.NovaException('The libvirt driver boots from images only: '
                                          'volumes are not supported yet')
        base = images.fetch_to_cache(context, image_id, images=self._image_api)
        bases.append(base)
        root = os.path.join(instance_dir, prefix + 'disk')
        fmt = imagebackend.create_root_disk(base, root, instance.root_gb,
                                            CONF.libvirt.images_type)
        disks.append((root, fmt))
        kernel = ramdisk = None
        kernel_id, ramdisk_id = self._kernel_ids(context, instance, image_meta)
        if kernel_id:
            base, kernel = self._fetch_into(context, kernel_id, instance_dir,
                                            prefix + 'kernel')
            bases.append(base)
            if ramdisk_id:
                base, ramdisk = self._fetch_into(context, ramdisk_id, instance_dir,
                                                 prefix + 'ramdisk')
                bases.append(base)
        return disks, bases, kernel, ramdisk

    def _kernel_ids(self, context, instance, image_meta):
        properties = (image_meta or {}).get('properties')
        if properties is None and image_meta and image_meta.get('id') \
                and image_meta['id'] != instance.image_ref:
            properties = self._image_api.get(context, image_meta['id'])['properties']
        if properties and properties.get('kernel_id'):
            return properties['kernel_id'], properties.get('ramdisk_id')
        return instance.kernel_id or None, instance.ramdisk_id or None

    @staticmethod
    def _cmdline(instance, image_meta):
        properties = (image_meta or {}).get('properties') or {}
        return (properties.get('os_command_line')
                or (instance.system_metadata or {}).get('image_os_command_line')
                or DEFAULT_CMDLINE)

    def _guest_options(self, instance, image_meta):
        """The checked hw_* choices of the guest (raises before anything is created)."""
        domain_type = self._domain_type()
        machine_types = () if domain_type == 'test' else vconfig.parse_machine_types(
            self._host.get_capabilities_xml(), guest_options.ARCH, domain_type)
        return guest_options.read(instance, image_meta, CONF.libvirt.virt_type,
                                  machine_types)

    def _guest_config(self, instance, image_meta, disks, kernel=None, ramdisk=None,
                      cmdline=None, options=None, vifs=(), rescue=False):
        domain_type = self._domain_type()
        if options is None:
            options = self._guest_options(instance, image_meta)
        guest = vconfig.GuestConfig(domain_type, instance.name, instance.uuid,
                                    instance.memory_mb * 1024, instance.vcpus)
        guest.metadata = {'name': instance.display_name or instance.name}
        if kernel:
            guest.os_kernel, guest.os_initrd, guest.os_cmdline = kernel, ramdisk, cmdline
        else:
            guest.os_boot_dev = ['hd']
        instance_dir = imagebackend.instance_dir(instance)
        guest_devices.apply_platform(guest, options, domain_type,
                                     os.path.join(instance_dir, 'nvram.fd'))
        cache = CONF.libvirt.disk_cachemodes_default
        if cache in ('none', 'directsync') and not _supports_direct_io(instance_dir):
            cache = 'writethrough'
        log_path = os.path.join(instance_dir, 'console.log')
        serials = []
        taken = self._serial_ports() if CONF.serial_console.enabled else set()
        for port in range(options.serial_port_count):
            # The first port is the console: its output also goes to console.log.
            log = log_path if port == 0 else None
            if CONF.serial_console.enabled:
                host = CONF.serial_console.proxyclient_address
                tcp_port = _free_tcp_port(host, CONF.serial_console.port_range, taken)
                taken.add(tcp_port)
                serials.append(vconfig.GuestSerial(log, host, tcp_port, port=port))
            else:
                serials.append(vconfig.GuestSerial(log, port=port))
        guest_devices.add_devices(
            guest, options, guest_devices.disk_devices(disks, options, cache, rescue),
            vifs, serials, CONF.vnc.enabled or CONF.spice.enabled)
        if CONF.vnc.enabled:
            guest.add_device(vconfig.GuestGraphics('vnc', CONF.vnc.server_listen,
                                                   CONF.vnc.keymap))
        if CONF.spice.enabled:
            guest.add_device(vconfig.GuestGraphics('spice', CONF.spice.server_listen))
        if self._wants_rng(instance, image_meta):
            flavor_specs = instance.flavor.extra_specs if instance.flavor else {}
            guest.add_device(vconfig.GuestRng(
                CONF.libvirt.rng_dev_path,
                rate_bytes=flavor_specs.get('hw_rng:rate_bytes'),
                rate_period=flavor_specs.get('hw_rng:rate_period')))
        guest.add_device(vconfig.GuestMemBalloon(
            period=CONF.libvirt.mem_stats_period_seconds))
        return guest

    def _vifs(self, instance, network_info):
        """The guest's VIFs, each checked (a bad one fails before anything is made)."""
        vifs = vif_mod.network_info_of(instance, network_info)
        for vif in vifs:
            vif_mod.check(vif)
        return vifs

    def _plug_vifs(self, instance, network_info):
        vif_mod.plug_all(instance, self._vifs(instance, network_info))

    @staticmethod
    def _wants_rng(instance, image_meta):
        """The image asks (hw_rng_model=virtio) and the flavor allows (hw_rng:allowed)."""
        properties = (image_meta or {}).get('properties') or {}
        model = properties.get('hw_rng_model') or (
            instance.system_metadata or {}).get('image_hw_rng_model')
        specs = instance.flavor.extra_specs if instance.flavor else {}
        return model == 'virtio' and str(specs.get('hw_rng:allowed', '')).lower() == 'true'

    def _serial_ports(self):
        taken = set()
        for dom in self._host.list_domains():
            try:
                taken.update(port for _host, port in
                             vconfig.parse_serial_ports(dom.XMLDesc(0)))
            except host_mod.libvirt.libvirtError:
                continue
        return taken

    def _define(self, instance, xml, name='libvirt.xml'):
        with open(os.path.join(imagebackend.instance_dir(instance), name), 'w') as f:
            f.write(xml)
        return self._host.get_connection().defineXML(xml)

    def _start(self, dom, instance):
        """Start a defined domain and wait until it runs."""
        dom.create()
        deadline = time.monotonic() + CONF.libvirt.spawn_timeout
        while self._state(dom) != power_state.RUNNING:
            if time.monotonic() > deadline:
                raise exception.NovaException('Guest %s did not start in %ds'
                                              % (instance.uuid, CONF.libvirt.spawn_timeout))
            time.sleep(0.1)

    def spawn(self, context, instance, image_meta, injected_files=None, admin_password=None,
              allocations=None, network_info=None, block_device_info=None):
        options = self._guest_options(instance, image_meta)
        vifs = self._vifs(instance, network_info)
        instance_dir = imagebackend.instance_dir(instance)
        os.makedirs(instance_dir, exist_ok=True)
        disks, bases, kernel, ramdisk = self._create_disks(context, instance, image_meta,
                                                           instance_dir)
        flavor = instance.flavor
        if instance.ephemeral_gb:
            path = os.path.join(instance_dir, 'disk.eph0')
            disks.append((path, imagebackend.create_blank_disk(
                path, instance.ephemeral_gb * 1024, CONF.libvirt.images_type)))
        if flavor is not None and flavor.swap:
            path = os.path.join(instance_dir, 'disk.swap')
            disks.append((path, imagebackend.create_blank_disk(
                path, flavor.swap, CONF.libvirt.images_type)))
        imagecache.record_bases(instance_dir, bases)
        guest = self._guest_config(instance, image_meta, disks, kernel, ramdisk,
                                   self._cmdline(instance, image_meta) if kernel else None,
                                   options=options, vifs=vifs)
        dom = self._define(instance, guest.to_xml())
        vif_mod.plug_all(instance, vifs)
        self._start(dom, instance)
        LOG.info('Guest %s (%s) is running', instance.name, instance.uuid)

    # -- removing ---------------------------------------------------------------------------

    def _undefine(self, dom):
        libvirt = host_mod.libvirt
        try:
            if dom.isActive():
                dom.destroy()
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_OPERATION_INVALID:
                raise  # OPERATION_INVALID: it stopped meanwhile
        flags = (libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                 | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
        try:
            if vconfig.has_nvram(dom.XMLDesc(0)):
                flags |= libvirt.VIR_DOMAIN_UNDEFINE_NVRAM  # a UEFI guest's variables
            dom.undefineFlags(flags)
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise

    def destroy(self, context, instance, network_info=None, block_device_info=None,
                destroy_disks=True):
        dom = self._host.lookup(instance.uuid)
        if dom is not None:
            self._undefine(dom)
        vif_mod.unplug_all(instance, vif_mod.network_info_of(instance, network_info))
        if destroy_disks:
            # Disks, kernel, ramdisk, console log; the shared bases in _base stay for the
            # cache manager.
            nova.privsep.path.remove_tree(imagebackend.instance_dir(instance))
            reverting = (instance.obj_attr_is_set('task_state')
                         and instance.task_state == task_states.RESIZE_REVERTING)
            if not reverting:
                # A resized guest deleted before its confirm: its old copy goes too. (A
                # revert's destroy on the destination must keep it: with shared storage
                # it is the one the source brings back.)
                nova.privsep.path.remove_tree(disk_moves.resize_dir(instance))

    # -- power ------------------------------------------------------------------------------

    @staticmethod
    def _wait_for_shutoff(dom, timeout, interval=0.5):
        """Whether the domain stopped within ``timeout`` seconds. Its state alone is not
        enough: 'shutdown' (being shut down) maps to SHUTDOWN too, while QEMU still runs."""
        deadline = time.monotonic() + timeout
        while True:
            if not dom.isActive():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)

    def _ensure_defined(self, instance):
        """The guest's domain, defined again from libvirt.xml if libvirt lost it."""
        dom = self._host.lookup(instance.uuid)
        if dom is not None:
            return dom
        saved = os.path.join(imagebackend.instance_dir(instance), 'libvirt.xml')
        if not os.path.exists(saved):
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        with open(saved) as f:
            return self._host.get_connection().defineXML(f.read())

    def _hard_stop(self, dom):
        if dom.isActive():
            dom.destroy()

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None):
        if reboot_type == 'SOFT':
            dom = self._lookup(instance)
            if self._state(dom) == power_state.RUNNING:
                dom.shutdown()
                if self._wait_for_shutoff(dom, CONF.libvirt.wait_soft_reboot_seconds):
                    self._start(dom, instance)
                    return
                LOG.warning('Guest %s did not shut down in %ds: rebooting it hard',
                            instance.uuid, CONF.libvirt.wait_soft_reboot_seconds)
        dom = self._ensure_defined(instance)
        self._hard_stop(dom)
        self._plug_vifs(instance, network_info)
        self._start(dom, instance)

    def power_off(self, instance, timeout=0, retry_interval=0):
        dom = self._lookup(instance)
        if timeout > 0 and self._state(dom) == power_state.RUNNING:
            interval = retry_interval or SHUTDOWN_RETRY_INTERVAL
            deadline = time.monotonic() + timeout
            # Ask again every interval: a guest may miss an ACPI event while it boots.
            while time.monotonic() < deadline:
                try:
                    dom.shutdown()
                except host_mod.libvirt.libvirtError:
                    pass  # shut off meanwhile
                if self._wait_for_shutoff(dom, min(interval, deadline - time.monotonic()),
                                          interval=0.2):
                    return
            LOG.warning('Guest %s did not shut down in %ds: powering it off', instance.uuid,
                        timeout)
        self._hard_stop(dom)

    def power_on(self, context, instance, network_info, block_device_info=None):
        dom = self._ensure_defined(instance)
        self._hard_stop(dom)
        self._plug_vifs(instance, network_info)
        self._start(dom, instance)

    def pause(self, instance):
        self._lookup(instance).suspend()

    def unpause(self, instance):
        self._lookup(instance).resume()

    def suspend(self, context, instance):
        # Managed save: libvirt keeps the memory image and restores it on the next start.
        self._lookup(instance).managedSave(0)

    def resume(self, context, instance, network_info, block_device_info=None):
        dom = self._lookup(instance)
        if not dom.isActive():
            self._plug_vifs(instance, network_info)
            self._start(dom, instance)

    def soft_delete(self, instance):
        self.power_off(instance)

    def restore(self, instance):
        self.power_on(None, instance, [])

    # -- rescue -----------------------------------------------------------------------------

    def rescue(self, context, instance, network_info, image_meta, rescue_password,
               block_device_info=None):
        dom = self._lookup(instance)
        instance_dir = imagebackend.instance_dir(instance)
        rescue_meta = dict(image_meta or {})
        rescue_meta.setdefault('id', instance.image_ref)
        options = self._guest_options(instance, rescue_meta)
        vifs = self._vifs(instance, network_info)
        disks, bases, kernel, ramdisk = self._create_disks(
            context, instance, rescue_meta, instance_dir, prefix='rescue.')
        own_disks = [(path, fmt) for path, fmt in self._disks_of(dom)]
        # The rescue bases are in use while rescued; unrescue restores the record.
        record = os.path.join(instance_dir, imagecache.BASES_FILE)
        shutil.copyfile(record, os.path.join(instance_dir, 'rescue.unrescue-bases'))
        with open(record) as f:
            used = json.load(f)
        imagecache.record_bases(instance_dir, used + [os.path.basename(b) for b in bases])
        guest = self._guest_config(instance, rescue_meta, disks + own_disks[:1], kernel,
                                   ramdisk, self._cmdline(instance, rescue_meta)
                                   if kernel else None, options=options, vifs=vifs,
                                   rescue=True)
        self._hard_stop(dom)
        dom = self._define(instance, guest.to_xml(), name='rescue.libvirt.xml')
        vif_mod.plug_all(instance, vifs)
        self._start(dom, instance)

    @staticmethod
    def _disks_of(dom):
        from xml.etree import ElementTree as etree
        root = etree.fromstring(dom.XMLDesc(0))
        disks = []
        for disk in root.findall('./devices/disk'):
            source, drv = disk.find('source'), disk.find('driver')
            if source is not None and source.get('file'):
                disks.append((source.get('file'),
                              drv.get('type') if drv is not None else 'raw'))
        return disks

    def unrescue(self, context, instance):
        dom = self._lookup(instance)
        instance_dir = imagebackend.instance_dir(instance)
        # The domain as spawn defined it (libvirt.xml) comes back.
        with open(os.path.join(instance_dir, 'libvirt.xml')) as f:
            xml = f.read()
        self._hard_stop(dom)
        dom = self._host.get_connection().defineXML(xml)
        self._start(dom, instance)
        os.replace(os.path.join(instance_dir, 'rescue.unrescue-bases'),
                   os.path.join(instance_dir, imagecache.BASES_FILE))
        for name in os.listdir(instance_dir):
            if name.startswith('rescue.'):
                os.unlink(os.path.join(instance_dir, name))

    # -- consoles ---------------------------------------------------------------------------

    def get_console_output(self, context, instance):
        self._lookup(instance)
        path = os.path.join(imagebackend.instance_dir(instance), 'console.log')
        try:
            data, skipped = nova.privsep.path.last_bytes(path, MAX_CONSOLE_BYTES)
        except FileNotFoundError:
            return ''
        if skipped:
            # Cut at a line start rather than in the middle of one.
            data = data.split(b'\n', 1)[-1]
        return data.decode('utf-8', 'replace')

    def _graphics(self, instance, kind):
        dom = self._lookup(instance)
        found = vconfig.parse_graphics_port(dom.XMLDesc(0), kind)
        if found is None:
            raise exception.ConsoleTypeUnavailable(console_type=kind)
        return found[1]

    def get_vnc_console(self, context, instance):
        """{'host', 'port'} of the guest's VNC server, for the VNC proxy."""
        return {'host': CONF.vnc.server_proxyclient_address,
                'port': self._graphics(instance, 'vnc'), 'internal_access_path': None}

    def get_spice_console(self, context, instance):
        return {'host': CONF.spice.server_proxyclient_address,
                'port': self._graphics(instance, 'spice'), 'tlsPort': None,
                'internal_access_path': None}

    def get_serial_console(self, context, instance):
        if not CONF.serial_console.enabled:
            raise exception.ConsoleTypeUnavailable(console_type='serial')
        ports = vconfig.parse_serial_ports(self._lookup(instance).XMLDesc(0))
        if not ports:
            raise exception.ConsoleTypeUnavailable(console_type='serial')
        host, port = ports[0]
        return {'host': host, 'port': port, 'internal_access_path': None}

    # -- diagnostics ------------------------------------------------------------------------

    def _stats(self, dom):
        """(vcpu times ns, memory stats KiB, [(disk dev, stats)], [(mac, nic dev, stats)])."""
        libvirt = host_mod.libvirt
        xml = dom.XMLDesc(0)
        try:
            cpus = [info[2] for info in dom.vcpus()[0]]
        except libvirt.libvirtError:
            cpus = [0] * dom.info()[3]
        try:
            memory = dom.memoryStats()
        except libvirt.libvirtError:
            memory = {}
        disks = []
        for dev in vconfig.parse_disk_targets(xml):
            try:
                disks.append((dev, dom.blockStats(dev)))
            except libvirt.libvirtError:
                disks.append((dev, (0, 0, 0, 0, 0)))
        nics = []
        for mac, dev in vconfig.parse_interfaces(xml):
            try:
                nics.append((mac, dev, dom.interfaceStats(dev)))
            except (libvirt.libvirtError, TypeError):
                nics.append((mac, dev, (0,) * 8))
        return cpus, memory, disks, nics

    def get_diagnostics(self, instance):
        dom = self._lookup(instance)
        cpus, memory, disks, nics = self._stats(dom)
        body = {'cpu%d_time' % index: value for index, value in enumerate(cpus)}
        body['memory'] = dom.info()[1]
        for key in ('actual', 'rss', 'swap_in', 'swap_out', 'available', 'unused'):
            if key in memory:
                body['memory-' + key] = memory[key]
        for dev, (rd_req, rd_bytes, wr_req, wr_bytes, errs) in disks:
            body.update({dev + '_read_req': rd_req, dev + '_read': rd_bytes,
                         dev + '_write_req': wr_req, dev + '_write': wr_bytes,
                         dev + '_errors': errs})
        for index, (_mac, dev, stats) in enumerate(nics):
            nic = dev or 'tap%d' % index
            for name, value in zip(('rx', 'rx_packets', 'rx_errors', 'rx_drop', 'tx',
                                    'tx_packets', 'tx_errors', 'tx_drop'), stats):
                body['%s_%s' % (nic, name)] = value
        return body

    def get_instance_diagnostics(self, instance):
        dom = self._lookup(instance)
        cpus, memory, disks, nics = self._stats(dom)
        state = self._state(dom)
        uptime = None
        if instance.launched_at is not None:
            from oslo_utils import timeutils
            launched = timeutils.normalize_time(instance.launched_at)
            uptime = max(0, int((timeutils.utcnow() - launched).total_seconds()))
        return diagnostics.Diagnostics(
            state=power_state.STATE_MAP[state], driver=self.DIAGNOSTICS_DRIVER,
            hypervisor=self._domain_type(), hypervisor_os='linux', uptime=uptime,
            config_drive=bool(instance.config_drive),
            memory_details=diagnostics.MemoryDiagnostics(
                maximum=dom.info()[1] // 1024,
                used=(memory.get('actual', 0) - memory.get('unused', 0)) // 1024
                if 'unused' in memory else 0),
            cpu_details=[diagnostics.CpuDiagnostics(id=index, time=value, utilisation=None)
                         for index, value in enumerate(cpus)],
            nic_details=[diagnostics.NicDiagnostics(
                mac_address=mac, rx_octets=stats[0], rx_packets=stats[1],
                rx_errors=stats[2], rx_drop=stats[3], rx_rate=None, tx_octets=stats[4],
                tx_packets=stats[5], tx_errors=stats[6], tx_drop=stats[7], tx_rate=None)
                for mac, _dev, stats in nics],
            disk_details=[diagnostics.DiskDiagnostics(
                read_requests=stats[0], read_bytes=stats[1], write_requests=stats[2],
                write_bytes=stats[3], errors_count=stats[4]) for _dev, stats in disks])

    # -- image cache ------------------------------------------------------------------------

    def manage_image_cache(self, context, all_instances):
        """Remove cached bases no instance of this host uses (the periodic task)."""
        return self._image_cache.update(context)
