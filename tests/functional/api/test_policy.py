"""Policy, end to end through the WSGI app: one project can never see or change another's
servers, key pairs or images; a project reader may look but not change; the administrator
may do both; and an operator's policy file overrides the defaults."""

import os
import time

import pytest

from nova import policy
from tests.functional.api.test_servers import make_flavor
from tests.functional.api.test_servers import make_server
from tests.unit.api.client import call

ALICE = 'alice:p1'      # member of p1 (noauth2 gives member and reader)
ALICE_READER = {'X-Roles': 'reader'}
EVE = 'eve:p2'          # member of p2
ADMIN = 'admin:admin'


@pytest.fixture
def app(api, conf, tmp_path):
    conf.set_override('local_store_path', str(tmp_path / 'images'), group='image')
    return api


@pytest.fixture
def server(app):
    return make_server(make_flavor())


SERVER_READS = ['', '/metadata', '/metadata/role', '/tags', '/os-instance-actions']
SERVER_WRITES = [
    ('PUT', '', {'server': {'name': 'stolen'}}),
    ('POST', '/metadata', {'metadata': {'k': 'v'}}),
    ('PUT', '/metadata', {'metadata': {}}),
    ('PUT', '/metadata/role', {'meta': {'role': 'x'}}),
    ('DELETE', '/metadata/role', None),
    ('PUT', '/tags/t1', None),
    ('PUT', '/tags', {'tags': ['a']}),
    ('DELETE', '/tags', None),
    ('POST', '/action', {'forceDelete': None}),
    ('DELETE', '', None),
]


def _server_call(app, server, token, method='GET', suffix='', body=None, headers=None):
    return call(app, '/v2.1/servers/%s%s' % (server.uuid, suffix), method=method, body=body,
                token=token, version='2.26', headers=headers)


def test_another_project_sees_nothing_of_a_server(app, server):
    for suffix in SERVER_READS:
        assert _server_call(app, server, EVE, suffix=suffix).status_int == 404, suffix
    for method, suffix, body in SERVER_WRITES:
        resp = _server_call(app, server, EVE, method, suffix, body)
        assert resp.status_int == 404, (method, suffix, resp.body)
    for path in ('/v2.1/servers', '/v2.1/servers/detail'):
        assert call(app, path, token=EVE).json['servers'] == []
        # Asking for all projects is an administrator's request.
        assert call(app, path + '?all_tenants=1', token=EVE).status_int == 403
    # Nothing changed.
    shown = _server_call(app, server, ALICE).json['server']
    assert shown['name'] == 'vm' and shown['metadata'] == {'role': 'web'}


def test_a_reader_may_look_but_not_change(app, server):
    for suffix in SERVER_READS:
        resp = _server_call(app, server, ALICE, suffix=suffix, headers=ALICE_READER)
        assert resp.status_int == 200, (suffix, resp.body)
    listed = call(app, '/v2.1/servers', token=ALICE, headers=ALICE_READER)
    assert [s['id'] for s in listed.json['servers']] == [server.uuid]
    for method, suffix, body in SERVER_WRITES:
        resp = _server_call(app, server, ALICE, method, suffix, body, headers=ALICE_READER)
        assert resp.status_int == 403, (method, suffix, resp.body)
        assert 'os_compute_api:' in resp.json['forbidden']['message']
    resp = call(app, '/v2.1/servers', 'POST', {'server': {
        'name': 'x', 'imageRef': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'flavorRef': '1'}},
        token=ALICE, headers=ALICE_READER)
    assert resp.status_int == 403, resp.body
    assert _server_call(app, server, ALICE).json['server']['name'] == 'vm'


def test_the_owner_and_the_admin_may_change(app, server):
    resp = _server_call(app, server, ALICE, 'PUT', '', {'server': {'name': 'mine'}})
    assert resp.status_int == 200, resp.body
    resp = _server_call(app, server, ADMIN, 'PUT', '', {'server': {'name': 'admins'}})
    assert resp.status_int == 200, resp.body
    everyone = call(app, '/v2.1/servers?all_tenants=1', token=ADMIN).json['servers']
    assert [s['name'] for s in everyone] == ['admins']


def test_admin_only_fields_and_apis_stay_hidden(app, server):
    shown = _server_call(app, server, ALICE).json['server']
    assert 'OS-EXT-SRV-ATTR:host' not in shown
    assert 'OS-EXT-SRV-ATTR:host' in _server_call(app, server, ADMIN).json['server']
    for path in ('/v2.1/os-services', '/v2.1/os-hypervisors', '/v2.1/os-availability-zone/detail',
                 '/v2.1/servers/%s/diagnostics' % server.uuid):
        resp = call(app, path, token=ALICE)
        assert resp.status_int in (403, 404), (path, resp.body)
    resp = call(app, '/v2.1/flavors', 'POST', {'flavor': {
        'name': 'f', 'ram': 64, 'vcpus': 1, 'disk': 1}}, token=ALICE)
    assert resp.status_int == 403


