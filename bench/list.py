"""Server list benchmark: GET /servers/detail (and /servers, show) against separate daemons.

Boots ``--servers`` servers (fake driver, RabbitMQ, PostgreSQL) as bench/boot.py does, then
sends ``--samples`` requests of each kind one after another and prints, per kind, the wall
time (median/p90) and the CPU time nova-api and nova-conductor (its workers included) spent
per request, read from /proc, less what they spend idle over the same time. CPU time is
the figure to compare on a shared machine: other processes inflate wall time much more
than the daemons' own CPU time.

    python bench/list.py [--servers 50] [--samples 200] [--profile DIR]

``--profile DIR`` records py-spy samples of nova-api and every conductor process during
the detail requests into DIR/<name>.txt (collapsed stacks, one line per stack).
"""

import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import boot as boot_bench  # noqa: E402
from tests.integration import cluster as cluster_mod  # noqa: E402

PY_SPY = os.path.join(os.path.dirname(sys.executable), 'py-spy')
CLOCK_TICKS = os.sysconf('SC_CLK_TCK')
VERSION = '2.104'


def cpu_seconds(pid):
    """User + system CPU time of one process so far (children not included)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def daemon_pids(cluster):
    """{'api': [pid], 'conductor': [parent and worker pids]}."""
    conductor = cluster.processes['conductor'].pid
    return {'api': [cluster.processes['api'].pid],
            'conductor': [conductor] + cluster_mod.child_pids(conductor)}


def _cpu(pids):
    return {name: sum(cpu_seconds(pid) for pid in group) for name, group in pids.items()}


def idle_cpu_rate(cluster, seconds=10):
    """{daemon: CPU seconds per second} with no request: heartbeats, service reports and
    the bus's own polling, which a request's CPU figure should not be charged with (the
    longer a loaded machine makes each request, the more of it would be)."""
    pids = daemon_pids(cluster)
    before, start = _cpu(pids), time.perf_counter()
    time.sleep(seconds)
    after, elapsed = _cpu(pids), time.perf_counter() - start
    return {name: (after[name] - before[name]) / elapsed for name in pids}


def measure(cluster, path, samples, idle_rate=None):
    """(wall ms median, p90, {daemon: CPU ms per request}) of ``samples`` GETs of path;
    with ``idle_rate`` the idle CPU of the same span is taken off."""
    pids = daemon_pids(cluster)
    before, began = _cpu(pids), time.perf_counter()
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        status, body = cluster.request('GET', path, version=VERSION)
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, body
    after, elapsed = _cpu(pids), time.perf_counter() - began
    cpu = {name: (after[name] - before[name] - (idle_rate or {}).get(name, 0) * elapsed)
           * 1000 / samples for name in pids}
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9)], cpu


def start_profilers(cluster, directory):
    os.makedirs(directory, exist_ok=True)
    profilers = []
    for name, group in daemon_pids(cluster).items():
        for index, pid in enumerate(group):
            out = os.path.join(directory, '%s-%d.txt' % (name, index))
            profilers.append(subprocess.Popen(
                [PY_SPY, 'record', '--pid', str(pid), '--format', 'raw', '--rate', '500',
                 '--nonblocking', '--output', out],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(1)  # let py-spy attach
    return profilers


def stop_profilers(profilers):
    for profiler in profilers:
        profiler.send_signal(2)  # SIGINT: py-spy writes its output and exits
    for profiler in profilers:
        profiler.wait(30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--computes', type=int, default=2)
    parser.add_argument('--servers', type=int, default=50)
    parser.add_argument('--samples', type=int, default=200)
    parser.add_argument('--profile', metavar='DIR')
    args = parser.parse_args()
    hosts = ['compute%02d' % i for i in range(args.computes)]

    with boot_bench.bench_cluster(hosts) as (cluster, image_id, flavor_id, _counts):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            _active, _posted, servers = boot_bench.boot(cluster, image_id, flavor_id,
                                                        args.servers, pool)
        time.sleep(2)  # let the last builds' casts settle
        kinds = [
            ('detail', '/v2.1/servers/detail?all_tenants=1&limit=1000'),
            ('index', '/v2.1/servers?all_tenants=1&limit=1000'),
            ('show', '/v2.1/servers/%s' % servers[0]['id']),
        ]
        measure(cluster, kinds[0][1], 20)  # warm up both daemons
        idle_rate = idle_cpu_rate(cluster)
        rows = []
        for kind, path in kinds:
            profilers = (start_profilers(cluster, args.profile)
                         if args.profile and kind == 'detail' else [])
            try:
                rows.append((kind,) + measure(cluster, path, args.samples, idle_rate))
            finally:
                stop_profilers(profilers)

    print('Separate daemons, RabbitMQ + PostgreSQL, %d servers, %d requests each, '
          'microversion %s, admin, all_tenants' % (args.servers, args.samples, VERSION))
    print('idle CPU (ms per second): nova-api %.1f, nova-conductor %.1f (taken off below)'
          % (idle_rate['api'] * 1000, idle_rate['conductor'] * 1000))
    print('request  wall median/p90 (ms)  CPU per request (ms): nova-api  nova-conductor')
    for kind, median, p90, cpu in rows:
        print('%-7s  %8.1f / %-9.1f  %28.1f  %14.1f' % (kind, median, p90, cpu['api'],
                                                        cpu['conductor']))


if __name__ == '__main__':
    main()
