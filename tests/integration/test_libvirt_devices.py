"""Guest devices on real libvirt/QEMU (TCG): hw_* image properties through the API on
separate daemons, and guest NICs on Linux bridges and tap devices through the driver.

Run under ``flock /tmp/libvirt-it.lock``: one libvirtd serves the whole machine.
"""

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from xml.etree import ElementTree as etree

import pytest

from nova import context as nova_context
from nova import objects
from tests import databases
from tests.integration import cluster as cluster_mod
from tests.integration import libvirt_host
from tests.integration import test_libvirt as base

# The kernel, ramdisk and disk of the tiny guest, with libvirtd running (module scope).
libvirt_ready = base.libvirt_ready

HW_PROPERTIES = {'hw_disk_bus': 'sata', 'hw_video_model': 'vga',
                 'hw_qemu_guest_agent': 'yes', 'hw_pointer_model': 'usbtablet',
                 'hw_watchdog_action': 'pause', 'hw_serial_port_count': '2'}


def _backend():
    backend = next((b for b in ('postgresql', 'mysql') if databases.server_available(b)),
                   None)
    if backend is None:
        pytest.skip('no PostgreSQL or MariaDB server reachable')
    return backend


def test_hw_image_properties_shape_a_real_guest(libvirt_ready):
    import libvirt
    conn = libvirt.open('qemu:///system')
    with cluster_mod.running_cluster(_backend()) as cluster:
        instances_path = os.path.join(cluster.workdir, 'instances')
        os.chmod(cluster.workdir, 0o755)
        base.start_libvirt_cluster(cluster, instances_path)
        (kernel, ramdisk, disk), _restart = libvirt_ready
        kernel_id = base._upload(cluster, 'hw-kernel', kernel, 'aki', 'aki')
        ramdisk_id = base._upload(cluster, 'hw-ramdisk', ramdisk, 'ari', 'ari')
        image_id = base._upload(cluster, 'hw-tiny', disk, 'qcow2', 'bare',
                                kernel_id=kernel_id, ramdisk_id=ramdisk_id,
                                os_command_line='console=ttyS0', **HW_PROPERTIES)
        bad_id = base._upload(cluster, 'hw-bad', disk, 'qcow2', 'bare',
                              kernel_id=kernel_id, ramdisk_id=ramdisk_id,
                              hw_disk_bus='floppy')
        flavor_id = base.create_flavor(cluster, 'hw.tiny', 96, 1, 2)

        def boot(name, image):
            return base.boot(cluster, name, image, flavor_id)

        server_id = boot('hw', image_id)
        base.wait_status(cluster, server_id, 'ACTIVE')
        domain = etree.fromstring(conn.lookupByUUIDString(server_id).XMLDesc(0))
        disk_node = domain.find('devices/disk')
        assert disk_node.find('target').attrib == {'dev': 'sda', 'bus': 'sata'}
        assert domain.find('devices/video/model').get('type') == 'vga'
        assert domain.find('devices/channel/target').get('name') == \
            'org.qemu.guest_agent.0'
        # libvirt gave the agent its socket and the virtio-serial controller it needs
        assert domain.find('devices/channel/source').get('path')
        assert domain.find("devices/controller[@type='virtio-serial']") is not None
        assert domain.find("devices/input[@type='tablet']").get('bus') == 'usb'
        assert domain.find('devices/watchdog').attrib['action'] == 'pause'
        assert len(domain.findall('devices/serial')) == 2
        assert domain.find('cpu/topology').get('sockets') == '2'
        assert domain.find('clock').get('offset') == 'utc'
        base.wait_marker(cluster, server_id)

        # An invalid property fails the build with a clear error (the compute host's
        # fault; the server's last one is the scheduler's no valid host); nothing is left.
        bad_server = boot('bad', bad_id)
        cluster.wait_for(lambda: (base.server(cluster, bad_server) or {}).get('status')
                         == 'ERROR', timeout=120, what='ERROR')
        assert "Image property hw_disk_bus has an invalid value 'floppy'" in \
            cluster.log('compute1')
        with pytest.raises(libvirt.libvirtError):
            conn.lookupByUUIDString(bad_server)
        assert not os.path.exists(os.path.join(instances_path, bad_server))

        for sid in (server_id, bad_server):
            status, _body = cluster.request('DELETE', '/v2.1/servers/%s' % sid)
            assert status == 204
        for sid in (server_id, bad_server):
            cluster.wait_for(lambda: base.server(cluster, sid) is None, timeout=60,
                             what='server deleted')
        with pytest.raises(libvirt.libvirtError):
            conn.lookupByUUIDString(server_id)
        for name in ('api', 'conductor', 'scheduler', 'compute1'):
            assert 'Traceback' not in cluster.log(name) or name == 'compute1', \
                cluster.log(name)[-3000:]
    conn.close()


