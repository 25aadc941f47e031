"""Tokens over real HTTP against nova-all: issue, scope, validate, revoke, and their use on
the Compute API with auth_strategy = local."""

import datetime

from oslo_utils import timeutils
import pytest

from nova.identity import tokens
from tests.functional.identity.conftest import ADMIN_PASSWORD


def _unauthorized(status, headers, body):
    assert status == 401, body
    assert body['error']['code'] == 401 and body['error']['title'] == 'Unauthorized'
    assert headers['WWW-Authenticate'].startswith('Keystone uri="http://127.0.0.1:')


# -- discovery -----------------------------------------------------------------------------

def test_version_documents(cloud):
    status, _headers, body = cloud.request('GET', '/identity')
    assert status == 300
    [v3] = body['versions']['values']
    assert v3['id'].startswith('v3.') and v3['status'] == 'stable'
    assert v3['links'] == [{'rel': 'self', 'href': cloud.nova.url + '/identity/v3/'}]
    assert v3['media-types'][0]['type'] == 'application/vnd.openstack.identity-v3+json'
    status, _headers, body = cloud.request('GET', '/identity/v3')
    assert (status, body['version']) == (200, v3)
    status, _headers, body = cloud.request('GET', '/identity/v3/')
    assert status == 200


# -- issuing -------------------------------------------------------------------------------

def test_project_scoped_token_body(cloud):
    status, token, body = cloud.authenticate(cloud.password_auth('admin', ADMIN_PASSWORD,
                                                                 project='admin'))
    assert status == 201 and token
    token_body = body['token']
    assert token_body['methods'] == ['password']
    assert token_body['user']['name'] == 'admin'
    assert token_body['user']['domain'] == {'id': 'default', 'name': 'Default'}
    assert token_body['project']['name'] == 'admin'
    assert token_body['project']['domain'] == {'id': 'default', 'name': 'Default'}
    assert token_body['is_domain'] is False
    # admin implies member implies reader.
    assert sorted(r['name'] for r in token_body['roles']) == ['admin', 'member', 'reader']
    issued = tokens.parse_time(token_body['issued_at'])
    expires = tokens.parse_time(token_body['expires_at'])
    assert expires - issued == datetime.timedelta(seconds=3600)
    assert len(token_body['audit_ids']) == 1
    catalog = {entry['type']: entry for entry in token_body['catalog']}
    assert set(catalog) == {'identity', 'compute', 'image'}
    [endpoint] = catalog['compute']['endpoints']
    assert endpoint['interface'] == 'public' and endpoint['region_id'] == 'RegionOne'
    assert endpoint['region'] == 'RegionOne'
    assert endpoint['url'] == cloud.nova.url + '/v2.1'
    assert catalog['identity']['endpoints'][0]['url'] == cloud.nova.url + '/identity'


def test_user_by_id_and_project_by_id(cloud):
    user_id, project_id = cloud.admin['user']['id'], cloud.admin['project']['id']
    status, _token, body = cloud.authenticate({'auth': {
        'identity': {'methods': ['password'],
                     'password': {'user': {'id': user_id, 'password': ADMIN_PASSWORD}}},
        'scope': {'project': {'id': project_id}}}})
    assert status == 201, body
    assert body['token']['project']['id'] == project_id


def test_nocatalog(cloud):
    status, _headers, body = cloud.request(
        'POST', '/identity/v3/auth/tokens?nocatalog',
        body=cloud.password_auth('admin', ADMIN_PASSWORD, project='admin'))
    assert status == 201 and 'catalog' not in body['token']


