"""GET /limits through the real WSGI app, on real objects and a real (SQLite) database."""

import pytest

from nova import context as nova_context
from nova.objects import floating_ip as floating_ip_obj
from nova.objects import instance as instance_obj
from nova.objects import quotas as quotas_obj
from nova.objects import security_group as security_group_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/limits'
ALICE = 'alice:p1'

FIELDS_2_1 = {
    'maxImageMeta', 'maxPersonality', 'maxPersonalitySize', 'maxSecurityGroupRules',
    'maxSecurityGroups', 'maxServerMeta', 'maxServerGroupMembers', 'maxServerGroups',
    'maxTotalCores', 'maxTotalFloatingIps', 'maxTotalInstances', 'maxTotalKeypairs',
    'maxTotalRAMSize', 'totalCoresUsed', 'totalFloatingIpsUsed', 'totalInstancesUsed',
    'totalRAMUsed', 'totalSecurityGroupsUsed', 'totalServerGroupsUsed'}
NETWORK_FIELDS = {'maxSecurityGroupRules', 'maxSecurityGroups', 'maxTotalFloatingIps',
                  'totalFloatingIpsUsed', 'totalSecurityGroupsUsed'}
FIELDS_2_36 = FIELDS_2_1 - NETWORK_FIELDS
FIELDS_2_39 = FIELDS_2_36 - {'maxImageMeta'}
FIELDS_2_57 = FIELDS_2_39 - {'maxPersonality', 'maxPersonalitySize'}


def admin_context():
    return nova_context.get_admin_context()


def absolute(resp):
    assert resp.status_int == 200, resp.text
    assert set(resp.json) == {'limits'}
    assert resp.json['limits']['rate'] == []
    return resp.json['limits']['absolute']


def make_instance(project_id, vcpus, memory_mb, **values):
    instance = instance_obj.Instance(context=admin_context(), project_id=project_id,
                                     user_id='alice', vcpus=vcpus, memory_mb=memory_mb,
                                     vm_state='active', display_name='vm', **values)
    instance.create()
    return instance


@pytest.mark.parametrize('version, fields', [
    (None, FIELDS_2_1), ('2.35', FIELDS_2_1), ('2.36', FIELDS_2_36), ('2.38', FIELDS_2_36),
    ('2.39', FIELDS_2_39), ('2.56', FIELDS_2_39), ('2.57', FIELDS_2_57),
    ('latest', FIELDS_2_57),
])
def test_fields_per_microversion(api, version, fields):
    assert set(absolute(call(api, URL, version=version, token=ALICE))) == fields


def test_defaults(api):
    limits = absolute(call(api, URL, token=ALICE))
    assert limits == {
        'maxImageMeta': 128, 'maxServerMeta': 128, 'maxPersonality': 5,
        'maxPersonalitySize': 10240, 'maxSecurityGroupRules': 20, 'maxSecurityGroups': 10,
        'maxTotalFloatingIps': 10, 'maxServerGroupMembers': 10, 'maxServerGroups': 10,
        'maxTotalCores': 20, 'maxTotalInstances': 10, 'maxTotalKeypairs': 100,
        'maxTotalRAMSize': 51200, 'totalCoresUsed': 0, 'totalFloatingIpsUsed': 0,
        'totalInstancesUsed': 0, 'totalRAMUsed': 0, 'totalSecurityGroupsUsed': 0,
        'totalServerGroupsUsed': 0}


def test_class_and_project_limits_override_defaults(api):
    quotas_obj.Quotas.update_class(admin_context(), 'default', 'cores', 40)
    quotas_obj.Quotas.update_class(admin_context(), 'default', 'instances', 30)
    quotas_obj.Quotas.update_class(admin_context(), 'default', 'floating_ips', 3)
    quotas_obj.Quotas.create_limit(admin_context(), 'p1', 'instances', 5)
    quotas_obj.Quotas.create_limit(admin_context(), 'p1', 'key_pairs', -1)
    # A user's own limit does not change the project's limits.
    quotas_obj.Quotas.create_limit(admin_context(), 'p1', 'ram', 1, user_id='alice')
    limits = absolute(call(api, URL, token=ALICE))
    assert (limits['maxTotalCores'], limits['maxTotalInstances'], limits['maxTotalKeypairs'],
            limits['maxTotalRAMSize'], limits['maxTotalFloatingIps']) == (40, 5, -1, 51200, 3)
    # Another project keeps the class limits.
    limits = absolute(call(api, URL, token='carol:p2'))
    assert (limits['maxTotalCores'], limits['maxTotalInstances']) == (40, 30)


def test_usage_counts_the_projects_live_instances(api):
    make_instance('p1', 2, 1024)
    make_instance('p1', 4, 2048)
    make_instance('p2', 8, 4096)
    make_instance('p1', 16, 8192).destroy()
    floating_ip_obj.FloatingIP(context=admin_context(), address='203.0.113.1', pool='public',
                               project_id='p1').create()
    security_group_obj.SecurityGroup(context=admin_context(), name='web', description='d',
                                     user_id='alice', project_id='p1').create()
    limits = absolute(call(api, URL, token=ALICE))
    assert (limits['totalInstancesUsed'], limits['totalCoresUsed'], limits['totalRAMUsed'],
            limits['totalFloatingIpsUsed'], limits['totalSecurityGroupsUsed']) == \
        (2, 6, 3072, 1, 1)
    limits = absolute(call(api, URL, version='2.57', token='carol:p2'))
    assert (limits['totalInstancesUsed'], limits['totalCoresUsed']) == (1, 8)


def test_admin_asks_about_another_project(api):
    make_instance('p2', 8, 4096)
    quotas_obj.Quotas.create_limit(admin_context(), 'p2', 'cores', 64)
    limits = absolute(call(api, URL + '?tenant_id=p2'))
    assert (limits['totalCoresUsed'], limits['maxTotalCores']) == (8, 64)
    assert absolute(call(api, URL))['totalCoresUsed'] == 0


@pytest.mark.parametrize('query', ['?tenant_id=p2', '?tenant_id=p1'])
def test_users_may_not_name_projects(api, query):
    resp = call(api, URL + query, token=ALICE)
    assert fault(resp) == ('forbidden', 403, "Policy doesn't allow "
                           "os_compute_api:limits:other_project to be performed.")


def test_unknown_query_parameters(api):
    assert absolute(call(api, URL + '?colour=red', version='2.74', token=ALICE))
    resp = call(api, URL + '?colour=red', version='2.75', token=ALICE)
    assert resp.status_int == 400 and "'colour' was unexpected" in fault(resp)[2]


def test_under_the_project_id_and_legacy_v2(api):
    project = '6f70656e737461636b20342065766572'
    resp = call(api, '/v2.1/%s/limits' % project, token='alice:%s' % project)
    assert set(absolute(resp)) == FIELDS_2_1
    assert set(absolute(call(api, '/v2/limits', version='2.57', token=ALICE))) == FIELDS_2_1
