"""Run nova's daemons as real separate processes on RabbitMQ and PostgreSQL/MariaDB.

Each Cluster gets its own RabbitMQ vhost and its own database names, so runs never see each
other's messages or tables. Only the conductor's config file names the databases: the other
daemons get a file with no database at all. Used by the integration tests and bench/.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

from tests import databases

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def child_pids(pid):
    """The process's direct children (from /proc)."""
    children = []
    for task in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/children' % (pid, task)) as f:
                children += [int(child) for child in f.read().split()]
        except OSError:
            continue
    return children


def established_peer_ports(pid):
    """Remote ports of the process's established TCP connections (from /proc)."""
    inodes = set()
    for fd in os.listdir('/proc/%d/fd' % pid):
        try:
            target = os.readlink('/proc/%d/fd/%s' % (pid, fd))
        except OSError:
            continue
        if target.startswith('socket:['):
            inodes.add(target[len('socket:['):-1])
    ports = []
    for table in ('/proc/%d/net/tcp' % pid, '/proc/%d/net/tcp6' % pid):
        with open(table) as f:
            next(f)
            for line in f:
                fields = line.split()
                remote, state, inode = fields[2], fields[3], fields[9]
                if inode in inodes and state == '01':  # 01: ESTABLISHED
                    ports.append(int(remote.rsplit(':', 1)[1], 16))
    return ports


