"""Live migration of a real QEMU guest between two libvirt hosts on this one machine.

The second host is a libvirtd in network, mount and UTS namespaces of its own (see
libvirt_host.second_libvirtd), reached over a veth pair with qemu+tcp. Two nova-compute
services (compute1 on the machine's libvirtd, compute2 on the second one), each with its
own instances_path, so block migration "auto" must copy the disks. The guest is booted on
compute1 (only the second libvirtd listens on TCP, so moves go that way); a first live
migration through the API is aborted (the guest stays, compute2 rolls back), a second one
is forced to complete; the guest then runs on compute2 and nothing of it is left on
compute1; a clean stop (handled by the migrated guest's kernel), a start from compute2's
copies and a delete follow.
"""

import os
import time

import pytest

from tests import databases
from tests.integration import cluster as cluster_mod
from tests.integration import libvirt_host
from tests.integration.test_libvirt import action
from tests.integration.test_libvirt import boot
from tests.integration.test_libvirt import create_flavor
from tests.integration.test_libvirt import libvirt_ready  # noqa: F401 (module fixture)
from tests.integration.test_libvirt import server
from tests.integration.test_libvirt import upload_tiny_guest
from tests.integration.test_libvirt import wait_marker
from tests.integration.test_libvirt import wait_status

VIR_DOMAIN_RUNNING, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1, 5, 1
SOURCE_ADDRESS, DEST_ADDRESS = '10.254.77.1', '10.254.77.2'
# Slow enough that the abort and the force-complete find the migration running.
BANDWIDTH_MIB_S = 2


def _migrate(cluster, server_id):
    status, body = cluster.request(
        'POST', '/v2.1/servers/%s/action' % server_id,
        {'os-migrateLive': {'host': 'compute2', 'block_migration': 'auto'}}, version='2.30')
    assert status == 202, body


def _running_migration(cluster, server_id, dest_conn):
    """The id of the server's live migration once its guest is arriving on the
    destination (the libvirt job runs)."""
    import libvirt

    def arriving():
        try:
            dest_conn.lookupByUUIDString(server_id)
        except libvirt.libvirtError:
            return None
        status, body = cluster.request('GET', '/v2.1/servers/%s/migrations' % server_id,
                                       version='2.23')
        assert status == 200, body
        running = [m for m in body['migrations'] if m['status'] == 'running']
        return running[0]['id'] if running else None
    return cluster.wait_for(arriving, timeout=120, interval=0.2,
                            what='the migration running')


def _migration_status(cluster, server_id, number):
    status, body = cluster.request('GET', '/v2.1/os-migrations', version='2.23')
    assert status == 200, body
    mine = sorted((m for m in body['migrations'] if m['instance_uuid'] == server_id),
                  key=lambda m: m['id'])
    return mine[number]


def _compute_conf(cluster, name, instances_path, connection_uri, inbound_addr, template,
                  bandwidth=0):
    return cluster_mod.write_config(os.path.join(cluster.workdir, name + '.conf'), {
        'DEFAULT': {'compute_driver': 'libvirt.LibvirtDriver',
                    'instances_path': instances_path,
                    'instance_name_template': template},
        'libvirt': {'virt_type': 'qemu', 'connection_uri': connection_uri,
                    'live_migration_inbound_addr': inbound_addr,
                    'live_migration_completion_timeout': 300,
                    'live_migration_bandwidth': bandwidth},
        'glance': {'api_servers': 'http://127.0.0.1:%d/image' % cluster.api_port},
    })


