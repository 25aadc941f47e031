"""The local and keystone auth strategies: their middleware, and the paste pipelines
``[api] auth_strategy`` selects."""

import sys
import types

from oslo_serialization import jsonutils
import pytest
import webob
import webob.dec

from nova import context as nova_context
from nova.api import auth
from nova.api import loader
from nova.identity import bootstrap
from nova.identity import keys
from tests.unit.api.client import call
from tests.unit.api.test_noauth import capture_app

# -- keystone: NovaKeystoneContext behind keystonemiddleware's auth_token ---------------------

CONFIRMED = {'X-Identity-Status': 'Confirmed', 'X-User-Id': 'u1', 'X-Project-Id': 'p1',
             'X-User-Name': 'alice', 'X-Project-Name': 'proj', 'X-Roles': 'member, reader',
             'X-User-Domain-Id': 'default', 'X-Project-Domain-Id': 'default'}


def test_keystone_context_from_auth_token_headers(conf):
    inner, seen = capture_app()
    catalog = [{'type': 'image', 'endpoints': []}]
    headers = dict(CONFIRMED, **{'X-Service-Catalog': jsonutils.dumps(catalog)})
    resp = call(auth.NovaKeystoneContext(inner), '/', token='tok', headers=headers)
    assert resp.text == 'ok'
    ctx = seen['context']
    assert (ctx.user_id, ctx.project_id, ctx.user_name, ctx.project_name) == (
        'u1', 'p1', 'alice', 'proj')
    assert ctx.roles == ['member', 'reader'] and ctx.is_admin is False
    assert ctx.auth_token == 'tok' and ctx.service_catalog == catalog
    assert ctx.user_domain_id == 'default'
    resp = call(auth.NovaKeystoneContext(inner), '/', token='tok',
                headers=dict(CONFIRMED, **{'X-Roles': 'admin'}))
    assert seen['context'].is_admin is True


@pytest.mark.parametrize('headers', [
    {}, dict(CONFIRMED, **{'X-Identity-Status': 'Invalid'}),
    {'X-Identity-Status': 'Confirmed'},  # no user
])
def test_keystone_context_refuses_unconfirmed_requests(conf, headers):
    inner, seen = capture_app()
    resp = call(auth.NovaKeystoneContext(inner), '/', token='tok', headers=headers)
    assert resp.status_int == 401 and 'context' not in seen
    assert resp.json['error']['code'] == 401
    assert resp.headers['WWW-Authenticate'] == 'Keystone uri="http://localhost/identity"'


def test_keystone_context_rejects_a_bad_catalog(conf):
    inner, seen = capture_app()
    resp = call(auth.NovaKeystoneContext(inner), '/', token='tok',
                headers=dict(CONFIRMED, **{'X-Service-Catalog': '{nope'}))
    assert resp.status_int == 500 and 'context' not in seen


@pytest.fixture
def fake_keystonemiddleware(monkeypatch):
    """Stands in for keystonemiddleware.auth_token (the edge: a real Keystone): the token
    "good" is confirmed as user u1 of project p1 with the admin role; others get 401."""
    calls = []

    def filter_factory(global_conf, **local_conf):
        def make(app):
            @webob.dec.wsgify
            def auth_token(req):
                calls.append(req.path)
                if req.headers.get('X-Auth-Token') != 'good':
                    return webob.Response(status=401)
                req.headers.update(dict(CONFIRMED, **{'X-Roles': 'admin'}))
                return req.get_response(app)
            return auth_token
        return make

    package = types.ModuleType('keystonemiddleware')
    module = types.ModuleType('keystonemiddleware.auth_token')
    module.filter_factory = filter_factory
    package.auth_token = module
    monkeypatch.setitem(sys.modules, 'keystonemiddleware', package)
    monkeypatch.setitem(sys.modules, 'keystonemiddleware.auth_token', module)
    return calls


def test_keystone_pipelines(database, conf, fake_keystonemiddleware):
    conf.set_override('auth_strategy', 'keystone', group='api')
    app = loader.load_app('osapi_compute')
    resp = call(app, '/v2.1/os-services', token='good')
    assert resp.status_int == 200, resp.body  # the admin role reached the handler
    assert call(app, '/v2.1/flavors', token='bad').status_int == 401
    assert call(app, '/v2/flavors', token='good').status_int == 200
    assert call(app, '/image/v2/images', token='good').status_int == 200
    assert call(app, '/image/v2/images', token='bad').status_int == 401
    assert fake_keystonemiddleware == ['/v2.1/os-services', '/v2.1/flavors', '/v2/flavors',
                                       '/image/v2/images', '/image/v2/images']
    # Discovery and the built-in identity API do not go through auth_token.
    assert call(app, '/', token=None).status_int == 200
    assert call(app, '/identity/v3', token=None).status_int == 200
    assert len(fake_keystonemiddleware) == 5


# -- local: tokens of the built-in identity service ------------------------------------------

@pytest.fixture
def local(database, conf, tmp_path):
    conf.set_override('key_repository', str(tmp_path / 'keys'), group='identity')
    conf.set_override('password_hash_rounds', 4, group='identity')
    keys.setup()
    bootstrap.Bootstrap(nova_context.get_admin_context()).run('pw',
                                                               public_url='http://localhost')


def _token(app, **scope):
    auth_body = {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'domain': {'id': 'default'}, 'password': 'pw'}}}}
    if scope:
        auth_body['scope'] = scope
    resp = call(app, '/identity/v3/auth/tokens', 'POST', body={'auth': auth_body},
                token=None)
    assert resp.status_int == 201, resp.body
    return resp.headers['X-Subject-Token']


def test_local_middleware_builds_the_context(local, conf):
    app = loader.load_app('osapi_compute')
    token = _token(app, project={'name': 'admin', 'domain': {'id': 'default'}})
    inner, seen = capture_app()
    resp = call(auth.LocalAuthMiddleware(inner), '/servers', token=token)
    assert resp.text == 'ok'
    ctx = seen['context']
    assert ctx.user_name == 'admin' and ctx.project_name == 'admin'
    assert ctx.is_admin is True and sorted(ctx.roles) == ['admin', 'member', 'reader']
    assert ctx.auth_token == token and ctx.project_domain_id == 'default'


def test_local_pipelines(local, conf):
    conf.set_override('auth_strategy', 'local', group='api')
    app = loader.load_app('osapi_compute')
    token = _token(app, project={'name': 'admin', 'domain': {'id': 'default'}})
    assert call(app, '/v2.1/os-services', token=token).status_int == 200
    assert call(app, '/v2/flavors', token=token).status_int == 200
    assert call(app, '/image/v2/images', token=token).status_int == 200
    for path in ('/v2.1/flavors', '/v2/flavors', '/image/v2/images'):
        resp = call(app, path, token='admin:admin')
        assert resp.status_int == 401
        assert resp.headers['WWW-Authenticate'] == 'Keystone uri="http://localhost/identity"'
        assert call(app, path, token=None).status_int == 401
    default_project = _token(app)  # no scope: the admin's default project
    assert call(app, '/v2.1/flavors', token=default_project).status_int == 200
    resp = call(app, '/identity/v3/auth/tokens', 'POST', token=None, body={'auth': {
        'identity': {'methods': ['token'], 'token': {'id': token}}, 'scope': 'unscoped'}})
    unscoped = resp.headers['X-Subject-Token']
    resp = call(app, '/v2.1/flavors', token=unscoped)
    assert resp.status_int == 401 and 'project-scoped' in resp.json['error']['message']
    assert call(app, '/', token=None).status_int == 200
    assert call(app, '/image', token=None).status_int == 300
