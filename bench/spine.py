"""Spine benchmark: object save through conductor vs a bare RPC call, and idle memory.

Runs against real RabbitMQ and PostgreSQL on this machine (own vhost and databases):
- the round trip of ``Service.save()`` from a database-less process through nova-conductor,
  next to a bare oslo.messaging call (``baseapi.ping``) to the same conductor on the same
  broker, so the cost of object indirection is visible;
- the resident memory (RSS) of an idle nova-all, and of each separate daemon.

    python bench/spine.py [--calls 500]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nova import baserpc  # noqa: E402
from nova import context as nova_context  # noqa: E402
from nova import objects  # noqa: E402
from nova import rpc  # noqa: E402
import nova.conf  # noqa: E402
from nova.objects import base as objects_base  # noqa: E402
from tests import databases  # noqa: E402
from tests.integration import cluster as cluster_mod  # noqa: E402

CONF = nova.conf.CONF


def rss_mib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024.0
    return float('nan')


def timed(fn, calls):
    fn()  # warm up connections and caches
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000.0)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9)]


def bench_rpc(transport_url, calls):
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('transport_url', transport_url)
    rpc.init(CONF)
    objects.register_all()
    from nova.conductor import rpcapi as conductor_rpcapi
    objects_base.NovaObject.indirection_api = conductor_rpcapi.ConductorAPI()
    ctxt = nova_context.get_admin_context()
    record = objects.Service(ctxt, host='bench', binary='nova-bench', topic='bench',
                             report_count=0)
    record.create()

    def save():
        record.report_count += 1
        record.save()

    ping_api = baserpc.BaseAPI('conductor')

    def ping():
        ping_api.ping(ctxt, 'x')

    save_med, save_p90 = timed(save, calls)
    ping_med, ping_p90 = timed(ping, calls)
    rpc.cleanup()
    return (ping_med, ping_p90), (save_med, save_p90)


def idle_rss(cluster, settle):
    cluster.start_control_plane()
    time.sleep(settle)
    # A daemon with workers (nova-conductor) counts with all of its processes.
    return {name: sum(rss_mib(pid) for pid in [p.pid, *cluster_mod.child_pids(p.pid)])
            for name, p in cluster.processes.items()}


def nova_all_rss(settle):
    with tempfile.TemporaryDirectory(prefix='nova-bench-all-') as workdir:
        port = cluster_mod.free_port()
        conf = cluster_mod.write_config(os.path.join(workdir, 'nova.conf'), {
            'DEFAULT': {'state_path': workdir, 'osapi_compute_listen': '127.0.0.1',
                        'osapi_compute_listen_port': port},
            'oslo_messaging_notifications': {'driver': 'noop'}})
        proc = subprocess.Popen([sys.executable, '-m', 'nova.cmd.all', '--config-file', conf],
                                cwd=cluster_mod.REPO, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            probe = cluster_mod.Cluster.__new__(cluster_mod.Cluster)
            probe.api_port, probe.processes, probe.logs = port, {'all': proc}, {}
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if probe.request('GET', '/')[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            time.sleep(settle)
            return rss_mib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=500)
    parser.add_argument('--settle', type=float, default=5.0,
                        help='seconds to let daemons settle before reading RSS')
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix='nova-bench-') as workdir, \
            cluster_mod.rabbit_vhost('nova_bench') as transport_url, \
            databases.temporary_database('postgresql', workdir, 'nova_bench') as main_url, \
            databases.temporary_database('postgresql', workdir, 'nova_bench') as api_url:
        cluster = cluster_mod.Cluster(workdir, transport_url, main_url, api_url)
        try:
            for database in ('db', 'api_db'):
                result = cluster.run_tool('manage', database, 'sync')
                assert result.returncode == 0, result.stderr
            rss = idle_rss(cluster, args.settle)
            ping, save = bench_rpc(transport_url, args.calls)
        finally:
            cluster.stop_all()
    all_rss = nova_all_rss(args.settle)

    print('RPC over RabbitMQ (%d calls each, ms)        median    p90' % args.calls)
    print('  bare oslo.messaging call (baseapi.ping)   %6.2f  %6.2f' % ping)
    print('  Service.save() through nova-conductor     %6.2f  %6.2f' % save)
    print('Idle resident memory (MiB)')
    print('  nova-all (one process, SQLite, in-process bus)  %6.1f' % all_rss)
    for name in ('api', 'conductor', 'scheduler', 'compute1'):
        print('  nova-%-42s %6.1f' % (name.rstrip('1'), rss[name]))
    print('  separate daemons, total                         %6.1f' % sum(rss.values()))


if __name__ == '__main__':
    main()