def test_live_migration_to_a_second_libvirt_host(libvirt_ready):  # noqa: F811
    import uuid

    import libvirt
    backend = next((b for b in ('postgresql', 'mysql') if databases.server_available(b)),
                   None)
    if backend is None:
        pytest.skip('no PostgreSQL or MariaDB server reachable')
    guest, _restart = libvirt_ready
    template = 'nova-lm-%s-%%08x' % uuid.uuid4().hex[:8]
    with cluster_mod.running_cluster(backend) as cluster:
        os.chmod(cluster.workdir, 0o755)  # QEMU (libvirt-qemu) reaches the disks
        with libvirt_host.second_libvirtd(cluster.workdir, DEST_ADDRESS,
                                          SOURCE_ADDRESS) as dest_uri:
            source_path = os.path.join(cluster.workdir, 'instances1')
            dest_path = os.path.join(cluster.workdir, 'instances2')
            cluster.start('conductor', with_db=True)
            cluster.start('scheduler')
            cluster.start('compute1', module='compute', host='compute1', extra_args=[
                '--config-file', _compute_conf(cluster, 'compute1', source_path,
                                               'qemu:///system', SOURCE_ADDRESS, template,
                                               bandwidth=BANDWIDTH_MIB_S)])
            cluster.start('api')
            cluster.wait_for_api()
            cluster.wait_for(lambda: len([s for s in cluster.services()
                                          if s['state'] == 'up']) == 3,
                             timeout=90, what='conductor, scheduler and compute1 up')
            image_id = upload_tiny_guest(cluster, guest)
            flavor_id = create_flavor(cluster, 't1.tiny', 96, 1, 1)
            server_id = boot(cluster, 'tiny', image_id, flavor_id)
            wait_status(cluster, server_id, 'ACTIVE')
            wait_marker(cluster, server_id)
            assert server(cluster, server_id)['OS-EXT-SRV-ATTR:host'] == 'compute1'

            # The destination joins only now: the guest must start on compute1.
            cluster.start('compute2', module='compute', host='compute2', extra_args=[
                '--config-file', _compute_conf(cluster, 'compute2', dest_path, dest_uri,
                                               DEST_ADDRESS, template)])
            cluster.wait_for(lambda: len([s for s in cluster.services()
                                          if s['state'] == 'up']) == 4,
                             timeout=120, what='compute2 up')

            source_conn = libvirt.open('qemu:///system')
            dest_conn = libvirt.open(dest_uri)
            try:
                assert source_conn.lookupByUUIDString(server_id).isActive()
                dest_dir = os.path.join(dest_path, server_id)

                # An aborted migration: the guest stays on compute1, running; compute2
                # keeps neither a domain nor the copied disks.
                _migrate(cluster, server_id)
                migration_id = _running_migration(cluster, server_id, dest_conn)
                status, body = cluster.request(
                    'DELETE', '/v2.1/servers/%s/migrations/%s' % (server_id, migration_id),
                    version='2.24')
                assert status == 202, body
                stayed = wait_status(cluster, server_id, 'ACTIVE')
                assert stayed['OS-EXT-SRV-ATTR:host'] == 'compute1'
                cluster.wait_for(lambda: _migration_status(cluster, server_id, 0)['status']
                                 == 'cancelled', timeout=60, what='migration cancelled')
                assert source_conn.lookupByUUIDString(server_id).state()[0] == \
                    VIR_DOMAIN_RUNNING
                cluster.wait_for(lambda: not os.path.exists(dest_dir), timeout=60,
                                 what='the destination rolled back')
                with pytest.raises(libvirt.libvirtError):
                    dest_conn.lookupByUUIDString(server_id)

                # A migration forced to complete (the guest is paused so the copy
                # converges, and runs again on the destination).
                started = time.monotonic()
                _migrate(cluster, server_id)
                migration_id = _running_migration(cluster, server_id, dest_conn)
                status, body = cluster.request(
                    'POST', '/v2.1/servers/%s/migrations/%s/action' % (server_id,
                                                                         migration_id),
                    {'force_complete': None}, version='2.22')
                assert status == 202, body
                cluster.wait_for(
                    lambda: server(cluster, server_id)['OS-EXT-SRV-ATTR:host'] == 'compute2',
                    timeout=300, interval=0.5, what='the server on compute2')
                moved = wait_status(cluster, server_id, 'ACTIVE')
                elapsed = time.monotonic() - started
                print('live migration through the API took %.1f s' % elapsed)
                assert moved['OS-EXT-SRV-ATTR:hypervisor_hostname'] == \
                    dest_conn.getHostname()
                migration = _migration_status(cluster, server_id, 1)
                assert (migration['migration_type'], migration['status'],
                        migration['source_compute'], migration['dest_compute']) == (
                    'live-migration', 'completed', 'compute1', 'compute2')

                # Running on the destination, persistent there, its disks copied.
                dom = dest_conn.lookupByUUIDString(server_id)
                assert dom.state()[0] == VIR_DOMAIN_RUNNING and dom.isPersistent()
                assert dest_dir + '/disk' in dom.XMLDesc(0)
                assert {'disk', 'kernel', 'ramdisk', 'libvirt.xml', 'bases.json'} <= \
                    set(os.listdir(dest_dir))
                # Gone from the source: no domain, no instance directory.
                with pytest.raises(libvirt.libvirtError):
                    source_conn.lookupByUUIDString(server_id)
                assert not os.path.exists(os.path.join(source_path, server_id))
                # The same guest lives on: its kernel, booted on compute1, handles the
                # ACPI power button of a clean stop (shut off by the guest, not destroyed).
                action(cluster, server_id, {'os-stop': None})
                wait_status(cluster, server_id, 'SHUTOFF')
                assert dom.state() == [VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN]
                # It boots again from the destination's copies, its console there.
                action(cluster, server_id, {'os-start': None})
                wait_status(cluster, server_id, 'ACTIVE')
                wait_marker(cluster, server_id)

                status, _body = cluster.request('DELETE', '/v2.1/servers/%s' % server_id)
                assert status == 204
                cluster.wait_for(lambda: server(cluster, server_id) is None, timeout=60,
                                 what='server deleted')
                with pytest.raises(libvirt.libvirtError):
                    dest_conn.lookupByUUIDString(server_id)
                assert not os.path.exists(dest_dir)
                for name in ('api', 'conductor', 'scheduler', 'compute1', 'compute2'):
                    assert 'Traceback' not in cluster.log(name), cluster.log(name)[-3000:]
            finally:
                for conn in (source_conn, dest_conn):
                    try:
                        dom = conn.lookupByUUIDString(server_id)
                        if dom.isActive():
                            dom.destroy()
                        dom.undefine()
                    except libvirt.libvirtError:
                        pass  # gone, as it should be
                    conn.close()
