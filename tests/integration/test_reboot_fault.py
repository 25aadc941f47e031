"""A fault in the middle of an action: nova-compute is SIGKILLed while the fake driver is
rebooting a guest (separate daemons on RabbitMQ with PostgreSQL or MariaDB). Started
again, it finds the instance in reboot_started_hard and reboots it again: the server ends
ACTIVE with no task state, and no instance stays stuck."""

import os
import signal

from tests.integration import cluster as cluster_mod
from tests.integration.test_boot import _upload_image


def _server(cluster, server_id):
    status, body = cluster.request('GET', '/v2.1/servers/%s' % server_id, version='2.104')
    assert status == 200, body
    return body['server']


def test_compute_killed_during_a_reboot_recovers(backend):
    with cluster_mod.running_cluster(
            backend, extra={'fake_driver': {'reboot_delay': 60}}) as cluster:
        cluster.start_control_plane(compute_hosts=('compute1',))
        cluster.wait_for(lambda: len([s for s in cluster.services() if s['state'] == 'up'])
                         == 3, what='3 services up')
        image_id = _upload_image(cluster)
        status, body = cluster.request('POST', '/v2.1/flavors', {'flavor': {
            'name': 'a1.tiny', 'ram': 64, 'disk': 1, 'vcpus': 1}})
        assert status == 200, body
        status, body = cluster.request('POST', '/v2.1/servers', {'server': {
            'name': 'vm', 'imageRef': image_id, 'flavorRef': body['flavor']['id'],
            'networks': 'none'}}, version='2.104', token='demo:p1')
        assert status == 202, body
        server_id = body['server']['id']
        cluster.wait_for(lambda: _server(cluster, server_id)['status'] == 'ACTIVE',
                         what='server ACTIVE')

        status, body = cluster.request('POST', '/v2.1/servers/%s/action' % server_id,
                                       {'reboot': {'type': 'HARD'}}, token='demo:p1')
        assert status == 202, body
        cluster.wait_for(
            lambda: _server(cluster, server_id)['OS-EXT-STS:task_state']
            == 'reboot_started_hard', timeout=30, what='reboot_started_hard')

        cluster.stop('compute1', sig=signal.SIGKILL)
        server = _server(cluster, server_id)
        assert (server['status'], server['OS-EXT-STS:task_state']) == (
            'HARD_REBOOT', 'reboot_started_hard')

        # The same host again, with reboots that take no time.
        fast = cluster_mod.write_config(os.path.join(cluster.workdir, 'fast-reboot.conf'),
                                        {'fake_driver': {'reboot_delay': 0}})
        cluster.start('compute1', module='compute', host='compute1',
                      extra_args=['--config-file', fast])

        def settled():
            server = _server(cluster, server_id)
            return server if server['OS-EXT-STS:task_state'] is None else None

        server = cluster.wait_for(settled, timeout=60, what='task state cleared')
        assert server['status'] == 'ACTIVE', server
        assert server['OS-EXT-STS:power_state'] == 1  # RUNNING

        # the host works normally afterwards
        status, body = cluster.request('POST', '/v2.1/servers/%s/action' % server_id,
                                       {'os-stop': None}, token='demo:p1')
        assert status == 202, body
        cluster.wait_for(lambda: _server(cluster, server_id)['status'] == 'SHUTOFF',
                         what='server SHUTOFF')
        assert 'Traceback' not in cluster.log('compute1'), cluster.log('compute1')[-3000:]
