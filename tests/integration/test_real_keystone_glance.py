"""nova's separate daemons with a real Keystone and a real Glance (PyPI releases, each in
its own venv, see openstack_services.py): nova-api validates Keystone tokens through
keystonemiddleware, the image API is Glance, and nova-compute fetches the image data
from Glance with the user's token; the unmodified openstack CLI drives it all through
Keystone's catalog."""

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests import databases
from tests.integration import cluster as cluster_mod
from tests.integration import openstack_services

OPENSTACK = shutil.which('openstack', path=os.path.dirname(sys.executable)) or \
    shutil.which('openstack')
IMAGE_DATA = b'\x00' * 8192 + b'a real glance image\n'
USER_PASSWORD = 'user-secret'


def _http(method, url, token=None, body=None, data=None, headers=None):
    """(status, JSON body or raw bytes) of one request."""
    req = urllib.request.Request(url, method=method,
                                 data=json.dumps(body).encode() if body is not None else data)
    if body is not None:
        req.add_header('Content-Type', 'application/json')
    if token:
        req.add_header('X-Auth-Token', token)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw


class Stack:
    """Keystone, Glance and nova's daemons, with users of three personas."""

    def __init__(self, keystone, glance, cluster):
        self.keystone, self.glance, self.cluster = keystone, glance, cluster
        self.compute_url = 'http://127.0.0.1:%d/v2.1' % cluster.api_port
        self.tokens = {}

    def token(self, user, project):
        key = (user, project)
        if key not in self.tokens:
            password = (openstack_services.ADMIN_PASSWORD if user == 'admin'
                        else USER_PASSWORD)
            self.tokens[key] = self.keystone.token(user, password, project)
        return self.tokens[key]

    def compute(self, method, path, token, body=None, version='2.79'):
        return _http(method, self.compute_url + path, token, body,
                     headers={'OpenStack-API-Version': 'compute %s' % version})

    def wait_for_server(self, server_id, token, status, timeout=90):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            code, body = self.compute('GET', '/servers/%s' % server_id, token)
            if status is None and code == 404:
                return None
            if code == 200:
                last = body['server']
                if last['status'] == status or last['status'] == 'ERROR':
                    return last
            time.sleep(0.5)
        raise AssertionError('server %s not %s in %ss: %r' % (server_id, status, timeout,
                                                             last))


@pytest.fixture(scope='module')
def stack(tmp_path_factory):
    if not databases.server_available('postgresql'):
        pytest.skip('postgresql server not reachable')
    workdir = str(tmp_path_factory.mktemp('realstack'))
    with contextlib.ExitStack() as stack:
        try:
            keystone, glance = stack.enter_context(
                openstack_services.keystone_and_glance(workdir))
        except openstack_services.VenvUnavailable as exc:
            pytest.skip('no Keystone/Glance to test with: %s' % exc)
        keystone.service_user('nova')
        cluster = stack.enter_context(cluster_mod.running_cluster('postgresql', extra={
            'api': {'auth_strategy': 'keystone'},
            'keystone_authtoken': keystone.authtoken_section('nova'),
            'image': {'backend': 'glance'},
            'glance': {'api_servers': glance.url},
            'fake_driver': {'fetch_images': 'true'},
        }))
        keystone.endpoint('compute', 'nova', 'http://127.0.0.1:%d/v2.1' % cluster.api_port)
        keystone.user('alice', USER_PASSWORD, 'p1', ['member'])
        keystone.user('rita', USER_PASSWORD, 'p1', ['reader'])
        keystone.user('bob', USER_PASSWORD, 'p2', ['member'])
        cluster.start_control_plane()
        yield Stack(keystone, glance, cluster)
        # (The scheduler and compute log the failed build of the last test but one.)
        for name in ('api', 'conductor'):
            assert 'Traceback' not in cluster.log(name), cluster.log(name)


@pytest.fixture(scope='module')
def flavor(stack):
    admin = stack.token('admin', 'admin')
    status, body = stack.compute('POST', '/flavors', admin, {'flavor': {
        'name': 'm1.real', 'ram': 64, 'vcpus': 1, 'disk': 1}})
    assert status == 200, body
    return body['flavor']['id']


