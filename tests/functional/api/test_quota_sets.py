"""/os-quota-sets and /os-quota-class-sets through the real WSGI app on a real (SQLite)
database: fields per microversion, usage, update bounds and force, per-user limits,
policy."""

import pytest

from nova import context as nova_context
from nova.objects import instance as instance_obj
from nova.objects import keypair as keypair_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

ALICE = 'alice:p1'
NETWORK = {'fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups'}
FILES = {'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files'}
BASE = {'cores', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members',
        'server_groups'}
FIELDS_2_1 = BASE | NETWORK | FILES
FIELDS_2_36 = BASE | FILES
FIELDS_2_57 = BASE


def _instance(project_id, user_id, vcpus, memory_mb):
    instance = instance_obj.Instance(
        context=nova_context.get_admin_context(), project_id=project_id, user_id=user_id,
        vcpus=vcpus, memory_mb=memory_mb, vm_state='active', display_name='vm')
    instance.create()
    return instance


def _put(api, body, version=None, url='/v2.1/os-quota-sets/p1', token='admin:admin'):
    return call(api, url, method='PUT', body={'quota_set': body}, version=version,
                token=token)


@pytest.mark.parametrize('version, fields', [
    (None, FIELDS_2_1), ('2.35', FIELDS_2_1), ('2.36', FIELDS_2_36), ('2.56', FIELDS_2_36),
    ('2.57', FIELDS_2_57), ('latest', FIELDS_2_57)])
def test_show_defaults_and_detail_fields_per_microversion(api, version, fields):
    for path in ('/v2.1/os-quota-sets/p1', '/v2.1/os-quota-sets/p1/defaults',
                 '/v2.1/os-quota-sets/p1/detail'):
        resp = call(api, path, version=version, token=ALICE)
        assert resp.status_int == 200, resp.text
        assert set(resp.json['quota_set']) == fields | {'id'}
        assert resp.json['quota_set']['id'] == 'p1'


def test_defaults_values(api):
    quota_set = call(api, '/v2.1/os-quota-sets/p1/defaults', token=ALICE).json['quota_set']
    assert quota_set == {
        'id': 'p1', 'cores': 20, 'instances': 10, 'ram': 51200, 'key_pairs': 100,
        'metadata_items': 128, 'server_groups': 10, 'server_group_members': 10,
        'injected_files': 5, 'injected_file_content_bytes': 10240,
        'injected_file_path_bytes': 255, 'fixed_ips': -1, 'floating_ips': 10,
        'security_groups': 10, 'security_group_rules': 20}


def test_update_show_and_delete(api):
    resp = _put(api, {'cores': 40, 'instances': '3'})
    assert resp.status_int == 200, resp.text
    assert 'id' not in resp.json['quota_set']
    assert (resp.json['quota_set']['cores'], resp.json['quota_set']['instances']) == (40, 3)
    shown = call(api, '/v2.1/os-quota-sets/p1', token=ALICE).json['quota_set']
    assert (shown['cores'], shown['instances']) == (40, 3)
    # Another project keeps the defaults.
    assert call(api, '/v2.1/os-quota-sets/p2').json['quota_set']['cores'] == 20
    resp = call(api, '/v2.1/os-quota-sets/p1', method='DELETE')
    assert resp.status_int == 202
    assert call(api, '/v2.1/os-quota-sets/p1').json['quota_set']['cores'] == 20


def test_detail_counts_usage(api):
    _instance('p1', 'alice', 2, 512)
    _instance('p1', 'bob', 1, 256)
    keypair_obj.KeyPair(nova_context.get_admin_context(), name='k', user_id='alice',
                        public_key='ssh-rsa AAAA', fingerprint='f').create()
    quota_set = call(api, '/v2.1/os-quota-sets/p1/detail', token=ALICE).json['quota_set']
    assert quota_set['cores'] == {'limit': 20, 'in_use': 3, 'reserved': 0}
    assert quota_set['instances']['in_use'] == 2
    assert quota_set['ram']['in_use'] == 768
    mine = call(api, '/v2.1/os-quota-sets/p1/detail?user_id=alice',
                token=ALICE).json['quota_set']
    assert (mine['cores']['in_use'], mine['key_pairs']['in_use']) == (2, 1)


