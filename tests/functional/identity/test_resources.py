"""Identity resources over real HTTP against nova-all: domains, projects, users, roles and
grants, role assignments, the catalog, application and EC2 credentials, and who may do what."""

import datetime

from oslo_utils import timeutils

from tests.functional.identity.conftest import ADMIN_PASSWORD


def _ids(items):
    return sorted(item['id'] for item in items)


def test_domain_lifecycle(cloud):
    domain = cloud.create('domains', {'domain': {'name': 'edge', 'description': 'd'}})
    assert domain['enabled'] is True and domain['links']['self'].endswith(domain['id'])
    status, _h, body = cloud.identity('GET', '/domains?name=edge')
    assert [d['id'] for d in body['domains']] == [domain['id']]
    status, _h, body = cloud.identity('POST', '/domains', {'domain': {'name': 'edge'}})
    assert status == 409 and body['error']['title'] == 'Conflict'
    project = cloud.create('projects', {'project': {'name': 'p', 'domain_id': domain['id']}})
    # An enabled domain cannot be deleted.
    status, _h, body = cloud.identity('DELETE', '/domains/%s' % domain['id'])
    assert status == 403
    status, _h, body = cloud.identity('PATCH', '/domains/%s' % domain['id'],
                                      {'domain': {'enabled': False}})
    assert status == 200 and body['domain']['enabled'] is False
    assert cloud.identity('DELETE', '/domains/%s' % domain['id'])[0] == 204
    assert cloud.identity('GET', '/domains/%s' % domain['id'])[0] == 404
    assert cloud.identity('GET', '/projects/%s' % project['id'])[0] == 404


def test_project_lifecycle(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1', 'description': 'first',
                                                    'tags': []}})
    assert project['domain_id'] == 'default' and project['parent_id'] == 'default'
    assert project['is_domain'] is False and project['enabled'] is True
    status, _h, body = cloud.identity('POST', '/projects', {'project': {'name': 'p1'}})
    assert status == 409
    # The same name in another domain is fine.
    domain = cloud.create('domains', {'domain': {'name': 'other'}})
    cloud.create('projects', {'project': {'name': 'p1', 'domain_id': domain['id']}})
    status, _h, body = cloud.identity('GET', '/projects?domain_id=default')
    assert sorted(p['name'] for p in body['projects']) == ['admin', 'p1']
    status, _h, body = cloud.identity('GET', '/projects?name=p1')
    assert len(body['projects']) == 2
    status, _h, body = cloud.identity('PATCH', '/projects/%s' % project['id'],
                                      {'project': {'description': 'renamed', 'name': 'p9'}})
    assert status == 200 and (body['project']['name'], body['project']['description']) == (
        'p9', 'renamed')
    status, _h, body = cloud.identity('POST', '/projects', {'project': {
        'name': 'px', 'domain_id': 'no-such-domain'}})
    assert status == 404
    status, _h, body = cloud.identity('POST', '/projects', {'project': {'name': ''}})
    assert status == 400
    assert cloud.identity('DELETE', '/projects/%s' % project['id'])[0] == 204
    assert cloud.identity('DELETE', '/projects/%s' % project['id'])[0] == 404


