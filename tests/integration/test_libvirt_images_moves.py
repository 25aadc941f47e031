"""Snapshot and resize of a real QEMU guest (TCG) through the libvirt driver, on separate
daemons over RabbitMQ and PostgreSQL (the fixtures of test_libvirt):

- createImage of the running guest: the image is active in the image API, its data's size
  and checksum match the record, it is a flat qcow2 (no backing file), and a new server
  booted from it reaches ACTIVE and prints the guest's marker;
- resize to a bigger flavor on the same host (allow_resize_to_same_host): the domain's
  memory and vCPUs and the root disk's virtual size follow the flavor, then confirm;
- another resize, then revert: the previous flavor is back in libvirt;
- nothing is left behind: no domain, no instance or ``_resize`` directory, no cached base.

The copy between two hosts (ssh/rsync) needs a second host: tests/unit covers its commands.
"""

import hashlib
import json
import os
import subprocess
import urllib.request
from xml.etree import ElementTree as etree

import pytest

from tests import databases
from tests.integration import cluster as cluster_mod
from tests.integration.test_libvirt import action
from tests.integration.test_libvirt import boot
from tests.integration.test_libvirt import create_flavor
from tests.integration.test_libvirt import libvirt_ready  # noqa: F401 (fixture)
from tests.integration.test_libvirt import server
from tests.integration.test_libvirt import start_libvirt_cluster
from tests.integration.test_libvirt import upload_tiny_guest
from tests.integration.test_libvirt import wait_marker
from tests.integration.test_libvirt import wait_status

VIR_DOMAIN_RUNNING = 1
GiB = 1024 ** 3


def _image(cluster, image_id):
    status, body = cluster.request('GET', '/image/v2/images/%s' % image_id)
    return body if status == 200 else None


def _image_data(cluster, image_id):
    req = urllib.request.Request('http://127.0.0.1:%d/image/v2/images/%s/file'
                                 % (cluster.api_port, image_id))
    req.add_header('X-Auth-Token', 'admin:admin')
    with urllib.request.urlopen(req, timeout=120) as resp:
        return resp.read()


def _domain_size(dom):
    """(memory MiB, vCPUs, root disk path) of the domain as libvirt defines it."""
    root = etree.fromstring(dom.XMLDesc(0))
    memory = int(root.find('memory').text)
    assert root.find('memory').get('unit', 'KiB') == 'KiB'
    return (memory // 1024, int(root.find('vcpu').text),
            root.find('./devices/disk/source').get('file'))


def _virtual_size(path):
    return json.loads(subprocess.check_output(
        ['qemu-img', 'info', '-U', '--output=json', path]))['virtual-size']


def _wait_deleted(cluster, server_id):
    status, _body = cluster.request('DELETE', '/v2.1/servers/%s' % server_id)
    assert status == 204
    cluster.wait_for(lambda: server(cluster, server_id) is None, timeout=60,
                     what='server deleted')


def test_snapshot_resize_confirm_and_revert_of_a_real_guest(libvirt_ready):  # noqa: F811
    import libvirt
    backend = next((b for b in ('postgresql', 'mysql') if databases.server_available(b)),
                   None)
    if backend is None:
        pytest.skip('no PostgreSQL or MariaDB server reachable')
    conn = libvirt.open('qemu:///system')
    extra = {'DEFAULT': {'allow_resize_to_same_host': 'true'}}
    booted = []
    try:
        with cluster_mod.running_cluster(backend, extra=extra) as cluster:
            _run(cluster, conn, libvirt_ready, booted)
    finally:
        # Whatever failed, no guest of this run stays in the shared libvirtd.
        for uuid in booted:
            try:
                dom = conn.lookupByUUIDString(uuid)
            except libvirt.libvirtError:
                continue
            if dom.isActive():
                dom.destroy()
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
        conn.close()


