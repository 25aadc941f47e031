"""The connection to libvirtd, and what this host offers.

``Host`` opens the connection lazily, reopens it when libvirtd restarted (guests keep
running meanwhile), silences libvirt's default printing of every error to stderr, and turns
libvirt's domain lifecycle events into calls of a callback (``lifecycle_callback(uuid,
power_state)``) from a thread running libvirt's default event loop.
"""

import json
import logging
import os
import socket
import threading

from nova.compute import power_state
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

libvirt = None  # imported on first use: hosts with the fake driver need no libvirt-python

_event_loop_started = False
_event_loop_lock = threading.Lock()

# virDomainState -> nova power state (upstream's mapping).
LIBVIRT_POWER_STATE = {
    0: power_state.NOSTATE,     # VIR_DOMAIN_NOSTATE
    1: power_state.RUNNING,     # VIR_DOMAIN_RUNNING
    2: power_state.RUNNING,     # VIR_DOMAIN_BLOCKED: idle, waiting on I/O
    3: power_state.PAUSED,      # VIR_DOMAIN_PAUSED
    4: power_state.SHUTDOWN,    # VIR_DOMAIN_SHUTDOWN: being shut down
    5: power_state.SHUTDOWN,    # VIR_DOMAIN_SHUTOFF
    6: power_state.CRASHED,     # VIR_DOMAIN_CRASHED
    7: power_state.SUSPENDED,   # VIR_DOMAIN_PMSUSPENDED
}


def import_libvirt():
    global libvirt
    if libvirt is None:
        import libvirt as module
        libvirt = module
    return libvirt


def _ignore_error(_ctx, _error):
    """libvirt's error handler: errors reach us as exceptions; do not print them too."""


def _start_event_loop():
    """Run libvirt's default event loop in a daemon thread (once per process); it must be
    registered before a connection is opened for that connection to get events."""
    global _event_loop_started
    with _event_loop_lock:
        if _event_loop_started:
            return
        libvirt.virEventRegisterDefaultImpl()

        def run():
            while True:
                try:
                    libvirt.virEventRunDefaultImpl()
                except Exception:
                    LOG.exception('libvirt event loop iteration failed')

        threading.Thread(target=run, name='libvirt-events', daemon=True).start()
        _event_loop_started = True


class Host:
    """A libvirt connection shared by the driver's threads."""

    def __init__(self, uri, lifecycle_callback=None, events=True):
        self.uri = uri
        self.lifecycle_callback = lifecycle_callback
        self.events = events
        self._conn = None
        self._lock = threading.Lock()

    # -- the connection -------------------------------------------------------------------

    def get_connection(self):
        """The open connection, reconnecting if libvirtd went away since last use."""
        with self._lock:
            conn = self._conn
            if conn is not None:
                try:
                    if conn.isAlive():
                        return conn
                except Exception:
                    pass
                LOG.warning('Connection to libvirt %s lost: reconnecting', self.uri)
                self._conn = None
            self._conn = self._connect()
            return self._conn

    def _connect(self):
        import_libvirt()
        libvirt.registerErrorHandler(_ignore_error, None)
        if self.events:
            _start_event_loop()
        conn = libvirt.open(self.uri)
        LOG.info('Connected to libvirt %s', self.uri)
        if self.events:
            conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                        self._lifecycle_event, None)
            try:
                # Keepalive makes a dead libvirtd show up as a closed connection.
                conn.setKeepAlive(5, 3)
                conn.registerCloseCallback(self._closed, None)
            except libvirt.libvirtError:
                pass  # the test driver has no keepalive
        return conn

    def _closed(self, conn, reason, _opaque):
        LOG.warning('libvirt closed the connection to %s (reason %s)', self.uri, reason)
        with self._lock:
            if self._conn is conn:
                self._conn = None

    def _lifecycle_event(self, conn, dom, event, detail, _opaque):
        if self.lifecycle_callback is None:
            return
        try:
            state = LIBVIRT_POWER_STATE.get(dom.state()[0], power_state.NOSTATE)
        except libvirt.libvirtError:
            state = power_state.NOSTATE  # undefined meanwhile
        try:
            self.lifecycle_callback(dom.UUIDString(), state)
        except Exception:
            LOG.exception('Lifecycle event callback failed')

    def close(self):
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    # -- domains --------------------------------------------------------------------------

    def lookup(self, uuid):
        """The domain of that uuid, or None."""
        conn = self.get_connection()
        try:
            return conn.lookupByUUIDString(uuid)
        except libvirt.libvirtError as error:
            if error.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise

    def list_domains(self):
        return self.get_connection().listAllDomains(0)

    # -- what the host offers -------------------------------------------------------------

    def get_capabilities_xml(self):
        return self.get_connection().getCapabilities()

    def get_cpu_info(self):
        """The host CPU as upstream's cpu_info JSON: arch, model, vendor, topology,
        features."""
        from xml.etree import ElementTree as etree
        root = etree.fromstring(self.get_capabilities_xml())
        cpu = root.find('./host/cpu')
        info = {'arch': None, 'model': None, 'vendor': None,
                'topology': {'sockets': 1, 'cores': 1, 'threads': 1}, 'features': []}
        if cpu is not None:
            info['arch'] = cpu.findtext('arch')
            info['model'] = cpu.findtext('model')
            info['vendor'] = cpu.findtext('vendor')
            topology = cpu.find('topology')
            if topology is not None:
                info['topology'] = {key: int(topology.get(key, 1))
                                    for key in ('sockets', 'cores', 'threads')}
            info['features'] = sorted(f.get('name') for f in cpu.findall('feature'))
        return json.dumps(info, sort_keys=True)

    def get_vcpu_total(self):
        return os.cpu_count() or self.get_connection().getInfo()[2]

    def get_memory_mb_total(self):
        return self.get_connection().getInfo()[1]

    def get_memory_mb_used(self):
        """Host memory in use (MiB): total minus free, buffers and cache, from
        /proc/meminfo (what the guests and everything else hold)."""
        try:
            with open('/proc/meminfo') as f:
                meminfo = {line.split(':')[0]: int(line.split()[1]) for line in f}
            free = sum(meminfo.get(key, 0) for key in ('MemFree', 'Buffers', 'Cached'))
            return (meminfo['MemTotal'] - free) // 1024
        except (OSError, KeyError, ValueError):
            return 0

    def get_hypervisor_type(self):
        return self.get_connection().getType()

    def get_hypervisor_version(self):
        """QEMU's version as upstream packs it: major * 1000000 + minor * 1000 + micro."""
        return self.get_connection().getVersion()

    def get_libversion(self):
        return self.get_connection().getLibVersion()

    def get_hostname(self):
        try:
            return self.get_connection().getHostname()
        except Exception:
            return socket.gethostname()


def local_disk_gb(path):
    """(total, free) GiB of the filesystem holding ``path``."""
    os.makedirs(path, exist_ok=True)
    stat = os.statvfs(path)
    return (stat.f_frsize * stat.f_blocks // 1024 ** 3,
            stat.f_frsize * stat.f_bavail // 1024 ** 3)
