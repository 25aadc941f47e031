"""Boot benchmark: separate daemons on RabbitMQ and PostgreSQL, 10 fake compute hosts.

Prints, for 50 and 200 servers: the time from the first POST /servers to the last server
ACTIVE, the median/p90 latency of GET /servers/detail (microversion 2.104, as admin with
all_tenants) with that many servers, and the time to delete them all.

    python bench/boot.py [--computes 10] [--sizes 50,200] [--count]

With --count, also prints per server what the daemons did during the boots and the deletes:
RPC calls by source daemon, conductor's methods with their CPU time and SQL statements, and
each daemon's CPU time (see bench/counts.py). The benchmark's own polling of
GET /servers/detail is left out of the call and conductor figures (not of process CPU).
"""

import argparse
import concurrent.futures
import contextlib
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import counts  # noqa: E402
from tests import databases  # noqa: E402
from tests.integration import cluster as cluster_mod  # noqa: E402

PER_PROJECT = 10  # the default instances quota


def _detail(cluster):
    status, body = cluster.request('GET', '/v2.1/servers/detail?all_tenants=1&limit=1000',
                                   version='2.104')
    assert status == 200, body
    return body['servers']


POLL = 0.05


def boot(cluster, image_id, flavor_id, count, pool):
    def one(index):
        status, body = cluster.request('POST', '/v2.1/servers', {'server': {
            'name': 'bench-%d' % index, 'imageRef': image_id, 'flavorRef': flavor_id,
            'networks': 'none'}}, version='2.104',
            token='bench:proj%03d' % (index // PER_PROJECT))
        assert status == 202, body

    start = time.perf_counter()
    list(pool.map(one, range(count)))
    posted = time.perf_counter() - start
    while True:
        servers = _detail(cluster)
        if len(servers) == count and all(s['status'] == 'ACTIVE' for s in servers):
            return time.perf_counter() - start, posted, servers
        if any(s['status'] == 'ERROR' for s in servers):
            raise RuntimeError('a server went to ERROR')
        time.sleep(POLL)


def list_latency(cluster, samples=40):
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        _detail(cluster)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)]


def delete_all(cluster, servers, pool):
    def one(server):
        status, body = cluster.request('DELETE', '/v2.1/servers/%s' % server['id'])
        assert status == 204, body

    start = time.perf_counter()
    list(pool.map(one, servers))
    while _detail(cluster):
        time.sleep(POLL)
    return time.perf_counter() - start


@contextlib.contextmanager
def bench_cluster(hosts, count=False):
    """Separate daemons on their own RabbitMQ vhost and PostgreSQL databases, with fake
    compute ``hosts``, an image and a flavor: yields (cluster, image_id, flavor_id,
    count_dir), count_dir being where ``count`` collects the counts (else None)."""
    with tempfile.TemporaryDirectory(prefix='nova-bench-') as workdir, \
            cluster_mod.rabbit_vhost('nova_bench') as transport_url, \
            databases.temporary_database('postgresql', workdir, 'nova_bench') as main_url, \
            databases.temporary_database('postgresql', workdir, 'nova_bench') as api_url:
        count_dir = counts.enable(workdir) if count else None  # before any daemon starts
        if count_dir:
            print('counting into', count_dir, flush=True)
        cluster = cluster_mod.Cluster(workdir, transport_url, main_url, api_url,
                                      report_interval=10, service_down_time=60)
        try:
            for database in ('db', 'api_db'):
                assert cluster.run_tool('manage', database, 'sync').returncode == 0
            cluster.start_control_plane(compute_hosts=hosts)
            cluster.wait_for(lambda: len([s for s in cluster.services()
                                          if s['state'] == 'up']) == len(hosts) + 2,
                             timeout=120, what='services up')
            from tests.integration.test_boot import _upload_image
            image_id = _upload_image(cluster)
            status, body = cluster.request('POST', '/v2.1/flavors', {'flavor': {
                'name': 'bench', 'ram': 64, 'disk': 1, 'vcpus': 1}})
            yield cluster, image_id, body['flavor']['id'], count_dir
        finally:
            cluster.stop_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--computes', type=int, default=10)
    parser.add_argument('--sizes', default='50,200')
    parser.add_argument('--count', action='store_true',
                        help='count RPC calls, SQL statements and CPU time per server')
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(',')]
    hosts = ['compute%02d' % i for i in range(args.computes)]

    with bench_cluster(hosts, args.count) as (cluster, image_id, flavor_id, count_dir):
        rows, counted = [], []
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for count in sizes:
                if count_dir:
                    before = counts.settle(cluster, count_dir)
                active, posted, servers = boot(cluster, image_id, flavor_id, count, pool)
                if count_dir:
                    booted = counts.settle(cluster, count_dir)
                    counted.append(('boot', count, booted - before))
                median, p90 = list_latency(cluster)
                if count_dir:
                    before = counts.settle(cluster, count_dir)
                deleted = delete_all(cluster, servers, pool)
                if count_dir:
                    counted.append(('delete', count,
                                    counts.settle(cluster, count_dir) - before))
                rows.append((count, posted, active, median, p90, deleted))

    print('Separate daemons, RabbitMQ + PostgreSQL, %d fake compute hosts' % len(hosts))
    print('servers  all POSTed (s)  to ACTIVE (s)  list detail median/p90 (ms)  '
          'delete all (s)')
    for count, posted, active, median, p90, deleted in rows:
        print('%7d  %14.2f  %13.2f  %17.1f / %-9.1f  %14.2f' % (
            count, posted, active, median, p90, deleted))
    for phase, count, diff in counted:
        counts.report(phase, diff, count, exclude=counts.POLLING)


if __name__ == '__main__':
    main()
