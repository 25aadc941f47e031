"""A virt driver with no hypervisor behind it, for tests and scale runs.

Its capacity comes from [fake_driver] so many fake compute hosts (hundreds) can run on one
machine, each believing it has the resources a test needs.
"""

import io
import platform
import threading
import time

from oslo_utils import timeutils

from nova import exception
from nova.compute import power_state
from nova.compute import task_states
import nova.conf
from nova.image import api as image_api
from nova.virt import diagnostics
from nova.virt import driver
from nova.virt import images

CONF = nova.conf.CONF


class FakeDriver(driver.ComputeDriver):
    capabilities = dict(driver.ComputeDriver.capabilities,
                        supports_evacuate=True, supports_migrate_to_same_host=True)

    def __init__(self, virtapi=None):
        super().__init__(virtapi)
        self.host = None
        self._started = time.time()
        self._lock = threading.Lock()
        # instance uuid -> {'name', 'node', 'vcpus', 'memory_mb', 'disk_gb', 'disks' (GiB
        # each: root, then ephemeral), 'macs', 'state', 'started' (time.time()),
        # 'console' (lines of its console log), 'admin_password', 'rescued', 'crash_dumps'}
        self.guests = {}
        # Image ids pre-cached on request (aggregate image caching), in order.
        self.cached_images = []
        # (instance uuid, event name, tag) of the external events delivered, in order.
        self.external_events = []
        # instance uuid -> threading.Event set to end its live migration early, and the
        # uuids whose live migration was aborted.
        self._live_migrations = {}
        self._aborted = set()

    def init_host(self, host):
        self.host = host

    def get_available_nodes(self, refresh=False):
        return list(CONF.fake_driver.nodes) or [self.host or CONF.host]

    def get_available_resource(self, nodename):
        with self._lock:
            guests = [g for g in self.guests.values() if g['node'] == nodename]
        return {
            'vcpus': CONF.fake_driver.vcpus,
            'memory_mb': CONF.fake_driver.memory_mb,
            'local_gb': CONF.fake_driver.local_gb,
            'vcpus_used': sum(g['vcpus'] for g in guests),
            'memory_mb_used': sum(g['memory_mb'] for g in guests),
            'local_gb_used': sum(g['disk_gb'] for g in guests),
            'hypervisor_type': 'fake',
            'hypervisor_version': 1000,
            'hypervisor_hostname': nodename,
            'cpu_info': '{"arch": "x86_64", "model": "fake", "vendor": "fake", '
                        '"topology": {"sockets": 1, "cores": 1, "threads": 1}}',
            'disk_available_least': CONF.fake_driver.local_gb,
            'host_ip': CONF.my_ip,
        }

    def spawn(self, context, instance, image_meta, injected_files=None, admin_password=None,
              allocations=None, network_info=None, block_device_info=None):
        if self.host in CONF.fake_driver.spawn_failure_hosts:
            raise exception.NovaException(
                'Spawn failed on %s ([fake_driver] spawn_failure_hosts)' % self.host)
        if CONF.fake_driver.fetch_images and instance.image_ref:
            images.fetch_to_cache(context, instance.image_ref)
        with self._lock:
            self.guests[instance.uuid] = self._new_guest(instance, network_info,
                                                         admin_password)

    @staticmethod
    def _new_guest(instance, network_info=None, admin_password=None):
        return {
            'name': instance.name, 'node': instance.node, 'vcpus': instance.vcpus,
            'memory_mb': instance.memory_mb,
            'disk_gb': instance.root_gb + instance.ephemeral_gb,
            'disks': [instance.root_gb] + ([instance.ephemeral_gb]
                                           if instance.ephemeral_gb else []),
            'macs': [vif.get('address') for vif in network_info or []],
            'state': power_state.RUNNING, 'started': time.time(),
            'console': ['fake guest %s booting' % instance.uuid, 'login:'],
            'admin_password': admin_password, 'rescued': False, 'crash_dumps': 0}

    def destroy(self, context, instance, network_info=None, block_device_info=None,
                destroy_disks=True):
        with self._lock:
            self.guests.pop(instance.uuid, None)

    def snapshot(self, context, instance, image_id, update_task_state):
        """A few bytes naming the instance become the image's data (raw/bare), so the
        image is active and downloadable like a real snapshot."""
        self._guest(instance)  # InstanceNotFound without a guest
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        data = ('fake snapshot of instance %s\n' % instance.uuid).encode()
        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        images = image_api.API()
        images.update(context, image_id, values={'disk_format': 'raw',
                                                 'container_format': 'bare'})
        images.upload(context, image_id, io.BytesIO(data), size=len(data))

    def get_info(self, instance):
        with self._lock:
            guest = self.guests.get(instance.uuid)
        if guest is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return {'state': guest['state']}

    # The API names the driver from a closed list (no test driver in it): this one stands
    # in for libvirt, and says 'fake' as the hypervisor so that nobody is misled.
    DIAGNOSTICS_DRIVER = 'libvirt'

    def _guest(self, instance):
        with self._lock:
            guest = self.guests.get(instance.uuid)
        if guest is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return dict(guest)

    @staticmethod
    def _uptime(instance, guest):
        if instance.launched_at is not None:
            launched = timeutils.normalize_time(instance.launched_at)
            return max(0, int((timeutils.utcnow() - launched).total_seconds()))
        return int(time.time() - guest['started'])

    def get_diagnostics(self, instance):
        """libvirt's shape: per-vCPU time, memory in KiB, per-disk and per-NIC counters.
        No guest code runs here, so every counter is zero."""
        guest = self._guest(instance)
        body = {'cpu%d_time' % index: 0 for index in range(guest['vcpus'])}
        body.update({'memory': guest['memory_mb'] * 1024,
                     'memory-actual': guest['memory_mb'] * 1024, 'memory-rss': 0})
        for index, _size in enumerate(guest['disks']):
            disk = 'vd' + chr(ord('a') + index)
            body.update({disk + '_read': 0, disk + '_read_req': 0, disk + '_write': 0,
                         disk + '_write_req': 0, disk + '_errors': 0})
        for index, _mac in enumerate(guest['macs']):
            nic = 'tap%d' % index
            for counter in ('rx', 'rx_packets', 'rx_errors', 'rx_drop', 'tx', 'tx_packets',
                            'tx_errors', 'tx_drop'):
                body['%s_%s' % (nic, counter)] = 0
        return body

    def get_instance_diagnostics(self, instance):
        guest = self._guest(instance)
        return diagnostics.Diagnostics(
            state=power_state.STATE_MAP[guest['state']], driver=self.DIAGNOSTICS_DRIVER,
            hypervisor='fake', hypervisor_os=platform.system().lower() or None,
            uptime=self._uptime(instance, guest),
            config_drive=bool(instance.config_drive),
            memory_details=diagnostics.MemoryDiagnostics(maximum=guest['memory_mb'], used=0),
            cpu_details=[diagnostics.CpuDiagnostics(id=index, time=0, utilisation=0)
                         for index in range(guest['vcpus'])],
            nic_details=[diagnostics.NicDiagnostics(
                mac_address=mac, rx_octets=0, rx_errors=0, rx_drop=0, rx_packets=0,
                rx_rate=None, tx_octets=0, tx_errors=0, tx_drop=0, tx_packets=0,
                tx_rate=None) for mac in guest['macs']],
            disk_details=[diagnostics.DiskDiagnostics(read_bytes=0, read_requests=0,
                                                      write_bytes=0, write_requests=0,
                                                      errors_count=0)
                          for _size in guest['disks']])

    # -- moves between hosts ---------------------------------------------------------------

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info=None,
                                   block_device_info=None):
        if CONF.fake_driver.migrate_delay:
            time.sleep(CONF.fake_driver.migrate_delay)
        with self._lock:
            guest = self.guests.get(instance.uuid)
            if guest is not None:
                guest['state'] = power_state.SHUTDOWN

    def _add_guest(self, instance, state):
        with self._lock:
            self.guests[instance.uuid] = {
                'name': instance.name, 'node': instance.node, 'vcpus': instance.vcpus,
                'memory_mb': instance.memory_mb,
                'disk_gb': instance.root_gb + instance.ephemeral_gb,
                'disks': [instance.root_gb] + ([instance.ephemeral_gb]
                                               if instance.ephemeral_gb else []),
                'macs': [], 'state': state, 'started': time.time()}

    def finish_migration(self, context, migration, instance, image_meta, network_info=None,
                         block_device_info=None, power_on=True):
        self._add_guest(instance, power_state.RUNNING if power_on else power_state.SHUTDOWN)

    def confirm_migration(self, context, migration, instance, network_info=None):
        # On a same-host resize the source guest is the destination guest.
        if (migration.source_compute, migration.source_node) != (migration.dest_compute,
                                                                 migration.dest_node):
            with self._lock:
                self.guests.pop(instance.uuid, None)

    def finish_revert_migration(self, context, instance, network_info=None, migration=None,
                                block_device_info=None, power_on=True):
        self._add_guest(instance, power_state.RUNNING if power_on else power_state.SHUTDOWN)

    def check_can_live_migrate_destination(self, context, instance, block_migration):
        return {'block_migration': bool(block_migration)}

    def check_can_live_migrate_source(self, context, instance, dest_check_data):
        return dict(dest_check_data)

    def pre_live_migration(self, context, instance, block_device_info=None, network_info=None,
                           disk_info=None, migrate_data=None):
        return migrate_data or {}

    def live_migration(self, context, instance, dest, migrate_data=None):
        done = threading.Event()
        with self._lock:
            self._live_migrations[instance.uuid] = done
        try:
            done.wait(CONF.fake_driver.live_migration_delay)
            with self._lock:
                if instance.uuid in self._aborted:
                    self._aborted.discard(instance.uuid)
                    raise exception.LiveMigrationAborted(instance_uuid=instance.uuid)
                self.guests.pop(instance.uuid, None)
        finally:
            with self._lock:
                self._live_migrations.pop(instance.uuid, None)

    def post_live_migration_at_destination(self, context, instance, network_info=None,
                                           block_migration=False, block_device_info=None):
        self._add_guest(instance, power_state.RUNNING)

    def _running_migration(self, instance):
        with self._lock:
            done = self._live_migrations.get(instance.uuid)
        if done is None:
            raise exception.NoActiveMigrationForInstance(instance_id=instance.uuid)
        return done

    def live_migration_force_complete(self, instance):
        self._running_migration(instance).set()

    def live_migration_abort(self, instance):
        done = self._running_migration(instance)
        with self._lock:
            self._aborted.add(instance.uuid)
        done.set()

    def list_instances(self):
        with self._lock:
            return [g['name'] for g in self.guests.values()]

    def cache_image(self, context, image_id):
        with self._lock:
            if image_id in self.cached_images:
                return False
            self.cached_images.append(image_id)
            return True

    def external_instance_event(self, instance, event):
        with self._lock:
            self.external_events.append((instance.uuid, event['name'], event.get('tag')))

    def get_host_uptime(self):
        up = int(time.time() - self._started)
        return ' %s up %d:%02d,  0 users,  load average: 0.00, 0.00, 0.00' % (
            time.strftime('%H:%M:%S'), up // 3600, (up // 60) % 60)

    # -- power and guest state ---------------------------------------------------------

    def _change(self, instance, change):
        """Run ``change(guest)`` under the lock; InstanceNotFound if there is no guest."""
        with self._lock:
            guest = self.guests.get(instance.uuid)
            if guest is None:
                raise exception.InstanceNotFound(instance_id=instance.uuid)
            change(guest)

    def _log(self, instance, line):
        self._change(instance, lambda guest: guest['console'].append(line))

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None):
        if CONF.fake_driver.reboot_delay:
            time.sleep(CONF.fake_driver.reboot_delay)
        if reboot_type == 'HARD':
            # A hard reboot recreates the guest from the instance (libvirt redefines the
            # domain), so it also brings back a guest this process lost, e.g. on a restart.
            with self._lock:
                if instance.uuid not in self.guests:
                    self.guests[instance.uuid] = self._new_guest(instance, network_info)
        self._change(instance, lambda guest: guest.update(state=power_state.RUNNING,
                                                          started=time.time()))
        self._log(instance, '%s reboot' % reboot_type.lower())

    def power_off(self, instance, timeout=0, retry_interval=0):
        self._change(instance, lambda guest: guest.update(state=power_state.SHUTDOWN))

    def power_on(self, context, instance, network_info, block_device_info=None):
        # Like a hard reboot, power on defines the guest again if the hypervisor lost it.
        with self._lock:
            if instance.uuid not in self.guests:
                self.guests[instance.uuid] = self._new_guest(instance, network_info)
        self._change(instance, lambda guest: guest.update(state=power_state.RUNNING,
                                                          started=time.time()))
        self._log(instance, 'power on')

    def pause(self, instance):
        self._change(instance, lambda guest: guest.update(state=power_state.PAUSED))

    def unpause(self, instance):
        self._change(instance, lambda guest: guest.update(state=power_state.RUNNING))

    def suspend(self, context, instance):
        self._change(instance, lambda guest: guest.update(state=power_state.SUSPENDED))

    def resume(self, context, instance, network_info, block_device_info=None):
        self._change(instance, lambda guest: guest.update(state=power_state.RUNNING))

    def rescue(self, context, instance, network_info, image_meta, rescue_password,
               block_device_info=None):
        self._change(instance, lambda guest: guest.update(
            state=power_state.RUNNING, rescued=True, admin_password=rescue_password))
        self._log(instance, 'rescue boot')

    def unrescue(self, context, instance):
        self._change(instance, lambda guest: guest.update(state=power_state.RUNNING,
                                                          rescued=False))
        self._log(instance, 'unrescue boot')

    def set_admin_password(self, instance, new_pass):
        self._change(instance, lambda guest: guest.update(admin_password=new_pass))

    def inject_network_info(self, instance, nw_info):
        self._change(instance, lambda guest: guest.update(
            network_injections=guest.get('network_injections', 0) + 1))

    def trigger_crash_dump(self, instance):
        self._change(instance, lambda guest: guest.update(
            crash_dumps=guest['crash_dumps'] + 1))
        self._log(instance, 'NMI received: crash dump')

    def get_console_output(self, context, instance):
        return '\n'.join(self._guest(instance)['console']) + '\n'

    def soft_delete(self, instance):
        self.power_off(instance)

    def restore(self, instance):
        self._change(instance, lambda guest: guest.update(state=power_state.RUNNING))