def _glance_image(stack, token, name, data):
    """An active image in the real Glance: record, then data."""
    status, image = _http('POST', stack.glance.url + '/v2/images', token, {
        'name': name, 'disk_format': 'raw', 'container_format': 'bare'})
    assert status == 201, image
    status, body = _http('PUT', stack.glance.url + '/v2/images/%s/file' % image['id'], token,
                         data=data, headers={'Content-Type': 'application/octet-stream'})
    assert status == 204, body
    status, image = _http('GET', stack.glance.url + '/v2/images/%s' % image['id'], token)
    assert status == 200 and image['status'] == 'active', image
    return image


def test_nova_api_validates_keystone_tokens(stack):
    alice = stack.token('alice', 'p1')
    assert stack.compute('GET', '/servers', alice) == (200, {'servers': []})
    # No token, a token Keystone never issued, a token Keystone has revoked: 401 with
    # keystonemiddleware's body, pointing at Keystone.
    for bad in (None, 'not-a-token', 'gAAAAABnot-a-fernet-token'):
        status, body = stack.compute('GET', '/servers', bad)
        assert status == 401, body
    revoked = stack.keystone.token('alice', USER_PASSWORD, 'p1')
    status, _h, body = stack.keystone.call('DELETE', '/auth/tokens',
                                           headers={'X-Subject-Token': revoked})
    assert status == 204, body
    assert stack.compute('GET', '/servers', revoked)[0] == 401
    # The version document needs no token.
    assert _http('GET', stack.compute_url)[0] == 200
    # Admin-only APIs follow the Keystone roles through nova's policy.
    admin = stack.token('admin', 'admin')
    assert stack.compute('GET', '/os-services', admin)[0] == 200
    status, body = stack.compute('GET', '/os-services', alice)
    assert status == 403, body


def test_projects_and_roles_from_keystone(stack, flavor):
    alice, rita, bob = (stack.token('alice', 'p1'), stack.token('rita', 'p1'),
                        stack.token('bob', 'p2'))
    image = _glance_image(stack, alice, 'p1-image', IMAGE_DATA)
    boot = {'server': {'name': 'p1-vm', 'imageRef': image['id'], 'flavorRef': flavor,
                       'networks': 'none'}}
    # A reader of p1 may look but not create.
    status, body = stack.compute('POST', '/servers', rita, boot)
    assert status == 403, body
    status, body = stack.compute('POST', '/servers', alice, boot)
    assert status == 202, body
    server_id = body['server']['id']
    server = stack.wait_for_server(server_id, alice, 'ACTIVE')
    assert server['status'] == 'ACTIVE', server
    p1 = stack.keystone.project('p1')['id']
    assert server['tenant_id'] == p1
    # rita sees p1's server; bob, of p2, sees none of it.
    status, body = stack.compute('GET', '/servers', rita)
    assert status == 200 and [s['id'] for s in body['servers']] == [server_id]
    assert stack.compute('GET', '/servers', bob) == (200, {'servers': []})
    assert stack.compute('GET', '/servers/%s' % server_id, bob)[0] == 404
    # Glance applies the same projects: p1's (shared-visibility) image is not bob's.
    status, _body = _http('GET', stack.glance.url + '/v2/images/%s' % image['id'], bob)
    assert status == 404
    status, body = stack.compute('POST', '/servers', bob, dict(boot, server=dict(
        boot['server'], name='p2-vm')))
    assert status == 400 and body['badRequest']['message'] == 'Can not find requested image'
    assert stack.compute('DELETE', '/servers/%s' % server_id, rita)[0] == 403
    assert stack.compute('DELETE', '/servers/%s' % server_id, alice)[0] == 204
    assert stack.wait_for_server(server_id, alice, None) is None


def test_compute_fetches_the_image_from_glance(stack, flavor):
    alice = stack.token('alice', 'p1')
    data = os.urandom(256 * 1024)
    image = _glance_image(stack, alice, 'fetched', data)
    assert image['os_hash_value'] == hashlib.new(image['os_hash_algo'], data).hexdigest()
    status, body = stack.compute('POST', '/servers', alice, {'server': {
        'name': 'fetch-vm', 'imageRef': image['id'], 'flavorRef': flavor,
        'networks': 'none'}})
    assert status == 202, body
    server = stack.wait_for_server(body['server']['id'], alice, 'ACTIVE')
    assert server['status'] == 'ACTIVE', server
    # The bytes that reached the compute host are the ones uploaded to Glance, fetched with
    # alice's token (Glance logs the request as hers).
    cached = os.path.join(stack.cluster.workdir, 'instances', '_base',
                          hashlib.sha1(image['id'].encode()).hexdigest())
    with open(cached, 'rb') as f:
        assert f.read() == data
    assert 'Fetched image %s into the image cache as %s (%d bytes, %s %s)' % (
        image['id'], os.path.basename(cached), len(data), image['os_hash_algo'],
        image['os_hash_value']) in stack.cluster.log('compute1')
    assert stack.compute('DELETE', '/servers/%s' % server['id'], alice)[0] == 204
    stack.wait_for_server(server['id'], alice, None)


