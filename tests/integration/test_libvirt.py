"""A real QEMU guest (TCG) through the libvirt driver, on separate daemons over RabbitMQ and
PostgreSQL: boot from uploaded kernel/ramdisk/disk images, see the guest's marker in
os-getConsoleOutput, then stop, start, reboot (soft and hard), a libvirtd restart, pause,
suspend/resume and delete, checking the libvirt domain after each step, and that nothing is
left behind.

One guest for the whole lifecycle: the machine's 2 cores are shared.
"""

import os
import socket
import tempfile
import urllib.request
import uuid

import pytest

from tests import databases
from tests.integration import cluster as cluster_mod
from tests.integration import libvirt_host

VIR_DOMAIN_RUNNING, VIR_DOMAIN_PAUSED, VIR_DOMAIN_SHUTOFF = 1, 3, 5


@pytest.fixture(scope='module')
def libvirt_ready():
    reason = libvirt_host.ensure_installed()
    if reason:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory(prefix='nova-libvirt-') as workdir:
        os.chmod(workdir, 0o755)  # QEMU runs as libvirt-qemu and must reach the disks
        guest = libvirt_host.build_tiny_guest(workdir)
        with libvirt_host.running_libvirtd(workdir) as restart_libvirtd:
            yield guest, restart_libvirtd