# -- guest NICs through the driver ---------------------------------------------------------

class LocalImages:
    """The image API's download/get over local files (the image service is not what this
    test is about)."""

    def __init__(self, files, properties):
        self.files = files
        self.properties = properties

    def get(self, context, image_id):
        return {'id': image_id, 'properties': self.properties.get(image_id, {})}

    def download(self, context, image_id, dst_path=None):
        shutil.copyfile(self.files[image_id], dst_path)
        return self.get(context, image_id)


def _net(name, attr):
    with open('/sys/class/net/%s/%s' % (name, attr)) as f:
        return f.read().strip()


def _exists(name):
    return os.path.exists('/sys/class/net/' + name)


def _ip(*args):
    subprocess.run(('ip',) + args, check=True, capture_output=True)


@pytest.fixture
def network_devices():
    """Names for this run's bridges; whatever of them exists afterwards is removed."""
    tag = uuid.uuid4().hex[:6]
    names = {'existing': 'nvtb%s' % tag, 'created': 'nvtc%s' % tag}
    _ip('link', 'add', 'name', names['existing'], 'type', 'bridge')
    _ip('link', 'set', 'dev', names['existing'], 'up')
    yield names
    for name in names.values():
        if _exists(name):
            _ip('link', 'delete', 'dev', name)


class RealDriver:
    """A LibvirtDriver on qemu:///system (TCG) with its own instances path and domain
    names, the tiny guest's images, and a way to make instances."""

    def __init__(self, drv, ids, workdir):
        self.drv, self.ids, self.workdir = drv, ids, workdir
        self.ctx = nova_context.get_admin_context()
        self.instances = []

    def instance(self):
        flavor = objects.Flavor(id=1, name='dev', memory_mb=96, vcpus=1, root_gb=1,
                                ephemeral_gb=0, swap=0, flavorid='1', extra_specs={})
        instance = objects.Instance(
            id=next(_ids), uuid=str(uuid.uuid4()), display_name='dev', memory_mb=96,
            vcpus=1, root_gb=1, ephemeral_gb=0, image_ref=self.ids['disk'],
            kernel_id=self.ids['kernel'], ramdisk_id=self.ids['ramdisk'], flavor=flavor,
            system_metadata={}, config_drive='', launched_at=None)
        self.instances.append(instance)
        return instance

    def image_meta(self, **properties):
        return {'id': self.ids['disk'], 'properties': dict(
            properties, kernel_id=self.ids['kernel'], ramdisk_id=self.ids['ramdisk'],
            os_command_line='console=ttyS0')}

    def live_xml(self, instance):
        return etree.fromstring(self.drv._host.lookup(instance.uuid).XMLDesc(0))


_ids = iter(range(1, 1000000))


@pytest.fixture
def real_driver(libvirt_ready, conf):
    from nova.virt.libvirt import driver as libvirt_driver
    (kernel, ramdisk, disk), _restart = libvirt_ready
    workdir = tempfile.mkdtemp(prefix='nova-devices-')
    os.chmod(workdir, 0o755)  # QEMU (libvirt-qemu) must reach the disks
    conf.set_override('connection_uri', 'qemu:///system', group='libvirt')
    conf.set_override('virt_type', 'qemu', group='libvirt')
    conf.set_override('instances_path', os.path.join(workdir, 'instances'))
    conf.set_override('instance_name_template',
                      'nova-dev-%s-%%08x' % uuid.uuid4().hex[:8])
    conf.set_override('enabled', False, group='vnc')
    ids = {name: str(uuid.uuid4()) for name in ('kernel', 'ramdisk', 'disk')}
    drv = libvirt_driver.LibvirtDriver()
    drv._image_api = LocalImages({ids['kernel']: kernel, ids['ramdisk']: ramdisk,
                                  ids['disk']: disk}, {})
    drv.init_host('devices-host')
    real = RealDriver(drv, ids, workdir)
    try:
        yield real
    finally:
        for instance in real.instances:
            dom = drv._host.lookup(instance.uuid)
            if dom is not None:
                drv._undefine(dom)
        drv.cleanup_host('devices-host')
        shutil.rmtree(workdir, ignore_errors=True)