def rabbitmqctl(*args):
    subprocess.run(['rabbitmqctl', '-q', *args], check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def rabbit_vhost(prefix='nova_test'):
    """A fresh vhost on the local broker for guest; yields the transport URL."""
    vhost = '%s_%s' % (prefix, uuid.uuid4().hex[:10])
    rabbitmqctl('add_vhost', vhost)
    try:
        rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*')
        yield 'rabbit://guest:guest@127.0.0.1:5672/%s' % vhost
    finally:
        rabbitmqctl('delete_vhost', vhost)


def write_config(path, sections):
    with open(path, 'w') as f:
        for section, values in sections.items():
            f.write('[%s]\n' % section)
            for key, value in values.items():
                f.write('%s = %s\n' % (key, value))
            f.write('\n')
    return path


class Cluster:
    """A set of daemon processes sharing one bus and one pair of databases."""

    def __init__(self, workdir, transport_url, main_db_url=None, api_db_url=None,
                 report_interval=1, service_down_time=6, extra=None):
        self.workdir = workdir
        self.api_port = free_port()
        self.processes = {}
        self.logs = {}
        common = {
            'DEFAULT': {
                'transport_url': transport_url,
                'report_interval': report_interval,
                'service_down_time': service_down_time,
                'periodic_fuzzy_delay': 0,
                'osapi_compute_listen': '127.0.0.1',
                'osapi_compute_listen_port': self.api_port,
                'state_path': workdir,
                'debug': 'false',
            },
        }
        for section, values in (extra or {}).items():
            common.setdefault(section, {}).update(values)
        self.no_db_conf = write_config(os.path.join(workdir, 'nova.conf'), common)
        db_sections = dict(common)
        if main_db_url:
            db_sections['database'] = {'connection': main_db_url}
            db_sections['api_database'] = {'connection': api_db_url}
        self.db_conf = write_config(os.path.join(workdir, 'nova-conductor.conf'), db_sections)

    def command(self, module, *args, with_db=False):
        conf = self.db_conf if with_db else self.no_db_conf
        return [sys.executable, '-m', 'nova.cmd.%s' % module, '--config-file', conf, *args]

    def run_tool(self, module, *args):
        """Run nova-manage/nova-status to completion; returns CompletedProcess."""
        return subprocess.run(self.command(module, *args, with_db=True), cwd=REPO,
                              capture_output=True, text=True, timeout=120)

    def start(self, name, module=None, with_db=False, host=None, extra_args=()):
        module = module or name
        args = list(extra_args)
        if host:
            # host is not a CLI option: a second config file sets it for this daemon.
            host_conf = write_config(os.path.join(self.workdir, 'host-%s.conf' % host),
                                     {'DEFAULT': {'host': host}})
            args += ['--config-file', host_conf]
        log_path = os.path.join(self.workdir, '%s.log' % name)
        log = open(log_path, 'w')
        self.logs[name] = log_path
        self.processes[name] = subprocess.Popen(
            self.command(module, *args, with_db=with_db), cwd=REPO, stdout=log,
            stderr=subprocess.STDOUT)
        return self.processes[name]

    def start_control_plane(self, compute_hosts=('compute1',)):
        self.start('conductor', with_db=True)
        self.start('scheduler')
        for host in compute_hosts:
            self.start(host, module='compute', host=host)
        self.start('api')
        self.wait_for_api()

    def log(self, name):
        with open(self.logs[name]) as f:
            return f.read()

    def stop(self, name, sig=signal.SIGTERM, timeout=30):
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return process.returncode

    def stop_all(self):
        # Reverse start order: conductor, which the others need to stop cleanly, goes last.
        for name in reversed(list(self.processes)):
            self.stop(name)

    # -- the REST API, as an admin with noauth2 -------------------------------------------

    def request(self, method, path, body=None, version=None, token='admin:admin'):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request('http://127.0.0.1:%d%s' % (self.api_port, path),
                                     data=data, method=method)
        req.add_header('X-Auth-Token', token)
        req.add_header('Content-Type', 'application/json')
        if version:
            req.add_header('OpenStack-API-Version', 'compute %s' % version)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def wait_for_api(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError('%s exited with %s:\n%s' % (
                        name, process.returncode, self.log(name)[-4000:]))
            try:
                status, _body = self.request('GET', '/')
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError('nova-api did not answer in %ss:\n%s' % (timeout, self.log('api')))

    def services(self, version=None):
        status, body = self.request('GET', '/v2.1/os-services', version=version)
        assert status == 200, body
        return body['services']

    def wait_for(self, predicate, timeout=60, interval=0.5, what='condition'):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = predicate()
            if last:
                return last
            time.sleep(interval)
        raise AssertionError('timed out after %ss waiting for %s (last: %r)' % (
            timeout, what, last))


class NovaAll:
    """nova-all as its console entry point runs it: SQLite, in-process bus, own port."""

    def __init__(self, workdir, **defaults):
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.compute_url = self.url + '/v2.1'
        self.conf_values = {
            'DEFAULT': dict({'state_path': workdir, 'host': 'edge1',
                             'osapi_compute_listen': '127.0.0.1',
                             'osapi_compute_listen_port': self.port, 'report_interval': 1},
                            **defaults)}
        self.conf = write_config(os.path.join(workdir, 'nova.conf'), self.conf_values)
        self.log_path = os.path.join(workdir, 'nova-all.log')
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'nova.cmd.all', '--config-file', self.conf],
            cwd=REPO, stdout=open(self.log_path, 'w'), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('nova-all exited:\n' + self.log())
            try:
                with urllib.request.urlopen(self.url + '/', timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError('nova-all did not answer:\n' + self.log())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(60)

    def log(self):
        with open(self.log_path) as f:
            return f.read()


@contextlib.contextmanager
def running_cluster(backend, **kwargs):
    """Vhost + databases on ``backend`` + synced schemas; yields a Cluster (not started)."""
    with tempfile.TemporaryDirectory(prefix='nova-it-') as workdir, \
            rabbit_vhost() as transport_url, \
            databases.temporary_database(backend, workdir) as main_url, \
            databases.temporary_database(backend, workdir) as api_url:
        cluster = Cluster(workdir, transport_url, main_url, api_url, **kwargs)
        try:
            for database in ('db', 'api_db'):
                result = cluster.run_tool('manage', database, 'sync')
                assert result.returncode == 0, result.stdout + result.stderr
            yield cluster
        finally:
            cluster.stop_all()