def test_key_pairs_belong_to_their_user(app):
    resp = call(app, '/v2.1/os-keypairs', 'POST', {'keypair': {'name': 'k1'}}, token=ALICE)
    assert resp.status_int == 200, resp.body
    assert call(app, '/v2.1/os-keypairs/k1', token=EVE).status_int == 404
    assert call(app, '/v2.1/os-keypairs/k1', 'DELETE', token=EVE).status_int == 404
    assert call(app, '/v2.1/os-keypairs', token=EVE).json['keypairs'] == []
    # Naming another user is an administrator's request (2.10+).
    for method in ('GET', 'DELETE'):
        resp = call(app, '/v2.1/os-keypairs/k1?user_id=alice', method, token=EVE,
                    version='2.10')
        assert resp.status_int == 403, resp.body
    assert call(app, '/v2.1/os-keypairs/k1?user_id=alice', token=ADMIN,
                version='2.10').status_int == 200
    assert call(app, '/v2.1/os-keypairs/k1', token=ALICE).status_int == 200


def _create_image(app, token, **values):
    body = dict({'name': 'img', 'disk_format': 'raw', 'container_format': 'bare'}, **values)
    resp = call(app, '/image/v2/images', 'POST', body, token=token)
    assert resp.status_int == 201, resp.body
    return resp.json['id']


def test_private_images_stay_in_their_project(app):
    image_id = _create_image(app, ALICE)
    path = '/image/v2/images/' + image_id
    assert call(app, path, token=EVE).status_int == 404
    assert call(app, path, 'DELETE', token=EVE).status_int == 404
    assert call(app, path + '/file', token=EVE).status_int == 404
    assert call(app, '/image/v2/images', token=EVE).json['images'] == []
    resp = call(app, path, 'PATCH', [{'op': 'replace', 'path': '/name', 'value': 'x'}],
                token=EVE, headers={'Content-Type':
                                    'application/openstack-images-v2.1-json-patch'})
    assert resp.status_int == 404
    assert call(app, path, token=ALICE).json['name'] == 'img'
    # Only an administrator publishes to everyone.
    resp = call(app, '/image/v2/images', 'POST', {'name': 'pub', 'visibility': 'public'},
                token=ALICE)
    assert resp.status_int == 403, resp.body


def test_a_policy_file_overrides_the_defaults(app, server, conf, tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"os_compute_api:servers:index": "rule:context_is_admin"\n')
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    policy.reset()
    resp = call(app, '/v2.1/servers', token=ALICE)
    assert resp.status_int == 403, resp.body
    assert resp.json['forbidden']['message'] == (
        "Policy doesn't allow os_compute_api:servers:index to be performed.")
    assert call(app, '/v2.1/servers', token=ADMIN).status_int == 200
    # Rules the file leaves alone keep their defaults.
    assert _server_call(app, server, ALICE).status_int == 200


def test_a_policy_file_edit_is_picked_up_at_the_next_look(app, conf, tmp_path,
                                                         monkeypatch):
    policy.get_enforcer()  # registers [oslo_policy]
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"os_compute_api:servers:index": "rule:context_is_admin"\n')
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    policy.reset()
    assert call(app, '/v2.1/servers', token=ALICE).status_int == 403

    def edit(rule, seconds_later):
        # oslo.policy re-reads a file whose mtime moved forward.
        policy_file.write_text('"os_compute_api:servers:index": "%s"\n' % rule)
        mtime = time.time() + seconds_later
        os.utime(policy_file, (mtime, mtime))

    # Within the interval the files are not looked at again.
    monkeypatch.setattr(policy, 'RELOAD_CHECK_SECONDS', 3600)
    edit('', 10)
    assert call(app, '/v2.1/servers', token=ALICE).status_int == 403
    # After it, the edit is in force.
    monkeypatch.setattr(policy, 'RELOAD_CHECK_SECONDS', 0)
    assert call(app, '/v2.1/servers', token=ALICE).status_int == 200
    edit('rule:context_is_admin', 20)
    assert call(app, '/v2.1/servers', token=ALICE).status_int == 403


def test_image_readers_and_glance_rule_names(app, conf, tmp_path):
    image_id = _create_image(app, ALICE)
    path = '/image/v2/images/' + image_id
    assert call(app, path, token=ALICE, headers=ALICE_READER).status_int == 200
    for method, suffix, body in (('DELETE', '', None), ('PUT', '/tags/t', None),
                                 ('PUT', '/file', b'data')):
        resp = call(app, path + suffix, method, body, token=ALICE, headers=dict(
            ALICE_READER, **{'Content-Type': 'application/octet-stream'}))
        assert resp.status_int == 403, (method, suffix, resp.body)
    resp = call(app, '/image/v2/images', 'POST', {'name': 'r'}, token=ALICE,
                headers=ALICE_READER)
    assert resp.status_int == 403, resp.body
    # Glance's rule names: a Glance policy override carries over.
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"publicize_image": "role:member"\n')
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    policy.reset()
    resp = call(app, '/image/v2/images', 'POST', {'name': 'pub', 'visibility': 'public'},
                token=ALICE)
    assert resp.status_int == 201, resp.body
    assert call(app, '/image/v2/images/' + resp.json['id'], token=EVE).status_int == 200
