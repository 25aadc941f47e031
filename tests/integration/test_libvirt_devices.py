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
        status, body = cluster.request('POST', '/v2.1/flavors', {'flavor': {
            'name': 'hw.tiny', 'ram': 96, 'disk': 1, 'vcpus': 2}})
        assert status == 200, body
        flavor_id = body['flavor']['id']

        def boot(name, image):
            status, body = cluster.request('POST', '/v2.1/servers', {'server': {
                'name': name, 'imageRef': image, 'flavorRef': flavor_id,
                'networks': 'none'}}, version='2.37')
            assert status == 202, body
            return body['server']['id']

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


def test_bridge_and_tap_vifs_of_a_real_guest(libvirt_ready, conf, network_devices):
    from nova.virt.libvirt import driver as libvirt_driver
    (kernel, ramdisk, disk), _restart = libvirt_ready
    workdir = tempfile.mkdtemp(prefix='nova-vif-')
    os.chmod(workdir, 0o755)  # QEMU (libvirt-qemu) must reach the disks
    conf.set_override('connection_uri', 'qemu:///system', group='libvirt')
    conf.set_override('virt_type', 'qemu', group='libvirt')
    conf.set_override('instances_path', os.path.join(workdir, 'instances'))
    conf.set_override('instance_name_template', 'nova-vif-%s-%%08x' % uuid.uuid4().hex[:8])
    conf.set_override('enabled', False, group='vnc')
    ids = {name: str(uuid.uuid4()) for name in ('kernel', 'ramdisk', 'disk')}
    images = LocalImages({ids['kernel']: kernel, ids['ramdisk']: ramdisk,
                          ids['disk']: disk},
                         {ids['disk']: {'kernel_id': ids['kernel'],
                                        'ramdisk_id': ids['ramdisk']}})
    vifs = [
        {'id': str(uuid.uuid4()), 'address': 'fa:16:3e:5a:00:01', 'type': 'bridge',
         'network': {'bridge': network_devices['existing'], 'meta': {'mtu': 1400}}},
        {'id': str(uuid.uuid4()), 'address': 'fa:16:3e:5a:00:02', 'type': 'bridge',
         'network': {'bridge': network_devices['created'], 'meta': {'mtu': 1300}}},
        {'id': str(uuid.uuid4()), 'address': 'fa:16:3e:5a:00:03', 'type': 'tap',
         'network': {'meta': {'mtu': 1280}}},
    ]
    taps = ['tap' + vif['id'][:11] for vif in vifs]
    flavor = objects.Flavor(id=1, name='vif', memory_mb=96, vcpus=1, root_gb=1,
                            ephemeral_gb=0, swap=0, flavorid='1', extra_specs={})
    instance = objects.Instance(
        id=int(time.time()) % 100000, uuid=str(uuid.uuid4()), display_name='vif',
        memory_mb=96, vcpus=1, root_gb=1, ephemeral_gb=0, image_ref=ids['disk'],
        kernel_id=ids['kernel'], ramdisk_id=ids['ramdisk'], flavor=flavor,
        system_metadata={'image_os_command_line': 'console=ttyS0'}, config_drive='',
        launched_at=None)
    ctx = nova_context.get_admin_context()
    drv = libvirt_driver.LibvirtDriver()
    drv._image_api = images
    drv.init_host('vif-host')
    try:
        drv.spawn(ctx, instance, {'id': ids['disk'], 'properties': {
            'kernel_id': ids['kernel'], 'ramdisk_id': ids['ramdisk'],
            'os_command_line': 'console=ttyS0', 'hw_vif_model': 'e1000'}},
            network_info=vifs)
        domain = etree.fromstring(drv._host.lookup(instance.uuid).XMLDesc(0))
        nics = domain.findall('devices/interface')
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
        assert not os.path.exists(os.path.join(workdir, 'instances', instance.uuid))
    finally:
        dom = drv._host.lookup(instance.uuid)
        if dom is not None:
            drv._undefine(dom)
        for tap in taps:
            if _exists(tap):
                _ip('link', 'delete', 'dev', tap)
        drv.cleanup_host('vif-host')
        shutil.rmtree(workdir, ignore_errors=True)
