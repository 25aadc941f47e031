"""Server groups in the whole system (nova-all in this process): servers booted with the
'group' hint join the group and the scheduler's group filters place them by its policy;
the member quota holds."""

import time

import pytest

from nova import context
from nova import exception
from nova import objects
from nova.compute import api as compute_api
from nova.compute import server_groups
from tests.functional.test_boot import _flavor
from tests.functional.test_boot import _user
from tests.functional.test_boot import _wait


def _group(policy, rules=None, project='p1'):
    return server_groups.ServerGroupAPI().create(_user(project), 'g', policy, rules)


@pytest.fixture
def flavor(nova):
    return _flavor()


def _boot(group, flavor, count=1, project='p1'):
    instances, _rid = compute_api.API().create(
        _user(project), flavor, None, name='vm', min_count=count,
        max_count=count, scheduler_hints={'group': group.uuid})
    return _wait(instances)


@pytest.fixture
def two_hosts(nova):
    nova.add_compute('edge2')
    admin = context.get_admin_context()
    deadline = time.monotonic() + 20
    while len(objects.ComputeNodeList.get_all(admin)) < 2:
        assert time.monotonic() < deadline, 'edge2 never reported its node'
        time.sleep(0.1)
    return nova


def test_anti_affinity_spreads_and_refuses_a_third(two_hosts, flavor):
    group = _group('anti-affinity')
    first, second = _boot(group, flavor, count=2)
    assert {first.vm_state, second.vm_state} == {'active'}
    assert first.host != second.host
    third, = _boot(group, flavor)
    assert third.vm_state == 'error'  # no host left without a member
    members = server_groups.ServerGroupAPI().get(_user(), group.uuid).members
    assert set(members) == {first.uuid, second.uuid, third.uuid}


def test_anti_affinity_max_server_per_host(two_hosts, flavor):
    group = _group('anti-affinity', {'max_server_per_host': 2})
    instances = _boot(group, flavor, count=4)
    assert all(i.vm_state == 'active' for i in instances)
    hosts = [i.host for i in instances]
    assert sorted(hosts.count(h) for h in set(hosts)) == [2, 2]


def test_affinity_keeps_members_together(two_hosts, flavor):
    group = _group('affinity')
    first, = _boot(group, flavor)
    later = _boot(group, flavor, count=2)
    assert {i.host for i in later} == {first.host}


def test_member_quota_and_unknown_or_foreign_group(nova, flavor):
    objects.Quotas.create_limit(context.get_admin_context(), 'p1',
                                'server_group_members', 2)
    group = _group('soft-affinity')
    _boot(group, flavor, count=2)
    with pytest.raises(exception.ServerGroupMemberLimitExceeded):
        _boot(group, flavor)
    with pytest.raises(exception.InstanceGroupNotFound):
        _boot(group, flavor, project='p2')
    group.uuid = '00000000-0000-0000-0000-000000000000'
    with pytest.raises(exception.InstanceGroupNotFound):
        _boot(group, flavor)


def test_server_show_lists_its_group_from_2_71(nova, flavor):
    group = _group('affinity', project='admin')
    instance, = compute_api.API().create(
        context.RequestContext('admin', 'admin', roles=['admin']), flavor, None,
        name='vm', scheduler_hints={'group': [group.uuid]})[0]
    _wait([instance])
    path = '/v2.1/servers/%s' % instance.uuid
    _s, _h, body = nova.request('GET', path, version='2.71')
    assert body['server']['server_groups'] == [group.uuid]
    _s, _h, body = nova.request('GET', path, version='2.70')
    assert 'server_groups' not in body['server']
    _s, _h, body = nova.request('GET', '/v2.1/os-server-groups/%s' % group.uuid)
    assert body['server_group']['members'] == [instance.uuid]
