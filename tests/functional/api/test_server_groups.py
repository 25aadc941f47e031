"""/os-server-groups through the real WSGI app: create per microversion, list, show,
delete, quota and policy."""

import pytest

from nova import context as nova_context
from nova.objects import quotas as quotas_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/os-server-groups'
ALICE = 'alice:p1'
BOB = 'bob:p2'


def _create(api, group, version=None, token=ALICE):
    return call(api, URL, method='POST', body={'server_group': group}, version=version,
                token=token)


@pytest.mark.parametrize('version, fields', [
    (None, {'id', 'name', 'policies', 'members', 'metadata'}),
    ('2.13', {'id', 'name', 'policies', 'members', 'metadata', 'project_id', 'user_id'}),
    ('2.63', {'id', 'name', 'policies', 'members', 'metadata', 'project_id', 'user_id'}),
])
def test_create_before_2_64(api, version, fields):
    resp = _create(api, {'name': 'g', 'policies': ['anti-affinity']}, version)
    assert resp.status_int == 200, resp.text
    group = resp.json['server_group']
    assert set(group) == fields
    assert (group['policies'], group['members'], group['metadata']) == \
        (['anti-affinity'], [], {})


def test_create_from_2_64_with_rules(api):
    resp = _create(api, {'name': 'g', 'policy': 'anti-affinity',
                         'rules': {'max_server_per_host': 2}}, '2.64')
    assert resp.status_int == 200, resp.text
    group = resp.json['server_group']
    assert set(group) == {'id', 'name', 'policy', 'rules', 'members', 'project_id',
                          'user_id'}
    assert (group['policy'], group['rules'], group['project_id'], group['user_id']) == \
        ('anti-affinity', {'max_server_per_host': 2}, 'p1', 'alice')
    shown = call(api, URL + '/' + group['id'], version='2.64', token=ALICE).json
    assert shown['server_group'] == group
    # Older microversions show the same group with a policies list.
    old = call(api, URL + '/' + group['id'], token=ALICE).json['server_group']
    assert old['policies'] == ['anti-affinity'] and 'rules' not in old


@pytest.mark.parametrize('version, group', [
    (None, {'name': 'g', 'policies': ['soft-affinity']}),  # soft policies from 2.15
    ('2.15', {'name': 'g', 'policies': ['affinity', 'anti-affinity']}),
    ('2.15', {'name': 'g', 'policies': []}),
    ('2.15', {'name': ' g', 'policies': ['affinity']}),
    ('2.15', {'name': 'g', 'policies': ['bogus']}),
    ('2.15', {'name': 'g', 'policy': 'affinity'}),
    ('2.64', {'name': 'g', 'policies': ['affinity']}),
    ('2.64', {'name': 'g', 'policy': 'anti-affinity', 'rules': {'max_server_per_host': 0}}),
    ('2.64', {'name': 'g', 'policy': 'anti-affinity', 'rules': {'other': 1}}),
    ('2.64', {'name': 'g', 'policy': 'affinity', 'rules': {'max_server_per_host': 2}}),
    ('2.64', {'policy': 'affinity'}),
])
def test_create_refuses_bad_bodies(api, version, group):
    assert _create(api, group, version).status_int == 400


def test_rules_only_for_anti_affinity_message(api):
    resp = _create(api, {'name': 'g', 'policy': 'affinity',
                         'rules': {'max_server_per_host': 2}}, '2.64')
    assert fault(resp) == ('badRequest', 400, 'Only anti-affinity policy supports rules.')


def test_soft_policies_from_2_15(api):
    resp = _create(api, {'name': 'g', 'policies': ['soft-anti-affinity']}, '2.15')
    assert resp.status_int == 200, resp.text


def test_list_scoping_all_projects_and_paging(api):
    mine = [_create(api, {'name': 'a%d' % i, 'policies': ['affinity']}).json
            ['server_group']['id'] for i in range(3)]
    theirs = _create(api, {'name': 'b', 'policies': ['affinity']}, token=BOB).json[
        'server_group']['id']
    listed = [g['id'] for g in call(api, URL, token=ALICE).json['server_groups']]
    assert listed == mine
    # all_projects is an admin's: others just see their own.
    listed = [g['id'] for g in call(api, URL + '?all_projects=True',
                                    token=ALICE).json['server_groups']]
    assert listed == mine
    listed = [g['id'] for g in call(api, URL + '?all_projects=True').json['server_groups']]
    assert listed == mine + [theirs]
    listed = [g['id'] for g in call(api, URL + '?limit=1&offset=1',
                                    token=ALICE).json['server_groups']]
    assert listed == mine[1:2]
    assert call(api, URL + '?limit=-1', token=ALICE).status_int == 400
    assert call(api, URL + '?foo=1', token=ALICE, version='2.75').status_int == 400


def test_show_and_delete_of_another_project_is_404(api):
    group_id = _create(api, {'name': 'g', 'policies': ['affinity']}).json[
        'server_group']['id']
    assert call(api, URL + '/' + group_id, token=BOB).status_int == 404
    assert call(api, URL + '/' + group_id, method='DELETE', token=BOB).status_int == 404
    # an admin sees and deletes any
    assert call(api, URL + '/' + group_id).status_int == 200
    assert call(api, URL + '/' + group_id, method='DELETE').status_int == 204
    assert call(api, URL + '/' + group_id, token=ALICE).status_int == 404
    assert call(api, URL + '/' + group_id, method='DELETE').status_int == 404


def test_reader_may_not_create(api):
    resp = call(api, URL, method='POST', token=ALICE, headers={'X-Roles': 'reader'},
                body={'server_group': {'name': 'g', 'policies': ['affinity']}})
    assert resp.status_int == 403


def test_server_group_quota(api):
    quotas_obj.Quotas.create_limit(nova_context.get_admin_context(), 'p1', 'server_groups', 2)
    for i in range(2):
        assert _create(api, {'name': 'g%d' % i, 'policies': ['affinity']}).status_int == 200
    resp = _create(api, {'name': 'g3', 'policies': ['affinity']})
    assert fault(resp) == ('forbidden', 403, 'Quota exceeded, too many server groups.')
    assert len(call(api, URL, token=ALICE).json['server_groups']) == 2
    detail = call(api, '/v2.1/os-quota-sets/p1/detail', token=ALICE).json['quota_set']
    assert detail['server_groups'] == {'limit': 2, 'in_use': 2, 'reserved': 0}
    absolute = call(api, '/v2.1/limits', token=ALICE).json['limits']['absolute']
    assert (absolute['maxServerGroups'], absolute['totalServerGroupsUsed']) == (2, 2)
