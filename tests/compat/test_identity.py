"""The real identity clients against a nova-all process with auth_strategy = local,
bootstrapped with nova-manage: keystoneauth1 sessions (the library every OpenStack client
authenticates with) and tempest.lib (its token client, the identity v3 admin clients its
dynamic credentials use, and the Compute client with its response schemas)."""

import os
import subprocess
import sys

import pytest

from tests.integration import cluster as cluster_mod

ksa_session = pytest.importorskip('keystoneauth1.session')
ksa_v3 = pytest.importorskip('keystoneauth1.identity.v3')
ksa_exceptions = pytest.importorskip('keystoneauth1.exceptions')

ADMIN_PASSWORD = 'compat-admin-secret'


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp('nova-all-local'))
    nova = cluster_mod.NovaAll(workdir)
    values = dict(nova.conf_values)
    values['api'] = {'auth_strategy': 'local'}
    # nova-manage needs to know the databases nova-all makes by default.
    values['database'] = {'connection': 'sqlite:///%s/nova.sqlite' % workdir}
    values['api_database'] = {'connection': 'sqlite:///%s/nova_api.sqlite' % workdir}
    cluster_mod.write_config(nova.conf, values)

    def manage(*args):
        result = subprocess.run(
            [sys.executable, '-m', 'nova.cmd.manage', '--config-file', nova.conf, *args],
            cwd=cluster_mod.REPO, capture_output=True, text=True, timeout=120,
            env=dict(os.environ, OS_BOOTSTRAP_PASSWORD=ADMIN_PASSWORD))
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage('api_db', 'sync')
    manage('db', 'sync')
    made = manage('identity', 'bootstrap', '--bootstrap-public-url', nova.url)
    assert 'Created user admin' in made
    assert 'nothing changed' in manage('identity', 'bootstrap', '--bootstrap-public-url',
                                       nova.url)
    nova.start()
    yield nova
    assert nova.stop() == 0, nova.log()
    assert 'Traceback' not in nova.log(), nova.log()


def _session(cloud, username='admin', password=ADMIN_PASSWORD, project_name='admin'):
    auth = ksa_v3.Password(auth_url=cloud.url + '/identity', username=username,
                           password=password, project_name=project_name,
                           user_domain_name='Default', project_domain_name='Default')
    return ksa_session.Session(auth=auth)


COMPUTE = {'service_type': 'compute', 'interface': 'public'}


# -- keystoneauth1 -------------------------------------------------------------------------

def test_keystoneauth_password_session_reaches_the_compute_api(cloud):
    session = _session(cloud)
    token = session.get_token()
    assert token and ':' not in token
    assert session.get_endpoint(**COMPUTE) == cloud.url + '/v2.1'
    assert session.get_endpoint(service_type='image', interface='public') == \
        cloud.url + '/image'
    assert session.get_project_id() == session.auth.get_access(session).project_id
    resp = session.get('/servers', endpoint_filter=COMPUTE)
    assert resp.status_code == 200 and resp.json() == {'servers': []}
    resp = session.get('/os-services', endpoint_filter=COMPUTE)
    assert resp.status_code == 200  # the admin role makes an administrator
    access = session.auth.get_access(session)
    assert set(access.role_names) == {'admin', 'member', 'reader'}
    assert access.user_domain_name == 'Default' and access.project_name == 'admin'


def test_keystoneauth_wrong_password(cloud):
    with pytest.raises(ksa_exceptions.Unauthorized):
        _session(cloud, password='wrong').get_token()


def test_keystoneauth_application_credential(cloud):
    session = _session(cloud)
    access = session.auth.get_access(session)
    # The catalog has the unversioned identity URL: asking for v3 makes keystoneauth
    # discover it from the version document.
    resp = session.post('/users/%s/application_credentials' % access.user_id,
                        endpoint_filter={'service_type': 'identity', 'interface': 'public',
                                         'version': (3, 0)},
                        json={'application_credential': {'name': 'compat',
                                                         'roles': [{'name': 'member'}]}})
    assert resp.status_code == 201, resp.text
    app_cred = resp.json()['application_credential']
    auth = ksa_v3.ApplicationCredential(auth_url=cloud.url + '/identity',
                                        application_credential_id=app_cred['id'],
                                        application_credential_secret=app_cred['secret'])
    app_session = ksa_session.Session(auth=auth)
    access = auth.get_access(app_session)
    assert access.project_id == app_cred['project_id']
    assert 'admin' not in access.role_names and 'member' in access.role_names
    assert app_session.get('/servers', endpoint_filter=COMPUTE).status_code == 200
    # Delegated without admin: admin-only calls are refused.
    resp = app_session.get('/os-services', endpoint_filter=COMPUTE, raise_exc=False)
    assert resp.status_code == 403


def test_keystoneauth_token_plugin_rescopes(cloud):
    session = _session(cloud)
    auth = ksa_v3.Token(auth_url=cloud.url + '/identity', token=session.get_token(),
                        project_name='admin', project_domain_id='default')
    rescoped = ksa_session.Session(auth=auth)
    assert rescoped.get('/servers', endpoint_filter=COMPUTE).status_code == 200
    access = auth.get_access(rescoped)
    assert access.project_name == 'admin' and access.audit_chain_id != access.audit_id


# -- tempest.lib -----------------------------------------------------------------------------

def _tempest_credentials(username='admin', password=ADMIN_PASSWORD, project_name='admin'):
    from tempest.lib import auth
    return auth.KeystoneV3Credentials(username=username, password=password,
                                      project_name=project_name,
                                      user_domain_name='Default',
                                      project_domain_name='Default')


