"""nova-all in this process: every service on the in-process bus, SQLite, the real WSGI app
on a loopback port."""

import contextlib
import json
import urllib.error
import urllib.request

import pytest

from nova import rpc
from nova import service
from nova.cmd import all as nova_all


class RunningNova:
    def __init__(self, launcher):
        self.launcher = launcher
        self.services = launcher.services
        self.api = [s for s in self.services if isinstance(s, service.WSGIService)][0]

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.api.port

    def request(self, method, path, body=None, version=None, token='admin:admin',
                headers=None):
        """(status, headers, JSON body) of one request; no X-Auth-Token when token is None."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if token is not None:
            req.add_header('X-Auth-Token', token)
        req.add_header('Content-Type', 'application/json')
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        if version:
            req.add_header('OpenStack-API-Version', 'compute %s' % version)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, dict(resp.headers), json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, dict(error.headers), json.loads(raw) if raw else None

    def add_compute(self, host):
        """Start one more nova-compute (fake driver) in this process."""
        compute = service.Service.create(binary='nova-compute', host=host)
        self.launcher.launch(compute)
        return compute

    def rpc_service(self, binary):
        return [s for s in self.services if getattr(s, 'binary', None) == binary][0]


@contextlib.contextmanager
def nova_all_in_process(conf, tmp_path, **overrides):
    """Start nova-all's services here; stop them (gracefully) afterwards."""
    conf.set_override('state_path', str(tmp_path))
    conf.set_override('host', 'edge1')
    conf.set_override('osapi_compute_listen', '127.0.0.1')
    conf.set_override('osapi_compute_listen_port', 0)
    conf.set_override('periodic_fuzzy_delay', 0)
    for name, value in overrides.items():
        conf.set_override(name, value)
    nova_all.set_edge_defaults()
    from nova.db import engines
    from nova.db import guard
    engines.reset()
    guard.allow_database_access('nova-all')
    rpc.init(conf)
    nova_all.prepare_databases()
    nova_all.prepare_identity_keys()
    launcher = service.Launcher()
    try:
        for svc in nova_all.build_services():
            launcher.launch(svc)
        yield RunningNova(launcher)
    finally:
        launcher.stop()
        rpc.cleanup()
        engines.reset()
        guard.disallow_database_access()


@pytest.fixture
def nova(conf, tmp_path):
    with nova_all_in_process(conf, tmp_path, report_interval=1) as running:
        yield running