def test_user_lifecycle_never_shows_passwords(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    status, _h, body = cloud.identity('POST', '/users', {'user': {
        'name': 'alice', 'password': 'sekret-pw', 'email': 'alice@example.org',
        'default_project_id': project['id']}})
    assert status == 201
    user = body['user']
    assert user['email'] == 'alice@example.org' and user['domain_id'] == 'default'
    assert user['default_project_id'] == project['id']
    assert 'password' not in user and 'password_hash' not in user
    status, _h, body = cloud.identity('GET', '/users?name=alice')
    assert [u['id'] for u in body['users']] == [user['id']]
    assert 'sekret-pw' not in str(body) and 'scrypt' not in str(body)
    status, _h, body = cloud.identity('POST', '/users', {'user': {'name': 'alice'}})
    assert status == 409
    status, _h, body = cloud.identity('PATCH', '/users/%s' % user['id'],
                                      {'user': {'email': 'new@example.org'}})
    assert body['user']['email'] == 'new@example.org'
    # An admin may set a password.
    status, _h, body = cloud.identity('PATCH', '/users/%s' % user['id'],
                                      {'user': {'password': 'other-pw'}})
    assert status == 200
    cloud.grant(project['id'], user['id'], 'member')
    assert cloud.token('alice', 'other-pw', project='p1')
    # A user with no password cannot authenticate by password at all.
    cloud.create('users', {'user': {'name': 'nopw'}})
    assert cloud.authenticate(cloud.password_auth('nopw', ''))[0] == 401


def test_roles_and_grants(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    user = cloud.new_user('alice')
    role = cloud.create('roles', {'role': {'name': 'observer'}})
    status, _h, body = cloud.identity('POST', '/roles', {'role': {'name': 'observer'}})
    assert status == 409
    grant_url = '/projects/%s/users/%s/roles/%s' % (project['id'], user['id'], role['id'])
    assert cloud.identity('HEAD', grant_url)[0] == 404
    assert cloud.identity('GET', grant_url)[0] == 404
    assert cloud.identity('PUT', grant_url)[0] == 204
    assert cloud.identity('PUT', grant_url)[0] == 204  # granting twice is fine
    assert cloud.identity('HEAD', grant_url)[0] == 204
    status, _h, body = cloud.identity('GET', '/projects/%s/users/%s/roles'
                                      % (project['id'], user['id']))
    assert [r['name'] for r in body['roles']] == ['observer']
    for bad in ('/projects/nope/users/%s/roles/%s' % (user['id'], role['id']),
                '/projects/%s/users/nope/roles/%s' % (project['id'], role['id']),
                '/projects/%s/users/%s/roles/nope' % (project['id'], user['id'])):
        status, _h, body = cloud.identity('PUT', bad)
        assert status == 404 and body['error']['message'].startswith('Could not find')
    assert cloud.identity('DELETE', grant_url)[0] == 204
    assert cloud.identity('DELETE', grant_url)[0] == 404
    # Deleting a role removes its grants.
    cloud.identity('PUT', grant_url)
    assert cloud.identity('DELETE', '/roles/%s' % role['id'])[0] == 204
    status, _h, body = cloud.identity('GET', '/role_assignments?user.id=%s' % user['id'])
    assert body['role_assignments'] == []


def test_role_assignments_filters(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    alice = cloud.new_user('alice', project_id=project['id'], role='admin')
    bob = cloud.new_user('bob', project_id=project['id'], role='reader')
    status, _h, body = cloud.identity('GET', '/role_assignments?scope.project.id=%s'
                                      % project['id'])
    assert status == 200
    found = {(a['user']['id'], a['role']['id']) for a in body['role_assignments']}
    roles = cloud.admin['roles']
    assert found == {(alice['id'], roles['admin']['id']), (bob['id'], roles['reader']['id'])}
    assignment = [a for a in body['role_assignments'] if a['user']['id'] == bob['id']][0]
    assert assignment['scope'] == {'project': {'id': project['id']}}
    assert assignment['links']['assignment'].endswith(
        '/v3/projects/%s/users/%s/roles/%s' % (project['id'], bob['id'],
                                               roles['reader']['id']))
    status, _h, body = cloud.identity('GET', '/role_assignments?user.id=%s&effective'
                                      % alice['id'])
    assert sorted(a['role']['id'] for a in body['role_assignments']) == sorted(
        roles[name]['id'] for name in ('admin', 'member', 'reader'))
    status, _h, body = cloud.identity('GET', '/role_assignments?role.id=%s&include_names'
                                      % roles['reader']['id'])
    [named] = body['role_assignments']
    assert named['user'] == {'id': bob['id'], 'name': 'bob',
                             'domain': {'id': 'default', 'name': 'Default'}}
    assert named['role']['name'] == 'reader'
    assert named['scope']['project']['name'] == 'p1'
    status, _h, body = cloud.identity('GET', '/role_assignments?effective&role.id=%s'
                                      % roles['reader']['id'])
    assert {a['user']['id'] for a in body['role_assignments']} >= {alice['id'], bob['id']}
    status, _h, body = cloud.identity('GET', '/role_assignments?scope.domain.id=default')
    assert body['role_assignments'] == []


def test_only_admins_manage_identity(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    alice = cloud.new_user('alice', project_id=project['id'])
    bob = cloud.new_user('bob', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    for method, path, body in (
            ('GET', '/users', None), ('POST', '/users', {'user': {'name': 'x'}}),
            ('GET', '/users/%s' % bob['id'], None),
            ('PATCH', '/users/%s' % bob['id'], {'user': {'enabled': False}}),
            ('DELETE', '/users/%s' % bob['id'], None),
            ('GET', '/projects', None), ('POST', '/projects', {'project': {'name': 'x'}}),
            ('DELETE', '/projects/%s' % project['id'], None),
            ('GET', '/domains', None), ('POST', '/domains', {'domain': {'name': 'x'}}),
            ('GET', '/roles', None), ('POST', '/roles', {'role': {'name': 'x'}}),
            ('PUT', '/projects/%s/users/%s/roles/%s' % (
                project['id'], alice['id'], cloud.admin['roles']['admin']['id']), None),
            ('GET', '/role_assignments', None), ('GET', '/services', None),
            ('POST', '/endpoints', {'endpoint': {'service_id': 'x', 'interface': 'public',
                                                 'url': 'http://x'}}),
            ('GET', '/users/%s/credentials/OS-EC2' % bob['id'], None)):
        status, _h, resp = cloud.identity(method, path, body, token=token)
        assert status == 403, (method, path, resp)
        assert resp['error']['title'] == 'Forbidden'
    # Nothing changed, and what is one's own is readable.
    assert cloud.identity('GET', '/users/%s' % bob['id'])[2]['user']['enabled'] is True
    assert cloud.identity('GET', '/users/%s' % alice['id'], token=token)[0] == 200
    status, _h, body = cloud.identity('GET', '/users/%s/projects' % alice['id'], token=token)
    assert [p['name'] for p in body['projects']] == ['p1']
    assert cloud.identity('GET', '/domains/default', token=token)[0] == 200
    # Without a token at all: 401.
    status, _h, body = cloud.request('GET', '/identity/v3/users')
    assert status == 401


def test_catalog_follows_services_and_endpoints(cloud):
    service = cloud.create('services', {'service': {'type': 'network', 'name': 'neutron'}})
    endpoint = cloud.create('endpoints', {'endpoint': {
        'service_id': service['id'], 'interface': 'public', 'region_id': 'RegionOne',
        'url': 'http://net.example:9696'}})
    assert endpoint['region'] == 'RegionOne' and endpoint['enabled'] is True
    status, _h, body = cloud.identity('POST', '/endpoints', {'endpoint': {
        'service_id': service['id'], 'interface': 'sideways', 'url': 'http://x'}})
    assert status == 400
    status, _h, body = cloud.identity('POST', '/endpoints', {'endpoint': {
        'service_id': 'nope', 'interface': 'public', 'url': 'http://x'}})
    assert status == 404

    def catalog_types():
        _s, _token, body = cloud.authenticate(cloud.password_auth('admin', ADMIN_PASSWORD,
                                                                  project='admin'))
        return {entry['type']: entry for entry in body['token']['catalog']}

    assert catalog_types()['network']['endpoints'][0]['url'] == 'http://net.example:9696'
    cloud.identity('PATCH', '/endpoints/%s' % endpoint['id'],
                   {'endpoint': {'enabled': False}})
    assert catalog_types()['network']['endpoints'] == []
    status, _h, body = cloud.identity('GET', '/endpoints?service_id=%s' % service['id'])
    assert [e['id'] for e in body['endpoints']] == [endpoint['id']]
    status, _h, body = cloud.identity('GET', '/services?type=compute')
    assert [s['name'] for s in body['services']] == ['nova']
    assert cloud.identity('DELETE', '/services/%s' % service['id'])[0] == 204
    assert 'network' not in catalog_types()
    assert cloud.identity('GET', '/endpoints/%s' % endpoint['id'])[0] == 404


def test_application_credentials(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    user = cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    path = '/users/%s/application_credentials' % user['id']
    status, _h, body = cloud.identity('POST', path, {'application_credential': {
        'name': 'ci'}}, token=token)
    assert status == 201, body
    app_cred = body['application_credential']
    secret = app_cred['secret']
    assert app_cred['project_id'] == project['id']
    assert {r['name'] for r in app_cred['roles']} == {'member', 'reader'}
    status, _h, body = cloud.identity('GET', path, token=token)
    assert [a['id'] for a in body['application_credentials']] == [app_cred['id']]
    assert 'secret' not in body['application_credentials'][0]
    status, _h, body = cloud.identity('POST', path, {'application_credential': {
        'name': 'ci'}}, token=token)
    assert status == 409
    # Roles the token does not carry cannot be delegated.
    status, _h, body = cloud.identity('POST', path, {'application_credential': {
        'name': 'too-much', 'roles': [{'name': 'admin'}]}}, token=token)
    assert status == 403
    # Nor can anyone create one for another user.
    status, _h, body = cloud.identity('POST', '/users/%s/application_credentials'
                                      % cloud.admin['user']['id'],
                                      {'application_credential': {'name': 'x'}}, token=token)
    assert status == 403

    by_id = {'auth': {'identity': {'methods': ['application_credential'],
                                   'application_credential': {'id': app_cred['id'],
                                                              'secret': secret}}}}
    status, app_token, body = cloud.authenticate(by_id)
    assert status == 201, body
    assert body['token']['methods'] == ['application_credential']
    assert body['token']['project']['id'] == project['id']
    assert body['token']['application_credential']['id'] == app_cred['id']
    assert cloud.request('GET', '/v2.1/servers', token=app_token)[0] == 200
    by_name = {'auth': {'identity': {'methods': ['application_credential'],
                                     'application_credential': {
                                         'name': 'ci', 'secret': secret,
                                         'user': {'name': 'alice',
                                                  'domain': {'name': 'Default'}}}}}}
    assert cloud.authenticate(by_name)[0] == 201
    wrong = {'auth': {'identity': {'methods': ['application_credential'],
                                   'application_credential': {'id': app_cred['id'],
                                                              'secret': 'wrong'}}}}
    assert cloud.authenticate(wrong)[0] == 401
    scoped = {'auth': dict(by_id['auth'], scope={'project': {'id': project['id']}})}
    assert cloud.authenticate(scoped)[0] == 401
    # A token made from an application credential cannot be rescoped.
    status, _token, _body = cloud.authenticate({'auth': {
        'identity': {'methods': ['token'], 'token': {'id': app_token}},
        'scope': {'project': {'id': project['id']}}}})
    assert status == 403
    assert cloud.identity('DELETE', '%s/%s' % (path, app_cred['id']), token=token)[0] == 204
    assert cloud.authenticate(by_id)[0] == 401
    assert cloud.request('GET', '/v2.1/servers', token=app_token)[0] == 401


def test_application_credential_expiry(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    user = cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    path = '/users/%s/application_credentials' % user['id']
    past = (timeutils.utcnow() - datetime.timedelta(hours=1)).isoformat()
    status, _h, body = cloud.identity('POST', path, {'application_credential': {
        'name': 'old', 'expires_at': past}}, token=token)
    assert status == 400
    soon = timeutils.utcnow() + datetime.timedelta(minutes=10)
    status, _h, body = cloud.identity('POST', path, {'application_credential': {
        'name': 'soon', 'expires_at': soon.isoformat(), 'secret': 'my-secret'}},
        token=token)
    assert status == 201 and body['application_credential']['secret'] == 'my-secret'
    status, _token, body = cloud.authenticate({'auth': {'identity': {
        'methods': ['application_credential'],
        'application_credential': {'id': body['application_credential']['id'],
                                   'secret': 'my-secret'}}}})
    assert status == 201
    # The token lives no longer than the credential.
    assert body['token']['expires_at'] <= soon.strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def test_ec2_credentials(cloud):
    project = cloud.create('projects', {'project': {'name': 'p1'}})
    other = cloud.create('projects', {'project': {'name': 'p2'}})
    user = cloud.new_user('alice', project_id=project['id'])
    token = cloud.token('alice', 'pw-alice', project='p1')
    path = '/users/%s/credentials/OS-EC2' % user['id']
    status, _h, body = cloud.identity('POST', path, {'tenant_id': project['id']}, token=token)
    assert status == 201, body
    credential = body['credential']
    assert credential['user_id'] == user['id'] and credential['tenant_id'] == project['id']
    assert len(credential['access']) == 32 and len(credential['secret']) == 32
    assert credential['trust_id'] is None
    assert credential['links']['self'].endswith('%s/%s' % (path, credential['access']))
    # Not for a project the user has no role on.
    status, _h, body = cloud.identity('POST', path, {'tenant_id': other['id']}, token=token)
    assert status == 403
    status, _h, body = cloud.identity('POST', path, {'tenant_id': 'nope'}, token=token)
    assert status == 404
    status, _h, body = cloud.identity('POST', path, {}, token=token)
    assert status == 400
    status, _h, body = cloud.identity('GET', path, token=token)
    assert [c['access'] for c in body['credentials']] == [credential['access']]
    status, _h, body = cloud.identity('GET', '%s/%s' % (path, credential['access']),
                                      token=token)
    assert body['credential']['secret'] == credential['secret']
    # The admin can manage them too; another user cannot see them.
    assert cloud.identity('GET', path)[0] == 200
    cloud.new_user('bob', project_id=project['id'])
    bob = cloud.token('bob', 'pw-bob', project='p1')
    assert cloud.identity('GET', path, token=bob)[0] == 403
    assert cloud.identity('GET', '%s/%s' % (path, credential['access']), token=bob)[0] == 403
    assert cloud.identity('DELETE', '%s/%s' % (path, credential['access']),
                          token=token)[0] == 204
    assert cloud.identity('GET', '%s/%s' % (path, credential['access']),
                          token=token)[0] == 404


def test_method_not_allowed_and_unknown_paths(cloud):
    status, headers, body = cloud.identity('PUT', '/users')
    assert status == 405 and 'POST' in headers['Allow']
    assert body['error']['code'] == 405
    status, _h, body = cloud.identity('GET', '/no-such-thing')
    assert status == 404 and body['error']['title'] == 'Not Found'


def test_bootstrap_is_idempotent_and_resets_the_password(cloud):
    from nova import context as nova_context
    from nova.identity import bootstrap
    run = bootstrap.Bootstrap(nova_context.get_admin_context())
    again = run.run(ADMIN_PASSWORD, public_url=cloud.nova.url)
    assert run.report == []
    assert again['user']['id'] == cloud.admin['user']['id']
    run = bootstrap.Bootstrap(nova_context.get_admin_context())
    run.run('new-admin-password', public_url=cloud.nova.url)
    assert run.report == ['Updated user admin (password reset)']
    assert cloud.authenticate(cloud.password_auth('admin', ADMIN_PASSWORD))[0] == 401
    assert cloud.token('admin', 'new-admin-password', project='admin')
    status, _h, body = cloud.identity('GET', '/services',
                                      token=cloud.token('admin', 'new-admin-password',
                                                        project='admin'))
    assert sorted(s['type'] for s in body['services']) == ['compute', 'identity', 'image']