def test_unscoped_tokens(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    cloud.new_user('alice', project_id=project['id'])
    status, _token, body = cloud.authenticate(cloud.password_auth('alice', 'pw-alice'))
    assert status == 201
    assert 'project' not in body['token'] and 'roles' not in body['token']
    assert 'catalog' not in body['token']
    # The admin has a default project (bootstrap's): no scope means that one, unless the
    # request says "unscoped".
    status, _token, body = cloud.authenticate(cloud.password_auth('admin', ADMIN_PASSWORD))
    assert body['token']['project']['name'] == 'admin'
    unscoped = cloud.password_auth('admin', ADMIN_PASSWORD)
    unscoped['auth']['scope'] = 'unscoped'
    status, _token, body = cloud.authenticate(unscoped)
    assert status == 201 and 'project' not in body['token']


def test_domain_scoped_token(cloud):
    user = cloud.new_user('dora')
    role = cloud.admin['roles']['reader']
    status, _h, _b = cloud.identity('PUT', '/domains/default/users/%s/roles/%s'
                                    % (user['id'], role['id']))
    assert status == 204
    status, _token, body = cloud.authenticate(cloud.password_auth('dora', 'pw-dora',
                                                                  domain='Default'))
    assert status == 201, body
    assert body['token']['domain'] == {'id': 'default', 'name': 'Default'}
    assert [r['name'] for r in body['token']['roles']] == ['reader']
    assert 'project' not in body['token']


@pytest.mark.parametrize('auth', [
    {'user': {'name': 'admin', 'domain': {'name': 'Default'}, 'password': 'wrong'}},
    {'user': {'name': 'nobody', 'domain': {'name': 'Default'}, 'password': 'x'}},
    {'user': {'name': 'admin', 'domain': {'name': 'NoSuchDomain'}, 'password': 'x'}},
    {'user': {'id': 'f' * 32, 'password': 'x'}},
    {'user': {'name': 'admin', 'domain': {'id': 'default'}}},  # no password at all
], ids=['wrong-password', 'unknown-user', 'unknown-domain', 'unknown-id', 'no-password'])
def test_bad_credentials_are_401(cloud, auth):
    status, headers, body = cloud.request('POST', '/identity/v3/auth/tokens', body={
        'auth': {'identity': {'methods': ['password'], 'password': auth}}})
    _unauthorized(status, headers, body)
    assert 'X-Subject-Token' not in headers
    assert body['error']['message'] == 'The request you have made requires authentication.'


def test_disabled_user_or_project_cannot_authenticate(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    user = cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    status, _h, _b = cloud.identity('PATCH', '/users/%s' % user['id'],
                                    {'user': {'enabled': False}})
    assert status == 200
    status, _token, _body = cloud.authenticate(cloud.password_auth('alice', 'pw-alice'))
    assert status == 401
    status, _h, _b = cloud.identity('GET', '/auth/tokens', headers={'X-Subject-Token': token})
    assert status == 404
    cloud.identity('PATCH', '/users/%s' % user['id'], {'user': {'enabled': True}})
    cloud.identity('PATCH', '/projects/%s' % project['id'], {'project': {'enabled': False}})
    status, _token, _body = cloud.authenticate(cloud.password_auth('alice', 'pw-alice',
                                                                   project='p1'))
    assert status == 401


def test_malformed_requests_are_400(cloud):
    status, _h, body = cloud.request('POST', '/identity/v3/auth/tokens', body={'auth': {}})
    assert status == 400 and body['error']['title'] == 'Bad Request'
    assert 'identity' in body['error']['message']
    status, _h, body = cloud.request('POST', '/identity/v3/auth/tokens',
                                     body={'auth': {'identity': {'methods': ['password']}}})
    assert status == 400
    status, _h, body = cloud.request('POST', '/identity/v3/auth/tokens', body={'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': 'admin', 'password': ADMIN_PASSWORD}}}}})  # a name needs a domain
    assert status == 400 and 'domain' in body['error']['message']
    status, _h, body = cloud.request('POST', '/identity/v3/auth/tokens', body={'auth': {
        'identity': {'methods': ['totp'], 'totp': {}}}})
    assert status == 401


# -- a token is only good for its own project ------------------------------------------------

def test_scope_to_a_project_without_a_role_is_401(cloud):
    project_a = cloud.create('projects', {'project': {'name': 'pa'}})
    cloud.create('projects', {'project': {'name': 'pb'}})
    cloud.new_user('alice', project_id=project_a['id'])
    assert cloud.token('alice', 'pw-alice', project='pa')
    status, _token, body = cloud.authenticate(cloud.password_auth('alice', 'pw-alice',
                                                                  project='pb'))
    assert status == 401, body
    status, _token, body = cloud.authenticate(cloud.password_auth('alice', 'pw-alice',
                                                                  project='no-such'))
    assert status == 401


