"""A real nova-all process (console entry point, SQLite, in-process bus) for the clients."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.integration import cluster as cluster_mod


class NovaAll:
    def __init__(self, workdir):
        self.port = cluster_mod.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.compute_url = self.url + '/v2.1'
        self.conf = cluster_mod.write_config(os.path.join(workdir, 'nova.conf'), {
            'DEFAULT': {'state_path': workdir, 'host': 'edge1',
                        'osapi_compute_listen': '127.0.0.1',
                        'osapi_compute_listen_port': self.port, 'report_interval': 1}})
        self.log_path = os.path.join(workdir, 'nova-all.log')
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'nova.cmd.all', '--config-file', self.conf],
            cwd=cluster_mod.REPO, stdout=open(self.log_path, 'w'), stderr=subprocess.STDOUT)
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


@pytest.fixture(scope='session')
def nova_all(tmp_path_factory):
    nova = NovaAll(str(tmp_path_factory.mktemp('nova-all')))
    nova.start()
    yield nova
    assert nova.stop() == 0, nova.log()
    assert 'Traceback' not in nova.log(), nova.log()
