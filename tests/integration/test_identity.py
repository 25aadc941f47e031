"""The built-in identity service with separate daemons: nova-api has no database, so every
identity lookup crosses RabbitMQ to nova-conductor (records, errors and all)."""

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.integration import cluster as cluster_mod

PASSWORD = 'integration-secret'


def _call(cluster, method, path, body=None, headers=None):
    req = urllib.request.Request('http://127.0.0.1:%d%s' % (cluster.api_port, path),
                                 data=json.dumps(body).encode() if body else None,
                                 method=method, headers=dict(headers or {}))
    req.add_header('Content-Type', 'application/json')
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return resp.status, resp.headers, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, error.headers, json.loads(raw) if raw else None


def _auth(username, password, project='admin'):
    return {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': username, 'domain': {'id': 'default'}, 'password': password}}},
        'scope': {'project': {'name': project, 'domain': {'id': 'default'}}}}}


def test_tokens_and_users_through_conductor(backend):
    with cluster_mod.running_cluster(
            backend, extra={'api': {'auth_strategy': 'local'},
                            'identity': {'password_hash_rounds': 4}}) as cluster:
        for args in (('fernet_setup',), ('bootstrap', '--bootstrap-password', PASSWORD,
                                         '--bootstrap-public-url',
                                         'http://127.0.0.1:%d' % cluster.api_port)):
            result = cluster.run_tool('manage', 'identity', *args)
            assert result.returncode == 0, result.stdout + result.stderr
        cluster.start_control_plane()

        status, headers, body = _call(cluster, 'POST', '/identity/v3/auth/tokens',
                                      _auth('admin', PASSWORD))
        assert status == 201, body
        admin = {'X-Auth-Token': headers['X-Subject-Token']}
        assert {e['type'] for e in body['token']['catalog']} == {'identity', 'compute',
                                                                 'image'}
        # Errors raised in conductor come back as the right answers.
        assert _call(cluster, 'POST', '/identity/v3/auth/tokens',
                     _auth('nobody', 'x'))[0] == 401
        assert _call(cluster, 'POST', '/identity/v3/auth/tokens',
                     _auth('admin', 'wrong'))[0] == 401
        status, _h, body = _call(cluster, 'GET', '/identity/v3/users/nope', headers=admin)
        assert status == 404 and body['error']['message'] == 'Could not find user: nope.'
        status, _h, body = _call(cluster, 'POST', '/identity/v3/projects',
                                 {'project': {'name': 'admin'}}, headers=admin)
        assert status == 409

        status, _h, body = _call(cluster, 'POST', '/identity/v3/projects',
                                 {'project': {'name': 'p1'}}, headers=admin)
        project = body['project']
        status, _h, body = _call(cluster, 'POST', '/identity/v3/users', {'user': {
            'name': 'alice', 'password': 'alice-pw', 'email': 'a@example.org'}},
            headers=admin)
        user = body['user']
        status, _h, body = _call(cluster, 'GET', '/identity/v3/roles?name=member',
                                 headers=admin)
        member = body['roles'][0]
        assert _call(cluster, 'PUT', '/identity/v3/projects/%s/users/%s/roles/%s' % (
            project['id'], user['id'], member['id']), headers=admin)[0] == 204

        status, headers, body = _call(cluster, 'POST', '/identity/v3/auth/tokens',
                                      _auth('alice', 'alice-pw', 'p1'))
        assert status == 201, body
        alice = {'X-Auth-Token': headers['X-Subject-Token']}
        assert _call(cluster, 'GET', '/v2.1/servers', headers=alice)[:3:2] == (
            200, {'servers': []})
        assert _call(cluster, 'GET', '/v2.1/os-services', headers=alice)[0] == 403
        assert _call(cluster, 'GET', '/v2.1/os-services', headers=admin)[0] == 200
        assert _call(cluster, 'DELETE', '/identity/v3/auth/tokens',
                     headers=dict(admin, **{'X-Subject-Token': alice['X-Auth-Token']}))[0] \
            == 204
        assert _call(cluster, 'GET', '/v2.1/servers', headers=alice)[0] == 401
        assert 'Traceback' not in cluster.log('api')
        assert 'Traceback' not in cluster.log('conductor')


OPENSTACK = shutil.which('openstack', path=os.path.dirname(sys.executable)) or \
    shutil.which('openstack')


@pytest.mark.skipif(OPENSTACK is None, reason='python-openstackclient is not installed')
def test_openstack_cli_with_password_auth_on_separate_daemons(backend, tmp_path):
    """The unmodified openstack CLI, authenticating with a password against the built-in
    identity of a distributed nova (nova-api without a database), drives a server's life."""
    with cluster_mod.running_cluster(
            backend, extra={'api': {'auth_strategy': 'local'},
                            'identity': {'password_hash_rounds': 4}}) as cluster:
        for args in (('fernet_setup',), ('bootstrap', '--bootstrap-password', PASSWORD,
                                         '--bootstrap-public-url',
                                         'http://127.0.0.1:%d' % cluster.api_port)):
            result = cluster.run_tool('manage', 'identity', *args)
            assert result.returncode == 0, result.stdout + result.stderr
        cluster.start_control_plane()
        env = {key: value for key, value in os.environ.items() if not key.startswith('OS_')}
        env.update(OS_AUTH_URL='http://127.0.0.1:%d/identity' % cluster.api_port,
                   OS_USERNAME='admin', OS_PASSWORD=PASSWORD, OS_PROJECT_NAME='admin',
                   OS_USER_DOMAIN_NAME='Default', OS_PROJECT_DOMAIN_NAME='Default',
                   OS_IDENTITY_API_VERSION='3')

        def openstack(*args):
            result = subprocess.run([OPENSTACK, *args, '-f', 'json'], env=env,
                                    capture_output=True, text=True, timeout=180)
            assert result.returncode == 0, ' '.join(args) + result.stdout + result.stderr
            return json.loads(result.stdout) if result.stdout.strip() else None

        openstack('flavor', 'create', 'a1.tiny', '--id', 'auto', '--ram', '64', '--disk',
                  '1', '--vcpus', '1')
        image_file = tmp_path / 'cirros.img'
        image_file.write_bytes(b'\0' * 1024 + b'distributed')
        image = openstack('image', 'create', 'cirros', '--file', str(image_file),
                          '--disk-format', 'raw', '--container-format', 'bare')
        assert image['status'] == 'active'
        server = openstack('server', 'create', '--flavor', 'a1.tiny', '--image', 'cirros',
                           '--nic', 'none', '--wait', 'vm1')
        assert server['status'] == 'ACTIVE', server
        listed = openstack('server', 'list')
        assert [(s['Name'], s['Status'], s['Image']) for s in listed] == [
            ('vm1', 'ACTIVE', 'cirros')]
        assert openstack('server', 'show', 'vm1')['OS-EXT-SRV-ATTR:host'] == 'compute1'
        result = subprocess.run([OPENSTACK, 'server', 'delete', '--wait', 'vm1'], env=env,
                                capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stdout + result.stderr
        assert openstack('server', 'list') == []
        assert 'Traceback' not in cluster.log('api')