def test_update_below_usage_needs_force(api):
    for _i in range(3):
        _instance('p1', 'alice', 3, 100)
    resp = _put(api, {'cores': 8})
    assert fault(resp) == ('badRequest', 400, 'Quota limit 8 for cores must be greater than '
                           'or equal to already used and reserved 9.')
    assert call(api, '/v2.1/os-quota-sets/p1').json['quota_set']['cores'] == 20
    resp = _put(api, {'cores': 8, 'force': 'True'})
    assert resp.status_int == 200
    assert resp.json['quota_set']['cores'] == 8


def test_user_quota_within_project(api):
    _put(api, {'cores': 10})
    resp = _put(api, {'cores': 11}, url='/v2.1/os-quota-sets/p1?user_id=alice')
    assert fault(resp) == ('badRequest', 400,
                           'Quota limit 11 for cores must be less than or equal to 10.')
    resp = _put(api, {'cores': 4}, url='/v2.1/os-quota-sets/p1?user_id=alice')
    assert resp.json['quota_set']['cores'] == 4
    assert call(api, '/v2.1/os-quota-sets/p1?user_id=alice').json['quota_set']['cores'] == 4
    assert call(api, '/v2.1/os-quota-sets/p1').json['quota_set']['cores'] == 10
    call(api, '/v2.1/os-quota-sets/p1?user_id=alice', method='DELETE')
    assert call(api, '/v2.1/os-quota-sets/p1?user_id=alice').json['quota_set']['cores'] == 10


@pytest.mark.parametrize('version, body', [
    (None, {'cores': -2}), (None, {'cores': 'many'}), (None, {'bogus': 1}),
    ('2.36', {'floating_ips': 1}), ('2.57', {'injected_files': 1}), (None, {'force': 'x'})])
def test_update_refuses_bad_bodies(api, version, body):
    assert _put(api, body, version=version).status_int == 400


def test_policy(api):
    assert call(api, '/v2.1/os-quota-sets/p2', token=ALICE).status_int == 403
    assert call(api, '/v2.1/os-quota-sets/p2/detail', token=ALICE).status_int == 403
    assert call(api, '/v2.1/os-quota-sets/p2/defaults', token=ALICE).status_int == 200
    assert _put(api, {'cores': 1}, token=ALICE).status_int == 403
    assert call(api, '/v2.1/os-quota-sets/p1', method='DELETE',
                token=ALICE).status_int == 403


def test_query_parameters_refused_from_2_75(api):
    assert call(api, '/v2.1/os-quota-sets/p1?foo=1', version='2.74').status_int == 200
    assert call(api, '/v2.1/os-quota-sets/p1?foo=1', version='2.75').status_int == 400


# -- quota classes -------------------------------------------------------------------------

@pytest.mark.parametrize('version, fields', [
    (None, (BASE | NETWORK | FILES) - {'server_groups', 'server_group_members'}),
    ('2.49', (BASE | NETWORK | FILES) - {'server_groups', 'server_group_members'}),
    ('2.50', BASE | FILES), ('2.57', BASE)])
def test_quota_class_fields(api, version, fields):
    resp = call(api, '/v2.1/os-quota-class-sets/default', version=version)
    assert resp.status_int == 200
    assert set(resp.json['quota_class_set']) == fields | {'id'}


def test_quota_class_update_changes_defaults(api):
    resp = call(api, '/v2.1/os-quota-class-sets/default', method='PUT',
                body={'quota_class_set': {'instances': 50}}, version='2.57')
    assert resp.status_int == 200, resp.text
    assert resp.json == {'quota_class_set': {
        'cores': 20, 'instances': 50, 'key_pairs': 100, 'metadata_items': 128,
        'ram': 51200, 'server_group_members': 10, 'server_groups': 10}}
    assert call(api, '/v2.1/os-quota-sets/p9').json['quota_set']['instances'] == 50
    assert call(api, '/v2.1/os-quota-sets/p9/defaults').json['quota_set']['instances'] == 50
    assert call(api, '/v2.1/os-quota-class-sets/default',
                method='PUT', body={'quota_class_set': {'floating_ips': 1}},
                version='2.50').status_int == 400
    assert call(api, '/v2.1/os-quota-class-sets/default', token=ALICE).status_int == 403
