"""nova-all in this process with auth_strategy = local, bootstrapped: an admin and a catalog
pointing at the running API."""

import pytest

from nova import context as nova_context
from nova.identity import bootstrap
from tests.functional.conftest import nova_all_in_process

ADMIN_PASSWORD = 'bootstrap-secret'


class Cloud:
    """The running nova-all and helpers speaking its identity API."""

    def __init__(self, nova, admin):
        self.nova = nova
        self.admin = admin  # what bootstrap made
        self.admin_token = self.token('admin', ADMIN_PASSWORD, project='admin')

    def request(self, method, path, body=None, token=None, headers=None, version=None):
        return self.nova.request(method, path, body=body, token=token, headers=headers,
                                 version=version)

    def identity(self, method, path, body=None, token=None, headers=None):
        """A request below /identity/v3 as the admin unless ``token`` is given."""
        return self.request(method, '/identity/v3' + path, body=body,
                            token=token or self.admin_token, headers=headers)

    @staticmethod
    def password_auth(username, password, project=None, domain=None, user_domain='Default',
                      project_domain='Default'):
        auth = {'identity': {'methods': ['password'], 'password': {'user': {
            'name': username, 'domain': {'name': user_domain}, 'password': password}}}}
        if project is not None:
            auth['scope'] = {'project': {'name': project, 'domain': {'name': project_domain}}}
        elif domain is not None:
            auth['scope'] = {'domain': {'name': domain}}
        return {'auth': auth}

    def authenticate(self, body):
        """(status, X-Subject-Token, body) of POST /v3/auth/tokens."""
        status, headers, resp = self.request('POST', '/identity/v3/auth/tokens', body=body)
        return status, headers.get('X-Subject-Token'), resp

    def token(self, username, password, **scope):
        status, token, body = self.authenticate(self.password_auth(username, password,
                                                                    **scope))
        assert status == 201, body
        return token

    def create(self, collection, body):
        status, _headers, resp = self.identity('POST', '/' + collection, body)
        assert status == 201, resp
        return next(iter(resp.values()))

    def grant(self, project_id, user_id, role_name):
        role = self.admin['roles'][role_name]
        status, _headers, body = self.identity(
            'PUT', '/projects/%s/users/%s/roles/%s' % (project_id, user_id, role['id']))
        assert status == 204, body

    def new_user(self, name, password='pw-%s', project_id=None, role='member'):
        """A user of the Default domain with ``role`` on ``project_id`` (if given)."""
        user = self.create('users', {'user': {'name': name, 'password': password % name,
                                              'domain_id': 'default'}})
        if project_id is not None:
            self.grant(project_id, user['id'], role)
        return user


@pytest.fixture
def cloud(conf, tmp_path):
    conf.set_override('auth_strategy', 'local', group='api')
    conf.set_override('password_hash_rounds', 4, group='identity')  # fast tests
    with nova_all_in_process(conf, tmp_path, report_interval=1) as nova:
        admin = bootstrap.Bootstrap(nova_context.get_admin_context()).run(
            ADMIN_PASSWORD, public_url=nova.url)
        yield Cloud(nova, admin)