def test_bridge_and_tap_vifs_of_a_real_guest(real_driver, network_devices):
    drv, ctx = real_driver.drv, real_driver.ctx
    vifs = [
        {'id': str(uuid.uuid4()), 'address': 'fa:16:3e:5a:00:01', 'type': 'bridge',
         'network': {'bridge': network_devices['existing'], 'meta': {'mtu': 1400}}},
        {'id': str(uuid.uuid4()), 'address': 'fa:16:3e:5a:00:02', 'type': 'bridge',
         'network': {'bridge': network_devices['created'], 'meta': {'mtu': 1300}}},
        {'id': str(uuid.uuid4()), 'address': 'fa:16:3e:5a:00:03', 'type': 'tap',
         'network': {'meta': {'mtu': 1280}}},
    ]
    taps = ['tap' + vif['id'][:11] for vif in vifs]
    instance = real_driver.instance()
    try:
        drv.spawn(ctx, instance, real_driver.image_meta(hw_vif_model='e1000'),
                  network_info=vifs)
        nics = real_driver.live_xml(instance).findall('devices/interface')
        assert [(n.get('type'), n.find('mac').get('address'), n.find('target').get('dev'),
                 n.find('model').get('type')) for n in nics] == [
            ('bridge', vifs[0]['address'], taps[0], 'e1000'),
            ('bridge', vifs[1]['address'], taps[1], 'e1000'),
            ('ethernet', vifs[2]['address'], taps[2], 'e1000')]
        # The bridge taps are enslaved, carry the guest's MAC (libvirt's host side has the
        # first byte fe) and the network's MTU.
        for tap, vif, bridge in ((taps[0], vifs[0], network_devices['existing']),
                                 (taps[1], vifs[1], network_devices['created'])):
            assert os.path.basename(os.readlink('/sys/class/net/%s/master' % tap)) == bridge
            assert _net(tap, 'address') == 'fe' + vif['address'][2:]
            assert _net(tap, 'mtu') == str(vif['network']['meta']['mtu'])
        assert _net(network_devices['created'], 'ifalias').startswith('nova')
        assert _net(taps[2], 'mtu') == '1280'
        assert not os.path.exists('/sys/class/net/%s/master' % taps[2])
        # The guest boots with its NICs.
        deadline = time.monotonic() + 180
        while libvirt_host.MARKER not in drv.get_console_output(ctx, instance):
            assert time.monotonic() < deadline, 'no marker in the console log'
            time.sleep(1)

        drv.destroy(ctx, instance, network_info=vifs)
        assert drv._host.lookup(instance.uuid) is None
        assert not any(_exists(tap) for tap in taps)
        assert not _exists(network_devices['created'])  # nova made it: gone
        assert _exists(network_devices['existing'])  # someone else's: kept
        assert not os.path.exists(os.path.join(real_driver.workdir, 'instances',
                                               instance.uuid))
    finally:
        for tap in taps:
            if _exists(tap):
                _ip('link', 'delete', 'dev', tap)


def test_uefi_guest(real_driver):
    """hw_firmware_type=uefi: OVMF from Debian's ovmf package, the guest's variable store
    in its directory; destroy removes both domain and store."""
    from nova.virt.libvirt import guest_options
    if not any(os.path.exists(code) for code, _vars in guest_options.OVMF_FILES):
        pytest.skip('OVMF is not installed (Debian package ovmf)')
    drv, ctx = real_driver.drv, real_driver.ctx
    instance = real_driver.instance()
    drv.spawn(ctx, instance, real_driver.image_meta(hw_firmware_type='uefi',
                                                    hw_machine_type='q35'))
    domain = real_driver.live_xml(instance)
    assert domain.find('os/loader').text.startswith('/usr/share/OVMF/OVMF_CODE')
    assert domain.find('os/type').get('machine').startswith('pc-q35')
    nvram = domain.find('os/nvram').text
    assert nvram == os.path.join(real_driver.workdir, 'instances', instance.uuid,
                                 'nvram.fd')
    assert os.path.getsize(nvram) > 0  # libvirt copied the template at start
    assert drv.get_info(instance)['state'] == 1  # running
    drv.destroy(ctx, instance)
    assert drv._host.lookup(instance.uuid) is None
    assert not os.path.exists(os.path.dirname(nvram))
