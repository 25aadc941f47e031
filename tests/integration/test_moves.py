"""Moving servers across separate daemons (nova-api, nova-conductor, nova-scheduler and two
nova-compute hosts on RabbitMQ and PostgreSQL): resize and cold migration with confirm and
revert, checking both hosts' usage in os-hypervisors after every step; and nova-compute
killed (SIGKILL) in the middle of a resize, then started again: the server settles (ACTIVE,
or ERROR with a fault), never stuck in a task state, and both hosts' usage is right."""

import signal

import pytest

from tests.integration import cluster as cluster_mod
from tests.integration.test_boot import _upload_image

HOSTS = ('compute1', 'compute2')
SMALL = (1, 64, 1)   # vcpus, memory_mb, local_gb
LARGE = (2, 128, 2)
ZERO = (0, 0, 0)


def _flavor(cluster, name, sizes):
    vcpus, ram, disk = sizes
    status, body = cluster.request('POST', '/v2.1/flavors', {'flavor': {
        'name': name, 'ram': ram, 'disk': disk, 'vcpus': vcpus}})
    assert status == 200, body
    return body['flavor']['id']


def _hypervisors(cluster):
    status, body = cluster.request('GET', '/v2.1/os-hypervisors/detail', version='2.1')
    assert status == 200, body
    return {h['service']['host']: (h['vcpus_used'], h['memory_mb_used'], h['local_gb_used'])
            for h in body['hypervisors']}


