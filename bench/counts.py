"""The benchmark's counting mode (``--count``): RPC calls, SQL statements and CPU time.

``enable(workdir)`` makes every daemon started afterwards load bench/counting/sitecustomize.py,
which writes its counters to a file; ``take(cluster)`` reads them (and each daemon's CPU
time from /proc) into a Snapshot; ``report`` prints the difference of two snapshots per
server. Counts are what a busy shared machine cannot blur, unlike wall times.
"""

import collections
import glob
import json
import os
import time

from tests.integration import cluster as cluster_mod

HERE = os.path.dirname(os.path.abspath(__file__))
_TICKS = os.sysconf('SC_CLK_TCK')
# The benchmark's own GET /servers/detail while it waits: left out of calls and methods.
POLLING = ('api', 'call conductor object_class_action_versions InstanceList.get_by_filters')


def enable(workdir):
    count_dir = os.path.join(workdir, 'counts')
    os.makedirs(count_dir, exist_ok=True)
    os.environ['NOVA_BENCH_COUNT_DIR'] = count_dir
    paths = [os.path.join(HERE, 'counting')] + [
        p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    os.environ['PYTHONPATH'] = os.pathsep.join(paths)
    return count_dir


def _group(role):
    return 'compute' if role.startswith('compute') else role


def _cpu_seconds(pid):
    """utime + stime of a process, in seconds (0 if it is gone)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


class Snapshot:
    def __init__(self):
        self.sent = collections.Counter()      # (group, key) -> n
        self.served = collections.Counter()    # key -> n (conductor)
        self.served_cpu = collections.Counter()
        self.served_sql = collections.Counter()
        self.sql = collections.Counter()       # (group, verb) -> n
        self.cpu = collections.Counter()       # group -> CPU seconds

    def __sub__(self, other):
        diff = Snapshot()
        for name in ('sent', 'served', 'served_cpu', 'served_sql', 'sql', 'cpu'):
            result = getattr(diff, name)
            mine, theirs = getattr(self, name), getattr(other, name)
            for key in set(mine) | set(theirs):
                result[key] = mine[key] - theirs[key]
        return diff


def take(cluster, count_dir):
    snap = Snapshot()
    for path in glob.glob(os.path.join(count_dir, '*.json')):
        with open(path) as f:
            data = json.load(f)
        group = _group(data['role'])
        for key, n in data['sent'].items():
            snap.sent[(group, key)] += n
        for verb, n in data['sql'].items():
            snap.sql[(group, verb)] += n
        if group == 'conductor':
            snap.served.update(data['served'])
            snap.served_cpu.update(data['served_cpu'])
            snap.served_sql.update(data['served_sql'])
    for name, process in cluster.processes.items():
        pids = [process.pid] + cluster_mod.child_pids(process.pid)
        snap.cpu[_group(name)] += sum(_cpu_seconds(pid) for pid in pids)
    return snap


def settle(cluster, count_dir, quiet=1.5, timeout=30):
    """A snapshot once no daemon has sent an RPC for ``quiet`` seconds (periodic reports
    aside, a storm's tail: the last events and notifications after ACTIVE)."""
    deadline = time.monotonic() + timeout
    last = take(cluster, count_dir)
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = take(cluster, count_dir)
        if now.sent != last.sent:
            last, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= quiet:
            return now
    return last


def report(title, diff, servers, exclude=None, top=40):
    """Print ``diff`` per server; ``exclude``: a (group, sent key) to leave out, with its
    conductor method."""
    if exclude is not None:
        diff.sent.pop(exclude, None)
        served_key = exclude[1].split(' ', 2)[2]
        for counter in (diff.served, diff.served_cpu, diff.served_sql):
            counter.pop(served_key, None)
    print('\n== %s: %d servers; figures per server ==' % (title, servers))
    per_group = collections.Counter()
    for (group, _key), n in diff.sent.items():
        per_group[group] += n
    conductor_calls = collections.Counter()
    for (group, key), n in diff.sent.items():
        if key.split()[1].startswith('conductor'):
            conductor_calls[group] += n
    print('RPC sent (all topics) by source: ' + ', '.join(
        '%s %.2f' % (g, n / servers) for g, n in sorted(per_group.items()) if n))
    print('to conductor by source:          ' + ', '.join(
        '%s %.2f' % (g, n / servers) for g, n in sorted(conductor_calls.items()) if n)
        + '; total %.2f' % (sum(conductor_calls.values()) / servers))
    print('SQL statements in conductor calls: %.2f per server' % (
        sum(diff.served_sql.values()) / servers))
    print('SQL statements of conductor, all: %.2f per server (%s)' % (
        sum(n for (g, _v), n in diff.sql.items() if g == 'conductor') / servers,
        ', '.join('%s %d' % (v, n) for (g, v), n in sorted(diff.sql.items())
                  if g == 'conductor' and n)))
    print('process CPU (ms per server): ' + ', '.join(
        '%s %.1f' % (g, s * 1000 / servers) for g, s in sorted(diff.cpu.items())))
    served = sum(diff.served_cpu.values())
    print('conductor dispatch CPU: %.1f ms per server' % (served * 1000 / servers))
    print('%-8s %7s  %s' % ('source', 'per srv', 'call'))
    rows = sorted(((n, group, key) for (group, key), n in diff.sent.items() if n),
                  reverse=True)
    for n, group, key in rows[:top]:
        print('%-8s %7.2f  %s' % (group, n / servers, key))
    print('%7s %9s %7s  %s' % ('per srv', 'ms/call', 'SQL/call', 'conductor method'))
    for key, n in sorted(diff.served.items(), key=lambda kv: -diff.served_cpu[kv[0]]):
        if n:
            print('%7.2f %9.2f %7.2f  %s' % (n / servers, diff.served_cpu[key] * 1000 / n,
                                             diff.served_sql[key] / n, key))