def _provider(cloud, credentials=None):
    from tempest.lib import auth
    provider = auth.KeystoneV3AuthProvider(credentials or _tempest_credentials(),
                                           cloud.url + '/identity/v3')
    provider.set_auth()
    return provider


def test_tempest_token_client(cloud):
    from tempest.lib import exceptions
    from tempest.lib.services.identity.v3 import token_client
    client = token_client.V3TokenClient(cloud.url + '/identity/v3')
    token, data = client.get_token(username='admin', password=ADMIN_PASSWORD,
                                   project_name='admin', auth_data=True)
    assert token and data['project']['name'] == 'admin'
    assert {entry['type'] for entry in data['catalog']} >= {'compute', 'image', 'identity'}
    with pytest.raises(exceptions.Unauthorized):
        client.get_token(username='admin', password='wrong', project_name='admin')
    body = client.auth(token=token, project_name='admin', project_domain_name='Default')
    assert body['token']['methods'][0] == 'token'


def test_tempest_identity_admin_clients(cloud):
    from tempest.lib import exceptions
    from tempest.lib.services.identity.v3 import domains_client
    from tempest.lib.services.identity.v3 import projects_client
    from tempest.lib.services.identity.v3 import roles_client
    from tempest.lib.services.identity.v3 import users_client
    provider = _provider(cloud)
    args = (provider, 'identity', 'RegionOne')
    domains = domains_client.DomainsClient(*args)
    projects = projects_client.ProjectsClient(*args)
    users = users_client.UsersClient(*args)
    roles = roles_client.RolesClient(*args)

    [default] = domains.list_domains(name='Default')['domains']
    project = projects.create_project(name='tempest-p', description='made by tempest',
                                      domain_id=default['id'])['project']
    assert projects.show_project(project['id'])['project']['name'] == 'tempest-p'
    user = users.create_user(name='tempest-u', password='tempest-pw', email='t@example.org',
                             domain_id=default['id'], project_id=project['id'])['user']
    assert users.show_user(user['id'])['user']['email'] == 't@example.org'
    member = [r for r in roles.list_roles()['roles'] if r['name'] == 'member'][0]
    roles.create_user_role_on_project(project['id'], user['id'], member['id'])
    roles.check_user_role_existence_on_project(project['id'], user['id'], member['id'])
    listed = roles.list_user_roles_on_project(project['id'], user['id'])['roles']
    assert [r['name'] for r in listed] == ['member']
    assert [p['id'] for p in users.list_user_projects(user['id'])['projects']] == \
        [project['id']]

    # The new user works through the Compute API, with tempest's schemas checked.
    user_provider = _provider(cloud, _tempest_credentials('tempest-u', 'tempest-pw',
                                                          'tempest-p'))
    from tempest.lib.services.compute import servers_client
    servers = servers_client.ServersClient(user_provider, 'compute', 'RegionOne')
    assert servers.list_servers()['servers'] == []
    users.update_user_password(user['id'], password='tempest-pw2',
                               original_password='tempest-pw')
    with pytest.raises(exceptions.Unauthorized):
        servers.list_servers()  # the password change revoked the token

    roles.delete_role_from_user_on_project(project['id'], user['id'], member['id'])
    with pytest.raises(exceptions.NotFound):
        roles.check_user_role_existence_on_project(project['id'], user['id'], member['id'])
    users.delete_user(user['id'])
    projects.delete_project(project['id'])
    with pytest.raises(exceptions.NotFound):
        projects.show_project(project['id'])


def _register_tempest_service_clients():
    """What tempest's own configuration does at start: put its service clients in the
    registry tempest.lib's ServiceClients (used by dynamic credentials) builds from."""
    from tempest.lib.services import clients
    registry = clients.ClientsRegistry()
    if '__tempest__' in registry.get_service_clients():
        return
    registry.register_service_client('__tempest__', [
        {'name': name.replace('.', '_').replace('-', '_'), 'service_version': name,
         'module_path': module.__name__, 'client_names': module.__all__,
         'service': name.split('.')[0], 'region': 'RegionOne', 'endpoint_type': 'public'}
        for name, module in clients.tempest_modules().items()])


def test_tempest_dynamic_credentials(cloud):
    from tempest.lib import auth
    from tempest.lib.common import dynamic_creds
    from tempest.lib.services.compute import servers_client
    _register_tempest_service_clients()
    admin = auth.get_credentials(cloud.url + '/identity/v3', fill_in=False,
                                 identity_version='v3', username='admin',
                                 password=ADMIN_PASSWORD, project_name='admin',
                                 user_domain_name='Default',
                                 project_domain_name='Default')
    provider = dynamic_creds.DynamicCredentialProvider(
        identity_version='v3', name='compat', admin_role='admin', admin_creds=admin,
        credentials_domain='Default', identity_uri=cloud.url + '/identity/v3',
        neutron_available=False)
    try:
        primary = provider.get_primary_creds()
        admin_creds = provider.get_admin_creds()
        assert primary.project_id != admin_creds.project_id
        primary_auth = auth.KeystoneV3AuthProvider(primary.credentials,
                                                   cloud.url + '/identity/v3')
        servers = servers_client.ServersClient(primary_auth, 'compute', 'RegionOne')
        assert servers.list_servers(detail=True)['servers'] == []
    finally:
        provider.clear_creds()