class Usage:
    """Both hosts' usage beyond what they used before the test's servers."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.baseline = cluster.wait_for(
            lambda: (lambda h: h if set(h) == set(HOSTS) else None)(_hypervisors(cluster)),
            what='both compute nodes reported')

    def now(self):
        return {host: tuple(used - base for used, base in zip(sizes, self.baseline[host]))
                for host, sizes in _hypervisors(self.cluster).items()}

    def wait(self, expected, timeout=30):
        self.cluster.wait_for(lambda: self.now() == expected, timeout=timeout,
                              what='usage %s (now %s)' % (expected, self.now()))


def _server(cluster, server_id):
    status, body = cluster.request('GET', '/v2.1/servers/%s' % server_id, version='2.47')
    assert status == 200, body
    return body['server']


def _settled(cluster, server_id, statuses, timeout=60):
    def check():
        server = _server(cluster, server_id)
        if server['status'] in statuses and server['OS-EXT-STS:task_state'] is None:
            return server
        return None
    return cluster.wait_for(check, timeout=timeout, what='server in %s' % (statuses,))


def _action(cluster, server_id, body, version=None):
    status, answer = cluster.request('POST', '/v2.1/servers/%s/action' % server_id, body,
                                     version=version)
    return status, answer


def _boot(cluster, image_id, flavor_id):
    status, body = cluster.request('POST', '/v2.1/servers', {'server': {
        'name': 'mover', 'imageRef': image_id, 'flavorRef': flavor_id,
        'networks': 'none'}}, version='2.47')
    assert status == 202, body
    return _settled(cluster, body['server']['id'], ('ACTIVE',))


def _other(host):
    return [h for h in HOSTS if h != host][0]


@pytest.mark.parametrize('backend', ['postgresql'], indirect=True)
def test_resize_and_cold_migrate_between_hosts(backend):
    with cluster_mod.running_cluster(backend) as cluster:
        cluster.start_control_plane(compute_hosts=HOSTS)
        usage = Usage(cluster)
        image_id = _upload_image(cluster)
        small = _flavor(cluster, 'm.small', SMALL)
        large = _flavor(cluster, 'm.large', LARGE)
        server = _boot(cluster, image_id, small)
        sid, source = server['id'], server['OS-EXT-SRV-ATTR:host']
        dest = _other(source)
        usage.wait({source: SMALL, dest: ZERO})

        # resize, then revert: back on the source with the small flavor
        assert _action(cluster, sid, {'resize': {'flavorRef': large}})[0] == 202
        server = _settled(cluster, sid, ('VERIFY_RESIZE',))
        assert server['OS-EXT-SRV-ATTR:host'] == dest
        usage.wait({source: SMALL, dest: LARGE})
        assert _action(cluster, sid, {'revertResize': None})[0] == 202
        server = _settled(cluster, sid, ('ACTIVE',))
        assert server['OS-EXT-SRV-ATTR:host'] == source
        assert server['flavor']['original_name'] == 'm.small'
        usage.wait({source: SMALL, dest: ZERO})

        # resize again and confirm: on the destination with the large flavor
        assert _action(cluster, sid, {'resize': {'flavorRef': large}})[0] == 202
        _settled(cluster, sid, ('VERIFY_RESIZE',))
        usage.wait({source: SMALL, dest: LARGE})
        assert _action(cluster, sid, {'confirmResize': None})[0] == 204
        server = _settled(cluster, sid, ('ACTIVE',))
        assert server['OS-EXT-SRV-ATTR:host'] == dest
        assert server['flavor']['original_name'] == 'm.large'
        usage.wait({source: ZERO, dest: LARGE})

        # cold-migrate back (2.56: to a named host), revert, migrate again and confirm
        status, body = _action(cluster, sid, {'migrate': {'host': source}}, version='2.56')
        assert status == 202, body
        server = _settled(cluster, sid, ('VERIFY_RESIZE',))
        assert server['OS-EXT-SRV-ATTR:host'] == source
        usage.wait({source: LARGE, dest: LARGE})
        assert _action(cluster, sid, {'revertResize': None})[0] == 202
        server = _settled(cluster, sid, ('ACTIVE',))
        assert server['OS-EXT-SRV-ATTR:host'] == dest
        usage.wait({source: ZERO, dest: LARGE})
        assert _action(cluster, sid, {'migrate': None})[0] == 202
        _settled(cluster, sid, ('VERIFY_RESIZE',))
        assert _action(cluster, sid, {'confirmResize': None})[0] == 204
        server = _settled(cluster, sid, ('ACTIVE',))
        assert server['OS-EXT-SRV-ATTR:host'] == source
        usage.wait({source: LARGE, dest: ZERO})

        status, body = cluster.request('GET', '/v2.1/os-migrations', version='2.23')
        assert [(m['migration_type'], m['status']) for m in body['migrations']] == [
            ('migration', 'confirmed'), ('migration', 'reverted'),
            ('resize', 'confirmed'), ('resize', 'reverted')]
        for name in ('api', 'conductor', 'scheduler', 'compute1', 'compute2'):
            assert 'Traceback' not in cluster.log(name), cluster.log(name)[-3000:]


@pytest.mark.parametrize('backend', ['postgresql'], indirect=True)
def test_compute_killed_in_the_middle_of_a_resize(backend):
    # The fake driver's migrate step takes 30 s: time enough to kill nova-compute in it.
    with cluster_mod.running_cluster(
            backend, extra={'fake_driver': {'migrate_delay': 30}}) as cluster:
        cluster.start_control_plane(compute_hosts=HOSTS)
        usage = Usage(cluster)
        image_id = _upload_image(cluster)
        small = _flavor(cluster, 'm.small', SMALL)
        large = _flavor(cluster, 'm.large', LARGE)
        server = _boot(cluster, image_id, small)
        sid, source = server['id'], server['OS-EXT-SRV-ATTR:host']
        dest = _other(source)

        assert _action(cluster, sid, {'resize': {'flavorRef': large}})[0] == 202
        cluster.wait_for(lambda: _server(cluster, sid)['OS-EXT-STS:task_state']
                         == 'resize_migrating', what='the source in its migrate step')
        usage.wait({source: SMALL, dest: LARGE})  # the destination's move claim
        cluster.stop(source, sig=signal.SIGKILL)
        cluster.start(source, module='compute', host=source)

        server = _settled(cluster, sid, ('ACTIVE', 'ERROR'))
        if server['status'] == 'ERROR':
            assert server['fault']['message'], server
        else:
            assert server['OS-EXT-SRV-ATTR:host'] == source
            assert server['flavor']['original_name'] == 'm.small'
        usage.wait({source: SMALL, dest: ZERO})
        status, body = cluster.request('GET', '/v2.1/os-migrations')
        assert [m['status'] for m in body['migrations']] == ['error']

        # the server can move again afterwards (the restarted host's migrate step is slow
        # too, so only check that it starts)
        assert _action(cluster, sid, {'resize': {'flavorRef': large}})[0] == 202
        cluster.wait_for(lambda: _server(cluster, sid)['OS-EXT-STS:task_state']
                         == 'resize_migrating', what='the second resize started')