def test_token_of_project_a_against_project_b(cloud):
    project_a = cloud.create('projects', {'project': {'name': 'pa'}})
    project_b = cloud.create('projects', {'project': {'name': 'pb'}})
    cloud.new_user('alice', project_id=project_a['id'])
    token_a = cloud.token('alice', 'pw-alice', project='pa')
    status, _h, body = cloud.request('GET', '/v2.1/%s/servers' % project_a['id'],
                                     token=token_a)
    assert status == 200, body
    status, _h, body = cloud.request('GET', '/v2.1/%s/servers' % project_b['id'],
                                     token=token_a)
    assert status == 400 and 'project_id' in body['badRequest']['message']
    # Nor can the token read project B through the identity API, or rescope to it.
    status, _h, body = cloud.identity('GET', '/projects/%s' % project_b['id'],
                                      token=token_a)
    assert status == 403
    status, _h, body = cloud.identity('GET', '/projects/%s' % project_a['id'],
                                      token=token_a)
    assert status == 200
    status, _token, body = cloud.authenticate({'auth': {
        'identity': {'methods': ['token'], 'token': {'id': token_a}},
        'scope': {'project': {'id': project_b['id']}}}})
    assert status == 401


def test_compute_api_with_local_tokens(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    cloud.new_user('alice', project_id=project['id'])
    member = cloud.token('alice', 'pw-alice', project='p1')
    status, _h, body = cloud.request('GET', '/v2.1/servers', token=member)
    assert (status, body) == (200, {'servers': []})
    status, _h, body = cloud.request('GET', '/v2.1/os-services', token=member)
    assert status == 403  # admin only
    status, _h, body = cloud.request('GET', '/v2.1/os-services', token=cloud.admin_token)
    assert status == 200 and body['services']
    # The image API takes the same tokens.
    status, _h, body = cloud.request('GET', '/image/v2/images', token=member)
    assert status == 200
    # noauth2 tokens mean nothing here, nor does no token.
    for token in ('admin:admin', None):
        status, headers, body = cloud.request('GET', '/v2.1/servers', token=token)
        _unauthorized(status, headers, body)
    status, headers, body = cloud.request('GET', '/image/v2/images', token='admin:admin')
    assert status == 401
    # Discovery needs no token.
    assert cloud.request('GET', '/')[0] == 200
    assert cloud.request('GET', '/v2.1')[0] == 200


def test_compute_api_refuses_unscoped_tokens(cloud):
    unscoped = cloud.password_auth('admin', ADMIN_PASSWORD)
    unscoped['auth']['scope'] = 'unscoped'
    _status, token, _body = cloud.authenticate(unscoped)
    status, headers, body = cloud.request('GET', '/v2.1/servers', token=token)
    _unauthorized(status, headers, body)
    assert 'project-scoped' in body['error']['message']


# -- validation, rescoping, revocation -----------------------------------------------------

def test_validate_and_check(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    status, headers, body = cloud.identity('GET', '/auth/tokens',
                                           headers={'X-Subject-Token': token})
    assert status == 200 and headers['X-Subject-Token'] == token
    assert body['token']['user']['name'] == 'alice'
    assert body['token']['project']['name'] == 'p1'
    assert 'catalog' in body['token']
    # A user may validate its own token; not someone else's.
    status, _h, body = cloud.identity('GET', '/auth/tokens', token=token,
                                      headers={'X-Subject-Token': token})
    assert status == 200
    status, _h, body = cloud.identity('GET', '/auth/tokens', token=token,
                                      headers={'X-Subject-Token': cloud.admin_token})
    assert status == 403
    status, _h, _b = cloud.identity('HEAD', '/auth/tokens',
                                    headers={'X-Subject-Token': token})
    assert status == 200
    # A caller without a valid token is refused before anything is looked at.
    status, headers, body = cloud.identity('GET', '/auth/tokens', token='garbage',
                                           headers={'X-Subject-Token': token})
    _unauthorized(status, headers, body)


def test_tampered_and_expired_tokens(cloud):
    token = cloud.admin_token
    middle = len(token) // 2
    tampered = token[:middle] + ('A' if token[middle] != 'A' else 'B') + token[middle + 1:]
    payload = tokens.decode(token)
    payload.expires_at = timeutils.utcnow() - datetime.timedelta(seconds=1)
    expired = tokens.issue(payload)
    for bad in (tampered, expired, 'not-a-token', token[:-10]):
        status, _h, body = cloud.identity('GET', '/auth/tokens',
                                          headers={'X-Subject-Token': bad})
        assert status == 404, body
        assert body['error']['message'].startswith('Could not find token')
        status, _h, _b = cloud.identity('HEAD', '/auth/tokens',
                                        headers={'X-Subject-Token': bad})
        assert status == 404
        status, headers, body = cloud.request('GET', '/v2.1/servers', token=bad)
        _unauthorized(status, headers, body)
        status, headers, body = cloud.identity('GET', '/users', token=bad)
        _unauthorized(status, headers, body)


def test_revoked_token_fails_validation(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    other = cloud.token('alice', 'pw-alice', project='p1')
    assert cloud.request('GET', '/v2.1/servers', token=token)[0] == 200
    status, _h, _b = cloud.identity('DELETE', '/auth/tokens', token=token,
                                    headers={'X-Subject-Token': token})
    assert status == 204
    status, _h, _b = cloud.identity('GET', '/auth/tokens',
                                    headers={'X-Subject-Token': token})
    assert status == 404
    status, headers, body = cloud.request('GET', '/v2.1/servers', token=token)
    _unauthorized(status, headers, body)
    status, _h, _b = cloud.identity('DELETE', '/auth/tokens',
                                    headers={'X-Subject-Token': token})
    assert status == 404  # already revoked
    # Only that token: another of the same user still works.
    assert cloud.request('GET', '/v2.1/servers', token=other)[0] == 200


def test_rescoping_keeps_expiry_and_audit_chain(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    cloud.new_user('alice', project_id=project['id'])
    status, unscoped, first = cloud.authenticate(cloud.password_auth('alice', 'pw-alice'))
    status, scoped, body = cloud.authenticate({'auth': {
        'identity': {'methods': ['token'], 'token': {'id': unscoped}},
        'scope': {'project': {'name': 'p1', 'domain': {'id': 'default'}}}}})
    assert status == 201, body
    token_body = body['token']
    assert token_body['methods'] == ['token', 'password']
    assert token_body['expires_at'] == first['token']['expires_at']
    assert token_body['audit_ids'][1] == first['token']['audit_ids'][0]
    assert token_body['project']['name'] == 'p1'
    assert cloud.request('GET', '/v2.1/servers', token=scoped)[0] == 200
    # A revoked token cannot be rescoped.
    cloud.identity('DELETE', '/auth/tokens', headers={'X-Subject-Token': unscoped})
    status, _token, _body = cloud.authenticate({'auth': {
        'identity': {'methods': ['token'], 'token': {'id': unscoped}},
        'scope': {'project': {'id': project['id']}}}})
    assert status == 401


def test_password_change_revokes_tokens(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    user = cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    status, _h, _b = cloud.request('POST', '/identity/v3/users/%s/password' % user['id'],
                                   body={'user': {'original_password': 'wrong',
                                                  'password': 'new-secret'}})
    assert status == 401
    assert cloud.request('GET', '/v2.1/servers', token=token)[0] == 200
    status, _h, _b = cloud.request('POST', '/identity/v3/users/%s/password' % user['id'],
                                   body={'user': {'original_password': 'pw-alice',
                                                  'password': 'new-secret'}})
    assert status == 204
    assert cloud.request('GET', '/v2.1/servers', token=token)[0] == 401
    assert cloud.authenticate(cloud.password_auth('alice', 'pw-alice'))[0] == 401
    fresh = cloud.token('alice', 'new-secret', project='p1')
    assert cloud.request('GET', '/v2.1/servers', token=fresh)[0] == 200


def test_removed_role_or_deleted_user_ends_tokens(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    user = cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    member = cloud.admin['roles']['member']
    status, _h, _b = cloud.identity('DELETE', '/projects/%s/users/%s/roles/%s'
                                    % (project['id'], user['id'], member['id']))
    assert status == 204
    assert cloud.request('GET', '/v2.1/servers', token=token)[0] == 401
    cloud.grant(project['id'], user['id'], 'member')
    token = cloud.token('alice', 'pw-alice', project='p1')
    assert cloud.request('GET', '/v2.1/servers', token=token)[0] == 200
    assert cloud.identity('DELETE', '/users/%s' % user['id'])[0] == 204
    assert cloud.request('GET', '/v2.1/servers', token=token)[0] == 401


def test_auth_catalog_and_projects(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    cloud.create('projects', {'project': {'name': 'p2'}})
    cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    status, _h, body = cloud.identity('GET', '/auth/catalog', token=token)
    assert status == 200
    assert {entry['type'] for entry in body['catalog']} == {'identity', 'compute', 'image'}
    status, _h, body = cloud.identity('GET', '/auth/projects', token=token)
    assert [p['name'] for p in body['projects']] == ['p1']
    _status, unscoped, _body = cloud.authenticate(cloud.password_auth('alice', 'pw-alice'))
    status, _h, body = cloud.identity('GET', '/auth/projects', token=unscoped)
    assert [p['name'] for p in body['projects']] == ['p1']
    status, _h, body = cloud.identity('GET', '/auth/catalog', token=unscoped)
    assert status == 403