def _run(cluster, conn, host, booted):
    import libvirt
    instances_path = os.path.join(cluster.workdir, 'instances')
    os.chmod(cluster.workdir, 0o755)
    start_libvirt_cluster(cluster, instances_path)
    guest, _restart_libvirtd = host
    image_id = upload_tiny_guest(cluster, guest)
    small = create_flavor(cluster, 't1.small', 96, 1, 1)
    big = create_flavor(cluster, 't1.big', 128, 2, 2)
    bigger = create_flavor(cluster, 't1.bigger', 160, 3, 1)
    server_id = boot(cluster, 'tiny', image_id, small)
    booted.append(server_id)
    wait_status(cluster, server_id, 'ACTIVE')
    wait_marker(cluster, server_id)
    dom = conn.lookupByUUIDString(server_id)
    instance_dir = os.path.join(instances_path, server_id)
    resize_dir = instance_dir + '_resize'

    # -- snapshot of the running guest -------------------------------------------------
    status, body = cluster.request('POST', '/v2.1/servers/%s/action' % server_id,
                                   {'createImage': {'name': 'tiny-snap'}},
                                   version='2.45')
    assert status == 202, body
    snap_id = body['image_id']
    wait_status(cluster, server_id, 'ACTIVE')
    assert dom.state()[0] == VIR_DOMAIN_RUNNING
    # QEMU mirrored the disk while the guest ran (no managed save).
    assert 'Snapshot of instance %s extracted (live' % server_id in cluster.log('compute1')
    snap = cluster.wait_for(lambda: (_image(cluster, snap_id) or {}).get('status')
                            == 'active' and _image(cluster, snap_id), timeout=120,
                            what='the snapshot image active')
    assert (snap['disk_format'], snap['container_format']) == ('qcow2', 'bare')
    for key in ('kernel_id', 'ramdisk_id'):
        assert snap[key] == _image(cluster, image_id)[key]
    assert snap['image_location'] == 'snapshot' and snap['instance_uuid'] == server_id
    data = _image_data(cluster, snap_id)
    assert len(data) == snap['size']
    assert hashlib.md5(data).hexdigest() == snap['checksum']
    snap_file = os.path.join(cluster.workdir, 'snap.qcow2')
    with open(snap_file, 'wb') as f:
        f.write(data)
    info = json.loads(subprocess.check_output(
        ['qemu-img', 'info', '--output=json', snap_file]))
    assert info['format'] == 'qcow2' and 'backing-filename' not in info
    assert info['virtual-size'] == 1 * GiB
    os.unlink(snap_file)
    assert os.listdir(os.path.join(instances_path, 'snapshots')) == []

    from_snap = boot(cluster, 'from-snap', snap_id, small)
    booted.append(from_snap)
    wait_status(cluster, from_snap, 'ACTIVE')
    wait_marker(cluster, from_snap)
    _wait_deleted(cluster, from_snap)

    # -- resize up on this host, confirm -----------------------------------------------
    action(cluster, server_id, {'resize': {'flavorRef': big}})
    wait_status(cluster, server_id, 'VERIFY_RESIZE')
    dom = conn.lookupByUUIDString(server_id)
    assert dom.state()[0] == VIR_DOMAIN_RUNNING
    assert _domain_size(dom) == (128, 2, os.path.join(instance_dir, 'disk'))
    assert _virtual_size(os.path.join(instance_dir, 'disk')) == 2 * GiB
    assert os.path.isdir(resize_dir)
    wait_marker(cluster, server_id)
    status, body = cluster.request('POST', '/v2.1/servers/%s/action' % server_id,
                                   {'confirmResize': None})
    assert status == 204, body
    wait_status(cluster, server_id, 'ACTIVE')
    assert not os.path.exists(resize_dir)
    assert _domain_size(conn.lookupByUUIDString(server_id))[:2] == (128, 2)

    # -- resize again, revert: the previous flavor comes back ----------------------------
    action(cluster, server_id, {'resize': {'flavorRef': bigger}})
    wait_status(cluster, server_id, 'VERIFY_RESIZE')
    dom = conn.lookupByUUIDString(server_id)
    assert _domain_size(dom)[:2] == (160, 1)
    assert _virtual_size(os.path.join(instance_dir, 'disk')) == 3 * GiB
    action(cluster, server_id, {'revertResize': None})
    wait_status(cluster, server_id, 'ACTIVE')
    dom = conn.lookupByUUIDString(server_id)
    assert dom.state()[0] == VIR_DOMAIN_RUNNING
    assert _domain_size(dom) == (128, 2, os.path.join(instance_dir, 'disk'))
    assert _virtual_size(os.path.join(instance_dir, 'disk')) == 2 * GiB
    assert not os.path.exists(resize_dir)
    status, body = cluster.request('GET', '/v2.1/servers/%s' % server_id)
    assert body['server']['flavor']['id'] == big, body
    wait_marker(cluster, server_id)

    # -- nothing left behind ----------------------------------------------------------
    _wait_deleted(cluster, server_id)
    status, _body = cluster.request('DELETE', '/image/v2/images/%s' % snap_id)
    assert status == 204
    for uuid in (server_id, from_snap):
        with pytest.raises(libvirt.libvirtError):
            conn.lookupByUUIDString(uuid)
    base_dir = os.path.join(instances_path, '_base')
    cluster.wait_for(lambda: os.listdir(base_dir) == [], timeout=60,
                     what='the image cache emptied')
    assert sorted(os.listdir(instances_path)) == ['_base', 'snapshots']
    assert os.listdir(os.path.join(instances_path, 'snapshots')) == []
    for name in ('api', 'conductor', 'scheduler', 'compute1'):
        assert 'Traceback' not in cluster.log(name), cluster.log(name)[-3000:]
