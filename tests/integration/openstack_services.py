"""A real Keystone and a real Glance, from PyPI, each in its own virtualenv, on loopback.

The virtualenvs are built once (``python -m venv`` + ``pip install`` with the pins in
openstack_constraints/) under ``$NOVA_TEST_VENVS`` or ``$XDG_CACHE_HOME/nova-it-venvs`` (default
~/.cache/nova-it-venvs), one directory per service and version, and reused by later runs.
A directory without its ``.complete`` marker is a build that did not finish, and is built
again. When a venv cannot be built (no package index reachable), ``VenvUnavailable`` says
why and the tests skip.

Per test run everything else lives in a temporary directory: SQLite databases, fernet and
credential keys, the Glance file store, the config files and the logs. Neither service
ships a server of its own any more (Keystone is a Flask app, ``glance-api`` only tells you
to use ``glance.wsgi.api:application``), so both are served by cheroot, installed beside
them, through wsgi_runner.py.
"""

import contextlib
import fcntl
import grp
import json
import os
import pwd
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.integration.cluster import free_port
from tests.integration.cluster import write_config

KEYSTONE_VERSION = '30.0.0'
GLANCE_VERSION = '33.0.0'
HERE = os.path.dirname(os.path.abspath(__file__))
CONSTRAINTS = os.path.join(HERE, 'openstack_constraints')
RUNNER = os.path.join(HERE, 'wsgi_runner.py')
# One pip install may take minutes on a slow mirror; a hung one must still end.
INSTALL_TIMEOUT = 1200

ADMIN_PASSWORD = 'keystone-admin-secret'
SERVICE_PASSWORD = 'service-user-secret'
REGION = 'RegionOne'


class VenvUnavailable(Exception):
    """The virtualenv of a service could not be built (the reason says why)."""


def venvs_root():
    root = os.environ.get('NOVA_TEST_VENVS')
    if not root:
        cache = os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache')
        root = os.path.join(cache, 'nova-it-venvs')
    return root


