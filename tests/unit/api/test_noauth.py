"""The noauth2 strategy: trust the token, hand one out to callers without."""

import webob
import webob.dec

from nova.api import auth
from nova.api import compute_req_id
from tests.unit.api.client import call


def capture_app():
    seen = {}

    @webob.dec.wsgify
    def app(req):
        seen['context'] = req.environ['nova.context']
        return webob.Response('ok')
    return app, seen


def test_without_token_hands_one_out(app):
    resp = call(app, '/v2.1/', token=None,
                headers={'X-Auth-User': 'alice', 'X-Auth-Project-Id': 'p1'})
    assert resp.status_int == 204
    assert resp.headers['X-Auth-Token'] == 'alice:p1'
    assert resp.headers['X-Server-Management-Url'] == 'http://localhost/v2.1/p1'
    assert resp.body == b''


def test_version_discovery_needs_no_token(app):
    resp = call(app, '/v2.1/', token=None)
    assert resp.status_int == 200
    assert resp.json['version']['id'] == 'v2.1'
    assert resp.json['version']['version'] == '2.104'


def test_without_anything_is_admin(app):
    resp = call(app, '/v2.1/os-services', token=None)
    assert resp.status_int == 204
    assert resp.headers['X-Auth-Token'] == 'admin:admin'
    assert resp.headers['X-Server-Management-Url'] == \
        'http://localhost/v2.1/os-services/admin'


def test_user_and_project(conf):
    inner, seen = capture_app()
    resp = call(auth.NoAuthMiddleware(inner), '/', token='alice:p1')
    assert resp.text == 'ok'
    ctx = seen['context']
    assert (ctx.user_id, ctx.project_id, ctx.is_admin) == ('alice', 'p1', False)
    assert ctx.roles == ['member', 'reader']  # what the default policy asks of a user
    # The token stays with the context (and crosses RPC with it) for calls made on the
    # caller's behalf, such as a compute host fetching an image.
    assert ctx.auth_token == 'alice:p1'
    assert ctx.from_dict(ctx.to_dict()).auth_token == 'alice:p1'


def test_user_alone_is_also_the_project(conf):
    inner, seen = capture_app()
    call(auth.NoAuthMiddleware(inner), '/', token='bob')
    assert (seen['context'].user_id, seen['context'].project_id) == ('bob', 'bob')


def test_admin_user_is_admin(conf):
    inner, seen = capture_app()
    call(auth.NoAuthMiddleware(inner), '/', token='admin:p1')
    ctx = seen['context']
    assert ctx.is_admin and ctx.roles == ['admin', 'member', 'reader']
    assert ctx.project_id == 'p1'


def test_x_roles_narrows_the_roles(conf):
    inner, seen = capture_app()
    call(auth.NoAuthMiddleware(inner), '/', token='alice:p1', headers={'X-Roles': 'reader'})
    ctx = seen['context']
    assert ctx.roles == ['reader'] and not ctx.is_admin


def test_context_carries_the_request_id(conf):
    inner, seen = capture_app()
    app = compute_req_id.ComputeReqIdMiddleware(auth.NoAuthMiddleware(inner))
    resp = call(app, '/', token='alice:p1')
    assert seen['context'].request_id == resp.headers['x-openstack-request-id']


def test_forwarded_for_only_when_configured(conf):
    inner, seen = capture_app()
    app = auth.NoAuthMiddleware(inner)
    call(app, '/', token='a:b', headers={'X-Forwarded-For': '10.1.2.3'})
    assert seen['context'].remote_address != '10.1.2.3'
    conf.set_override('use_forwarded_for', True, group='api')
    call(app, '/', token='a:b', headers={'X-Forwarded-For': '10.1.2.3'})
    assert seen['context'].remote_address == '10.1.2.3'
