"""The spine across real processes: nova-api, nova-conductor, nova-scheduler and two
nova-compute daemons on RabbitMQ (own vhost) and PostgreSQL or MariaDB (own databases).

Only nova-conductor has a database configured; the others run with none at all, which is
the proof that they never open a database connection.
"""

import os
import signal

from tests.integration import cluster as cluster_mod

RPC_BINARIES = {'nova-conductor', 'nova-scheduler', 'nova-compute'}
DB_PORTS = {'postgresql': 5432, 'mysql': 3306}


def _by_host_binary(services):
    return {(s['host'], s['binary']): s for s in services}


def test_daemons_report_and_compute_goes_down(backend):
    with cluster_mod.running_cluster(backend, service_down_time=6) as cluster:
        cluster.start_control_plane(compute_hosts=('compute1', 'compute2'))

        def all_up():
            services = cluster.services()
            up = {(s['host'], s['binary']) for s in services if s['state'] == 'up'}
            return services if len(up) == 4 else None

        services = cluster.wait_for(all_up, timeout=60, what='4 services up')
        assert {s['binary'] for s in services} == RPC_BINARIES
        by_key = _by_host_binary(services)
        assert by_key[('compute1', 'nova-compute')]['zone'] == 'nova'
        conductor = [s for s in services if s['binary'] == 'nova-conductor'][0]
        assert conductor['zone'] == 'internal'
        assert all(s['status'] == 'enabled' for s in services)

        # Heartbeats arrive through conductor: report counts move.
        listing = cluster.run_tool('manage', 'service', 'list')
        assert listing.returncode == 0, listing.stderr
        for host in ('compute1', 'compute2'):
            assert host in listing.stdout
        assert listing.stdout.count(':-)') == 4, listing.stdout

        # The compute hosts reported their compute node records.
        status, body = cluster.request('GET', '/v2.1/os-services?binary=nova-compute')
        assert status == 200 and len(body['services']) == 2

        # Only conductor holds database connections; every daemon holds the broker's.
        # (nova-conductor's connections are its workers'; the parent only watches them.)
        db_port = DB_PORTS[backend]
        for name, process in cluster.processes.items():
            pids = cluster_mod.child_pids(process.pid) if name == 'conductor' else [process.pid]
            ports = [port for pid in pids for port in cluster_mod.established_peer_ports(pid)]
            assert 5672 in ports, (name, ports)
            if name == 'conductor':
                assert db_port in ports, ports
            else:
                assert db_port not in ports, (name, ports)

        # The operator's upgrade check sees schemas at head and computes reporting.
        check = cluster.run_tool('status', 'upgrade', 'check')
        assert check.returncode == 0, check.stdout + check.stderr

        # SIGKILL: no clean stop, so the service is down only after service_down_time.
        cluster.stop('compute2', sig=signal.SIGKILL)

        def compute2_down():
            state = _by_host_binary(cluster.services())[('compute2', 'nova-compute')]
            return state['state'] == 'down'

        cluster.wait_for(compute2_down, timeout=30, what='compute2 down')
        services = _by_host_binary(cluster.services())
        assert services[('compute1', 'nova-compute')]['state'] == 'up'
        listing = cluster.run_tool('manage', 'service', 'list')
        assert listing.stdout.count('XXX') == 1, listing.stdout

        # SIGTERM: a clean stop marks the service down at once.
        assert cluster.stop('scheduler', sig=signal.SIGTERM) == 0
        services = _by_host_binary(cluster.services())
        scheduler = [s for k, s in services.items() if k[1] == 'nova-scheduler'][0]
        assert scheduler['state'] == 'down'

        # Nothing in the database-less daemons' logs mentions a database refusal.
        for name in ('api', 'compute1'):
            assert 'DBNotAllowed' not in cluster.log(name)
            assert 'Traceback' not in cluster.log(name), cluster.log(name)


def test_disable_through_api_is_seen_by_nova_manage(backend):
    with cluster_mod.running_cluster(backend) as cluster:
        cluster.start_control_plane()
        cluster.wait_for(lambda: len(cluster.services()) == 3, what='3 services')
        status, body = cluster.request(
            'PUT', '/v2.1/os-services/disable-log-reason',
            {'host': 'compute1', 'binary': 'nova-compute', 'disabled_reason': 'maintenance'})
        assert status == 200, body
        listing = cluster.run_tool('manage', 'service', 'list')
        assert 'disabled' in listing.stdout
        result = cluster.run_tool('manage', 'service', 'enable', 'compute1', 'nova-compute')
        assert result.returncode == 0, result.stdout + result.stderr
        compute = _by_host_binary(cluster.services())[('compute1', 'nova-compute')]
        assert compute['status'] == 'enabled' and compute['disabled_reason'] is None


def test_conductor_workers_share_the_queues_and_stop_together(backend):
    """[conductor] workers = 3: three processes answer; a killed worker is replaced; SIGTERM
    to nova-conductor stops every worker."""
    with cluster_mod.running_cluster(backend, extra={'conductor': {'workers': 3}}) as cluster:
        cluster.start_control_plane(compute_hosts=('compute1',))
        cluster.wait_for(lambda: len([s for s in cluster.services() if s['state'] == 'up'])
                         == 3, timeout=60, what='3 services up')
        parent = cluster.processes['conductor'].pid
        workers = cluster.wait_for(lambda: len(cluster_mod.child_pids(parent)) == 3 and
                                   cluster_mod.child_pids(parent), what='3 workers')
        db_port = DB_PORTS[backend]
        cluster.wait_for(lambda: all(db_port in cluster_mod.established_peer_ports(pid)
                                     for pid in workers), timeout=30,
                         what='every worker serving from the database')

        os.kill(workers[0], signal.SIGKILL)

        def replaced_set():
            now = cluster_mod.child_pids(parent)
            return now if len(now) == 3 and workers[0] not in now else None

        replaced = cluster.wait_for(replaced_set, timeout=30, what='a new worker')
        for _ in range(20):  # calls keep being answered meanwhile, whichever worker takes them
            status, body = cluster.request('GET', '/v2.1/os-services')
            assert status == 200, body

        # The parent waits for its workers, so when it has exited they are gone too.
        assert cluster.stop('conductor', sig=signal.SIGTERM) == 0
        assert not [pid for pid in replaced if os.path.exists('/proc/%d' % pid)]