def test_an_image_compute_cannot_fetch_fails_the_build(stack, flavor):
    """An image with no data is refused by the API (Glance says it is queued); one whose data
    vanishes from Glance's store leaves the server in ERROR with the reason as its fault."""
    alice = stack.token('alice', 'p1')
    image = _glance_image(stack, alice, 'vanishing', b'soon gone' * 100)
    os.unlink(os.path.join(stack.glance.store, image['id']))
    status, body = stack.compute('POST', '/servers', alice, {'server': {
        'name': 'broken-vm', 'imageRef': image['id'], 'flavorRef': flavor,
        'networks': 'none'}})
    assert status == 202, body
    server = stack.wait_for_server(body['server']['id'], alice, 'ERROR')
    assert server['status'] == 'ERROR', server
    assert 'Failed to download image %s: the image API has no data for this active image' % (
        image['id']) in stack.cluster.log('compute1')
    assert not os.path.exists(os.path.join(stack.cluster.workdir, 'instances', '_base',
                                           hashlib.sha1(image['id'].encode()).hexdigest()))
    assert stack.compute('DELETE', '/servers/%s' % server['id'], alice)[0] == 204


@pytest.mark.skipif(OPENSTACK is None, reason='python-openstackclient is not installed')
def test_openstack_cli_through_keystone_catalog(stack, tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith('OS_')}
    env.update(OS_AUTH_URL=stack.keystone.auth_url, OS_IDENTITY_API_VERSION='3',
               OS_USERNAME='admin', OS_PASSWORD=openstack_services.ADMIN_PASSWORD,
               OS_PROJECT_NAME='admin', OS_USER_DOMAIN_NAME='Default',
               OS_PROJECT_DOMAIN_NAME='Default', OS_REGION_NAME=openstack_services.REGION)

    def openstack(*args):
        result = subprocess.run([OPENSTACK, *args], env=env, capture_output=True, text=True,
                                timeout=180)
        assert result.returncode == 0, ' '.join(args) + '\n' + result.stdout + result.stderr
        return json.loads(result.stdout) if '-f' in args else None

    flavor = openstack('flavor', 'create', 'cli.tiny', '--ram', '64', '--disk', '1',
                       '--vcpus', '1', '-f', 'json')
    assert flavor['name'] == 'cli.tiny'
    image_file = tmp_path / 'cirros.img'
    image_file.write_bytes(IMAGE_DATA)
    image = openstack('image', 'create', 'cli-cirros', '--file', str(image_file),
                      '--disk-format', 'raw', '--container-format', 'bare', '-f', 'json')
    assert image['status'] == 'active' and image['size'] == len(IMAGE_DATA)
    # It is in the real Glance, not in nova.
    status, body = _http('GET', stack.glance.url + '/v2/images/%s' % image['id'],
                         stack.token('admin', 'admin'))
    assert status == 200 and body['name'] == 'cli-cirros'
    server = openstack('server', 'create', '--flavor', 'cli.tiny', '--image', 'cli-cirros',
                       '--nic', 'none', '--wait', 'cli-vm', '-f', 'json')
    assert server['status'] == 'ACTIVE', server
    listed = openstack('server', 'list', '-f', 'json')
    assert [(s['Name'], s['Status'], s['Image'], s['Flavor']) for s in listed] == [
        ('cli-vm', 'ACTIVE', 'cli-cirros', 'cli.tiny')]
    shown = openstack('server', 'show', 'cli-vm', '-f', 'json')
    assert shown['id'] == server['id'] and shown['OS-EXT-SRV-ATTR:host'] == 'compute1'
    openstack('server', 'delete', '--wait', 'cli-vm')
    assert openstack('server', 'list', '-f', 'json') == []
