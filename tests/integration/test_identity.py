"""The built-in identity service with separate daemons: nova-api has no database, so every
identity lookup crosses RabbitMQ to nova-conductor (records, errors and all)."""

import json
import urllib.error
import urllib.request

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
