"""tempest.lib's operator API clients against a real nova-all: quotas, quota classes, host
aggregates, server groups, simple tenant usage and the instance usage audit log. Every
response is validated against tempest's JSON schemas for the microversion in use."""

import datetime
import json
import time
from urllib import parse
import urllib.request

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import aggregates_client  # noqa: E402
from tempest.lib.services.compute import instance_usage_audit_log_client  # noqa: E402
from tempest.lib.services.compute import quota_classes_client  # noqa: E402
from tempest.lib.services.compute import quotas_client  # noqa: E402
from tempest.lib.services.compute import server_groups_client  # noqa: E402
from tempest.lib.services.compute import tenant_usages_client  # noqa: E402

from tests.compat.conftest import post_json  # noqa: E402
from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402


def _client(cls, nova_all, token='admin:admin'):
    return cls(NoAuth2Provider(nova_all.compute_url, token=token), 'compute', 'RegionOne')


def _version(microversion):
    return tuple(int(x) for x in (microversion or '2.1').split('.'))


def _suffix(microversion):
    return (microversion or 'none').replace('.', '-')


def test_quotas(nova_all, microversion):
    client = _client(quotas_client.QuotasClient, nova_all)
    project = 'quota-%s' % _suffix(microversion)
    quota_set = client.show_quota_set(project)['quota_set']
    assert (quota_set['id'], quota_set['cores']) == (project, 20)
    assert ('floating_ips' in quota_set) == (_version(microversion) < (2, 36))
    assert ('injected_files' in quota_set) == (_version(microversion) < (2, 57))
    assert client.show_default_quota_set(project)['quota_set']['instances'] == 10
    updated = client.update_quota_set(project, cores=30, ram=4096)['quota_set']
    assert (updated['cores'], updated['ram']) == (30, 4096)
    user = client.update_quota_set(project, user_id='u1', cores=5)['quota_set']
    assert user['cores'] == 5
    assert client.show_quota_set(project, user_id='u1')['quota_set']['cores'] == 5
    detail = client.show_quota_set(project, detail=True)['quota_set']
    assert detail['cores'] == {'limit': 30, 'in_use': 0, 'reserved': 0}
    with pytest.raises(lib_exc.BadRequest):
        client.update_quota_set(project, cores=-5)
    member = _client(quotas_client.QuotasClient, nova_all, token='m:%s' % project)
    assert member.show_quota_set(project)['quota_set']['cores'] == 30
    with pytest.raises(lib_exc.Forbidden):
        member.update_quota_set(project, cores=1)
    client.delete_quota_set(project)
    assert client.show_quota_set(project)['quota_set']['cores'] == 20


def test_quota_classes(nova_all, microversion):
    client = _client(quota_classes_client.QuotaClassesClient, nova_all)
    name = 'class-%s' % _suffix(microversion)
    shown = client.show_quota_class_set(name)['quota_class_set']
    assert shown['id'] == name
    assert ('server_groups' in shown) == (_version(microversion) >= (2, 50))
    updated = client.update_quota_class_set(name, instances=7)['quota_class_set']
    assert updated['instances'] == 7
    assert client.show_quota_class_set(name)['quota_class_set']['instances'] == 7


def test_aggregates(nova_all, microversion):
    client = _client(aggregates_client.AggregatesClient, nova_all)
    name = 'agg-%s' % _suffix(microversion)
    created = client.create_aggregate(name=name, availability_zone='zone-' + name)[
        'aggregate']
    try:
        shown = client.show_aggregate(created['id'])['aggregate']
        assert ('uuid' in shown) == (_version(microversion) >= (2, 41))
        assert created['id'] in [a['id'] for a in client.list_aggregates()['aggregates']]
        updated = client.update_aggregate(created['id'], name=name + '-x')['aggregate']
        assert updated['name'] == name + '-x'
        with_host = client.add_host(created['id'], host='edge1')['aggregate']
        assert with_host['hosts'] == ['edge1']
        with pytest.raises(lib_exc.Conflict):
            client.add_host(created['id'], host='edge1')
        with pytest.raises(lib_exc.BadRequest):
            client.delete_aggregate(created['id'])
        metadata = client.set_metadata(created['id'], metadata={'ssd': 'true'})['aggregate']
        assert metadata['metadata'] == {'ssd': 'true', 'availability_zone': 'zone-' + name}
        assert client.remove_host(created['id'], host='edge1')['aggregate']['hosts'] == []
    finally:
        client.delete_aggregate(created['id'])
    with pytest.raises(lib_exc.NotFound):
        client.show_aggregate(created['id'])


