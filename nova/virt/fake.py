"""A virt driver with no hypervisor behind it, for tests and scale runs.

Its capacity comes from [fake_driver] so many fake compute hosts (hundreds) can run on one
machine, each believing it has the resources a test needs.
"""

import threading
import time

from nova import exception
from nova.compute import power_state
import nova.conf
from nova.virt import driver

CONF = nova.conf.CONF


class FakeDriver(driver.ComputeDriver):
    capabilities = dict(driver.ComputeDriver.capabilities,
                        supports_evacuate=True, supports_migrate_to_same_host=True)

    def __init__(self, virtapi=None):
        super().__init__(virtapi)
        self.host = None
        self._started = time.time()
        self._lock = threading.Lock()
        self.guests = {}  # instance uuid -> {'name', 'node', 'vcpus', 'memory_mb', 'disk_gb'}

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
        with self._lock:
            self.guests[instance.uuid] = {
                'name': instance.name, 'node': instance.node, 'vcpus': instance.vcpus,
                'memory_mb': instance.memory_mb,
                'disk_gb': instance.root_gb + instance.ephemeral_gb,
                'state': power_state.RUNNING}

    def destroy(self, context, instance, network_info=None, block_device_info=None,
                destroy_disks=True):
        with self._lock:
            self.guests.pop(instance.uuid, None)

    def get_info(self, instance):
        with self._lock:
            guest = self.guests.get(instance.uuid)
        if guest is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return {'state': guest['state']}

    def list_instances(self):
        with self._lock:
            return [g['name'] for g in self.guests.values()]

    def get_host_uptime(self):
        up = int(time.time() - self._started)
        return ' %s up %d:%02d,  0 users,  load average: 0.00, 0.00, 0.00' % (
            time.strftime('%H:%M:%S'), up // 3600, (up // 60) % 60)