def _upload(cluster, name, path, disk_format, container_format, **properties):
    status, image = cluster.request('POST', '/image/v2/images', dict(
        properties, name=name, disk_format=disk_format, container_format=container_format,
        visibility='public'))
    assert status == 201, image
    with open(path, 'rb') as f:
        req = urllib.request.Request(
            'http://127.0.0.1:%d/image/v2/images/%s/file' % (cluster.api_port, image['id']),
            data=f.read(), method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.status == 204
    return image['id']


def upload_tiny_guest(cluster, guest):
    """The guest's kernel (aki), ramdisk (ari) and disk (qcow2 naming both)."""
    kernel, ramdisk, disk = guest
    kernel_id = _upload(cluster, 'tiny-kernel', kernel, 'aki', 'aki')
    ramdisk_id = _upload(cluster, 'tiny-ramdisk', ramdisk, 'ari', 'ari')
    return _upload(cluster, 'tiny', disk, 'qcow2', 'bare', kernel_id=kernel_id,
                   ramdisk_id=ramdisk_id, os_command_line='console=ttyS0')


def libvirt_compute_conf(cluster, instances_path, **libvirt_opts):
    """The extra config file of a libvirt compute host of ``cluster``."""
    return cluster_mod.write_config(os.path.join(cluster.workdir, 'libvirt-compute.conf'), {
        # Domain names of their own: each run's database counts instance ids from 1, and
        # a domain an interrupted run left defined must not collide.
        'DEFAULT': {'compute_driver': 'libvirt.LibvirtDriver',
                    'instances_path': instances_path,
                    'instance_name_template': 'nova-%s-%%08x' % uuid.uuid4().hex[:8]},
        'libvirt': dict({'virt_type': 'qemu', 'connection_uri': 'qemu:///system'},
                        **libvirt_opts),
        # The compute host has no image store: it downloads through nova-api's image API.
        'glance': {'api_servers': 'http://127.0.0.1:%d/image' % cluster.api_port},
        'image_cache': {'manager_interval': 2,
                        'remove_unused_original_minimum_age_seconds': 5},
    })


def start_libvirt_cluster(cluster, instances_path):
    conf = libvirt_compute_conf(cluster, instances_path)
    cluster.start('conductor', with_db=True)
    cluster.start('scheduler')
    cluster.start('compute1', module='compute', host='compute1',
                  extra_args=['--config-file', conf])
    cluster.start('api')
    cluster.wait_for_api()
    cluster.wait_for(lambda: len([s for s in cluster.services() if s['state'] == 'up']) == 3,
                     timeout=90, what='conductor, scheduler and compute up')


def create_flavor(cluster, name, ram, disk, vcpus):
    status, body = cluster.request('POST', '/v2.1/flavors', {'flavor': {
        'name': name, 'ram': ram, 'disk': disk, 'vcpus': vcpus}})
    assert status == 200, body
    return body['flavor']['id']


def boot(cluster, name, image_id, flavor_id):
    """POST /servers without networks; the new server's id."""
    status, body = cluster.request('POST', '/v2.1/servers', {'server': {
        'name': name, 'imageRef': image_id, 'flavorRef': flavor_id, 'networks': 'none'}},
        version='2.37')
    assert status == 202, body
    return body['server']['id']


def server(cluster, server_id):
    status, body = cluster.request('GET', '/v2.1/servers/%s' % server_id)
    return body['server'] if status == 200 else None


def wait_status(cluster, server_id, status, timeout=180):
    def reached():
        current = server(cluster, server_id)
        assert current is None or current['status'] != 'ERROR', current
        return current if current and current['status'] == status and \
            current.get('OS-EXT-STS:task_state') is None else None
    return cluster.wait_for(reached, timeout=timeout, interval=0.3,
                            what='server %s' % status)


def console(cluster, server_id):
    status, body = cluster.request('POST', '/v2.1/servers/%s/action' % server_id,
                                   {'os-getConsoleOutput': {}})
    assert status == 200, body
    return body['output']


def wait_marker(cluster, server_id, timeout=180):
    return cluster.wait_for(lambda: libvirt_host.MARKER in console(cluster, server_id),
                            timeout=timeout, interval=0.5, what='the guest marker')


def action(cluster, server_id, body):
    status, answer = cluster.request('POST', '/v2.1/servers/%s/action' % server_id, body)
    assert status == 202, answer


def test_lifecycle_of_a_real_guest(libvirt_ready):
    import libvirt
    backend = next((b for b in ('postgresql', 'mysql') if databases.server_available(b)),
                   None)
    if backend is None:
        pytest.skip('no PostgreSQL or MariaDB server reachable')
    conn = libvirt.open('qemu:///system')
    with cluster_mod.running_cluster(backend) as cluster:
        instances_path = os.path.join(cluster.workdir, 'instances')
        os.chmod(cluster.workdir, 0o755)
        start_libvirt_cluster(cluster, instances_path)
        guest, restart_libvirtd = libvirt_ready
        image_id = upload_tiny_guest(cluster, guest)
        flavor_id = create_flavor(cluster, 't1.tiny', 96, 1, 1)
        server_id = boot(cluster, 'tiny', image_id, flavor_id)
        wait_status(cluster, server_id, 'ACTIVE')

        dom = conn.lookupByUUIDString(server_id)
        assert dom.state()[0] == VIR_DOMAIN_RUNNING
        instance_dir = os.path.join(instances_path, server_id)
        assert sorted(os.listdir(instance_dir)) == [
            'bases.json', 'console.log', 'disk', 'kernel', 'libvirt.xml', 'ramdisk']
        assert len([n for n in os.listdir(os.path.join(instances_path, '_base'))
                    if not n.startswith('.')]) == 3
        wait_marker(cluster, server_id)

        # The VNC display answers on the port libvirt gave it.
        from nova.virt.libvirt import config as vconfig
        listen, port = vconfig.parse_graphics_port(dom.XMLDesc(0), 'vnc')
        with socket.create_connection((listen, port), timeout=10) as sock:
            assert sock.recv(12).startswith(b'RFB ')

        status, body = cluster.request('GET', '/v2.1/servers/%s/diagnostics' % server_id)
        assert status == 200 and 'cpu0_time' in body and 'vda_read' in body, body

        action(cluster, server_id, {'os-stop': None})
        wait_status(cluster, server_id, 'SHUTOFF')
        assert dom.state()[0] == VIR_DOMAIN_SHUTOFF

        action(cluster, server_id, {'os-start': None})
        wait_status(cluster, server_id, 'ACTIVE')
        assert dom.state()[0] == VIR_DOMAIN_RUNNING

        # A soft reboot shuts the guest down through ACPI and starts it again: the
        # console log starts over and shows the marker once the guest is back.
        wait_marker(cluster, server_id)
        action(cluster, server_id, {'reboot': {'type': 'SOFT'}})
        wait_status(cluster, server_id, 'ACTIVE')
        assert dom.state()[0] == VIR_DOMAIN_RUNNING
        wait_marker(cluster, server_id)

        action(cluster, server_id, {'reboot': {'type': 'HARD'}})
        wait_status(cluster, server_id, 'ACTIVE')
        assert dom.state()[0] == VIR_DOMAIN_RUNNING

        if restart_libvirtd is not None:
            # The guest keeps running without libvirtd; nova-compute reconnects.
            restart_libvirtd()
            conn.close()
            conn = libvirt.open('qemu:///system')
            dom = conn.lookupByUUIDString(server_id)
            assert dom.state()[0] == VIR_DOMAIN_RUNNING

        action(cluster, server_id, {'pause': None})
        wait_status(cluster, server_id, 'PAUSED')
        assert dom.state()[0] == VIR_DOMAIN_PAUSED
        action(cluster, server_id, {'unpause': None})
        wait_status(cluster, server_id, 'ACTIVE')
        assert dom.state()[0] == VIR_DOMAIN_RUNNING

        action(cluster, server_id, {'suspend': None})
        wait_status(cluster, server_id, 'SUSPENDED')
        assert dom.state()[0] == VIR_DOMAIN_SHUTOFF and dom.hasManagedSaveImage(0)
        action(cluster, server_id, {'resume': None})
        wait_status(cluster, server_id, 'ACTIVE')
        assert dom.state()[0] == VIR_DOMAIN_RUNNING and not dom.hasManagedSaveImage(0)

        status, _body = cluster.request('DELETE', '/v2.1/servers/%s' % server_id)
        assert status == 204
        cluster.wait_for(lambda: server(cluster, server_id) is None, timeout=60,
                         what='server deleted')
        with pytest.raises(libvirt.libvirtError):
            conn.lookupByUUIDString(server_id)
        assert not os.path.exists(instance_dir)
        # The unused bases go at the next image cache pass after their minimum age.
        base_dir = os.path.join(instances_path, '_base')
        cluster.wait_for(lambda: os.listdir(base_dir) == [], timeout=60,
                         what='the image cache emptied')
        assert os.listdir(instances_path) == ['_base']
        for name in ('api', 'conductor', 'scheduler', 'compute1'):
            assert 'Traceback' not in cluster.log(name), cluster.log(name)[-3000:]
    conn.close()