def test_server_groups(nova_all, microversion):
    project = 'sg-%s' % _suffix(microversion)
    client = _client(server_groups_client.ServerGroupsClient, nova_all,
                     token='u:%s' % project)
    if _version(microversion) >= (2, 64):
        group = client.create_server_group(name='g', policy='anti-affinity',
                                           rules={'max_server_per_host': 2})['server_group']
        assert (group['policy'], group['rules']) == ('anti-affinity',
                                                     {'max_server_per_host': 2})
    else:
        group = client.create_server_group(name='g', policies=['affinity'])['server_group']
        assert group['policies'] == ['affinity']
    assert client.show_server_group(group['id'])['server_group']['id'] == group['id']
    assert [g['id'] for g in client.list_server_groups()['server_groups']] == [group['id']]
    other = _client(server_groups_client.ServerGroupsClient, nova_all, token='v:other')
    with pytest.raises(lib_exc.NotFound):
        other.show_server_group(group['id'])
    admin = _client(server_groups_client.ServerGroupsClient, nova_all)
    assert group['id'] in [g['id'] for g in admin.list_server_groups(
        all_projects=True)['server_groups']]
    client.delete_server_group(group['id'])
    with pytest.raises(lib_exc.NotFound):
        client.show_server_group(group['id'])


@pytest.fixture(scope='module')
def usage_server(nova_all):
    """One ACTIVE server of the project 'usage-proj', for the usage reports."""
    flavor = post_json(nova_all.compute_url + '/flavors', {'flavor': {
        'name': 'compat.usage', 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    image = post_json(nova_all.url + '/image/v2/images', {
        'name': 'compat-usage-image', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova_all.url, image['id']),
                                 data=b'\0' * 1024, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    server = post_json(nova_all.compute_url + '/servers', {'server': {
        'name': 'usage-vm', 'flavorRef': flavor['id'], 'imageRef': image['id']}},
        token='u:usage-proj')['server']
    deadline = time.monotonic() + 30
    while True:
        req = urllib.request.Request('%s/servers/%s' % (nova_all.compute_url, server['id']))
        req.add_header('X-Auth-Token', 'admin:admin')
        with urllib.request.urlopen(req, timeout=30) as resp:
            status = json.loads(resp.read())['server']['status']
        if status == 'ACTIVE':
            return server['id']
        assert status != 'ERROR' and time.monotonic() < deadline, status
        time.sleep(0.2)


def test_tenant_usages(nova_all, microversion, usage_server):
    client = _client(tenant_usages_client.TenantUsagesClient, nova_all)
    now = datetime.datetime.utcnow()
    period = {'start': (now - datetime.timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%S'),
              'end': (now + datetime.timedelta(days=1)).strftime('%Y-%m-%dT%H:%M:%S')}
    listed = client.list_tenant_usages(detailed=1, **period)['tenant_usages']
    assert 'usage-proj' in [u['tenant_id'] for u in listed]
    shown = client.show_tenant_usage('usage-proj', **period)['tenant_usage']
    assert [s['instance_id'] for s in shown['server_usages']] == [usage_server]
    own = _client(tenant_usages_client.TenantUsagesClient, nova_all, token='u:usage-proj')
    assert own.show_tenant_usage('usage-proj', **period)['tenant_usage']['tenant_id'] == \
        'usage-proj'
    member = _client(tenant_usages_client.TenantUsagesClient, nova_all, token='m:p9')
    with pytest.raises(lib_exc.Forbidden):
        member.list_tenant_usages(**period)


def test_instance_usage_audit_log(nova_all, microversion):
    client = _client(instance_usage_audit_log_client.InstanceUsagesAuditLogClient, nova_all)
    report = client.list_instance_usage_audit_logs()['instance_usage_audit_logs']
    assert report['num_hosts'] >= 1
    before = parse.quote(datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M:%S'))
    shown = client.show_instance_usage_audit_log(before)['instance_usage_audit_log']
    assert shown['period_ending'] == report['period_ending']