def ensure_venv(package, version):
    """The python of a venv holding ``package==version`` (and cheroot), built if needed."""
    root = venvs_root()
    os.makedirs(root, exist_ok=True)
    # The venv's python links to this interpreter: another interpreter, another venv.
    name = '%s-%s-py%d.%d' % (package, version, *sys.version_info[:2])
    constraints = os.path.join(CONSTRAINTS, '%s-%s.txt' % (package, version))
    path = os.path.join(root, name)
    python = os.path.join(path, 'bin', 'python')
    marker = os.path.join(path, '.complete')
    # Parallel test runs build a venv once: the others wait on the lock.
    with open(os.path.join(root, name + '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(marker):
            return python
        shutil.rmtree(path, ignore_errors=True)
        started = time.monotonic()
        steps = [
            [sys.executable, '-m', 'venv', path],
            [python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
             '-c', constraints,
             '%s==%s' % (package, version), 'cheroot'],
        ]
        for step in steps:
            try:
                result = subprocess.run(step, capture_output=True, text=True,
                                        timeout=INSTALL_TIMEOUT)
            except subprocess.TimeoutExpired:
                shutil.rmtree(path, ignore_errors=True)
                raise VenvUnavailable('%s timed out after %ss' % (' '.join(step[:4]),
                                                                 INSTALL_TIMEOUT))
            if result.returncode != 0:
                shutil.rmtree(path, ignore_errors=True)
                errors = [line for line in (result.stdout + result.stderr).splitlines()
                          if not line.startswith('WARNING: Location')]
                raise VenvUnavailable('cannot install %s==%s into a venv: %s' % (
                    package, version, '\n'.join(errors[-15:])))
        with open(marker, 'w') as f:
            f.write('built in %.0fs\n' % (time.monotonic() - started))
        return python


def _run(python, code, args, env=None, cwd=None):
    """Run a console script's main() with the venv's python (no shebang paths involved)."""
    result = subprocess.run([python, '-c', code, *args], capture_output=True, text=True,
                            timeout=300, env=env, cwd=cwd)
    if result.returncode != 0:
        raise RuntimeError('%s %s failed (%s):\n%s%s' % (code, ' '.join(args),
                                                         result.returncode,
                                                         result.stdout, result.stderr))
    return result


def _wait_for(url, process, log_path, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            with open(log_path) as f:
                raise RuntimeError('%s exited with %s:\n%s' % (url, process.returncode,
                                                               f.read()[-6000:]))
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers: 300 Multiple Choices from Glance's version list
        except OSError:
            time.sleep(0.3)
    with open(log_path) as f:
        raise RuntimeError('%s did not answer in %ss:\n%s' % (url, timeout, f.read()[-6000:]))


def _serve(python, app, port, workdir, name, env):
    log_path = os.path.join(workdir, name + '.log')
    process = subprocess.Popen([python, RUNNER, str(port), app], cwd=workdir, env=env,
                               stdout=open(log_path, 'w'), stderr=subprocess.STDOUT)
    return process, log_path


def _stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Keystone:
    """Keystone's identity API on a free loopback port; an admin client for the set-up."""

    def __init__(self, python, workdir):
        self.python = python
        self.workdir = os.path.join(workdir, 'keystone')
        os.makedirs(self.workdir)
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.auth_url = self.url + '/v3'
        self.process = None
        self.log_path = None
        self.conf = write_config(os.path.join(self.workdir, 'keystone.conf'), {
            'DEFAULT': {'debug': 'false'},
            'database': {'connection': 'sqlite:///%s/keystone.db' % self.workdir},
            'fernet_tokens': {'key_repository': os.path.join(self.workdir, 'fernet-keys')},
            'fernet_receipts': {'key_repository': os.path.join(self.workdir,
                                                               'fernet-keys')},
            'credential': {'key_repository': os.path.join(self.workdir, 'credential-keys')},
            # bcrypt's default cost makes every password check ~0.3 s on this machine.
            'identity': {'password_hash_rounds': '4'},
        })
        self.env = dict(os.environ, OS_KEYSTONE_CONFIG_DIR=self.workdir,
                        OS_KEYSTONE_CONFIG_FILES='keystone.conf')
        self.env.pop('PYTHONPATH', None)  # nothing of nova's belongs in Keystone's process
        self._admin_token = None

    def manage(self, *args):
        return _run(self.python, 'import sys; from keystone.cmd.manage import main; main()',
                    ['--config-file', self.conf, *args], env=self.env, cwd=self.workdir)

    def start(self):
        self.manage('db_sync')
        # The key repositories belong to whoever runs the tests.
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        for setup in ('fernet_setup', 'credential_setup'):
            self.manage(setup, '--keystone-user', user, '--keystone-group', group)
        self.manage('bootstrap', '--bootstrap-password', ADMIN_PASSWORD,
                    '--bootstrap-region-id', REGION,
                    '--bootstrap-admin-url', self.auth_url,
                    '--bootstrap-internal-url', self.auth_url,
                    '--bootstrap-public-url', self.auth_url)
        self.process, self.log_path = _serve(
            self.python, 'keystone.server.wsgi:initialize_public_application()', self.port,
            self.workdir, 'keystone', self.env)
        _wait_for(self.url + '/v3', self.process, self.log_path)

    def stop(self):
        if self.process is not None:
            _stop(self.process)

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    # -- a small identity v3 client (urllib: no dependency of the test process) ---------

    def call(self, method, path, body=None, token=None, headers=None):
        """(status, headers, JSON body) of a request to /v3``path``."""
        req = urllib.request.Request(self.auth_url + path, method=method,
                                     data=json.dumps(body).encode() if body else None)
        req.add_header('Content-Type', 'application/json')
        token = token or (self.admin_token() if path != '/auth/tokens' or method != 'POST'
                          else None)
        if token:
            req.add_header('X-Auth-Token', token)
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, resp.headers, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, error.headers, json.loads(raw) if raw else None

    def token(self, user, password, project):
        """A project-scoped token of ``user`` (names in the Default domain)."""
        status, headers, body = self.call('POST', '/auth/tokens', {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': user, 'domain': {'id': 'default'}, 'password': password}}},
            'scope': {'project': {'name': project, 'domain': {'id': 'default'}}}}})
        assert status == 201, body
        return headers['X-Subject-Token']

    def admin_token(self):
        if self._admin_token is None:
            self._admin_token = self.token('admin', ADMIN_PASSWORD, 'admin')
        return self._admin_token

    def _create(self, collection, document):
        key = collection[:-1]
        status, _h, body = self.call('POST', '/' + collection, {key: document})
        assert status == 201, body
        return body[key]

    def role_id(self, name):
        status, _h, body = self.call('GET', '/roles?name=%s' % name)
        assert status == 200 and body['roles'], body
        return body['roles'][0]['id']

    def project(self, name):
        status, _h, body = self.call('GET', '/projects?name=%s' % name)
        if body['projects']:
            return body['projects'][0]
        return self._create('projects', {'name': name, 'domain_id': 'default'})

    def user(self, name, password, project, roles):
        """A user with ``roles`` (names) on ``project`` (a name, made if missing)."""
        project = self.project(project)
        user = self._create('users', {'name': name, 'password': password,
                                      'domain_id': 'default',
                                      'default_project_id': project['id']})
        for role in roles:
            status, _h, body = self.call('PUT', '/projects/%s/users/%s/roles/%s' % (
                project['id'], user['id'], self.role_id(role)))
            assert status == 204, body
        return user

    def service_user(self, name):
        """A service user in the 'service' project with the admin and service roles:
        what keystonemiddleware needs to validate the tokens it is given."""
        return self.user(name, SERVICE_PASSWORD, 'service', ['admin', 'service'])

    def endpoint(self, service_type, name, url):
        """A service in the catalog with public, internal and admin endpoints at ``url``."""
        service = self._create('services', {'type': service_type, 'name': name})
        for interface in ('public', 'internal', 'admin'):
            self._create('endpoints', {'service_id': service['id'], 'interface': interface,
                                       'url': url, 'region_id': REGION})

    def authtoken_section(self, username):
        """A [keystone_authtoken] section for a service authenticating as ``username``."""
        return {'www_authenticate_uri': self.url, 'auth_url': self.url,
                'auth_type': 'password', 'username': username,
                'password': SERVICE_PASSWORD, 'project_name': 'service',
                'user_domain_name': 'Default', 'project_domain_name': 'Default',
                'region_name': REGION}


class Glance:
    """glance-api (the v2 image API) on a free loopback port, authenticating with Keystone,
    images in a file store under the run's directory."""

    def __init__(self, python, workdir, keystone):
        self.python = python
        self.workdir = os.path.join(workdir, 'glance')
        self.store = os.path.join(self.workdir, 'images')
        os.makedirs(self.store)
        self.port = free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.process = None
        self.log_path = None
        paste = os.path.join(os.path.dirname(os.path.dirname(python)), 'etc', 'glance',
                             'glance-api-paste.ini')
        self.conf = write_config(os.path.join(self.workdir, 'glance-api.conf'), {
            'DEFAULT': {'debug': 'false', 'enabled_import_methods': '[]',
                        'worker_self_reference_url': self.url},
            'database': {'connection': 'sqlite:///%s/glance.db' % self.workdir},
            'glance_store': {'stores': 'file', 'default_store': 'file',
                             'filesystem_store_datadir': self.store},
            'os_glance_staging_store': {
                'filesystem_store_datadir': os.path.join(self.workdir, 'staging')},
            'os_glance_tasks_store': {
                'filesystem_store_datadir': os.path.join(self.workdir, 'tasks')},
            'keystone_authtoken': keystone.authtoken_section('glance'),
            'paste_deploy': {'flavor': 'keystone', 'config_file': paste},
        })
        self.env = dict(os.environ, OS_GLANCE_CONFIG_DIR=self.workdir)
        self.env.pop('PYTHONPATH', None)

    def start(self):
        _run(self.python, 'import sys; from glance.cmd.manage import main; main()',
             ['--config-file', self.conf, 'db_sync'], env=self.env, cwd=self.workdir)
        self.process, self.log_path = _serve(self.python, 'glance.wsgi.api:application',
                                             self.port, self.workdir, 'glance-api',
                                             self.env)
        _wait_for(self.url + '/versions', self.process, self.log_path)

    def stop(self):
        if self.process is not None:
            _stop(self.process)

    def log(self):
        with open(self.log_path) as f:
            return f.read()


@contextlib.contextmanager
def keystone_and_glance(workdir):
    """A running Keystone and Glance (Glance's service user made and its endpoint in the
    catalog); raises VenvUnavailable when their venvs cannot be built."""
    keystone_python = ensure_venv('keystone', KEYSTONE_VERSION)
    glance_python = ensure_venv('glance', GLANCE_VERSION)
    keystone = Keystone(keystone_python, workdir)
    glance = None
    try:
        keystone.start()
        keystone.service_user('glance')
        glance = Glance(glance_python, workdir, keystone)
        keystone.endpoint('image', 'glance', glance.url)
        glance.start()
        yield keystone, glance
    finally:
        if glance is not None:
            glance.stop()
        keystone.stop()
