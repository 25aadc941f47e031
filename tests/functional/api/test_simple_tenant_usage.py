"""/os-simple-tenant-usage through the real WSGI app on real objects and SQLite: hours
within the period, totals, detail, paging (2.40), errors and policy."""

import datetime

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import tenant_usages as schema
from tempest.lib.common import rest_client

from nova import context as nova_context
from nova import objects
from nova.objects import instance as instance_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/os-simple-tenant-usage'
ALICE = 'alice:p1'
T0 = datetime.datetime(2026, 1, 1, 0, 0, 0)
PERIOD = 'start=2026-01-01T00:00:00&end=2026-01-02T00:00:00'


def _validate(body, which):
    rest_client.RestClient.validate_response(which, type('R', (), {'status': 200})(), body)


def _instance(project_id, launched_hours, ended_hours=None, deleted=False, vcpus=2,
              memory_mb=512, name='vm'):
    admin = nova_context.get_admin_context()
    flavor = objects.Flavor(admin, name='m1.%s' % name, flavorid=name, memory_mb=memory_mb,
                            vcpus=vcpus, root_gb=1, ephemeral_gb=1, swap=0)
    instance = instance_obj.Instance(
        context=admin, project_id=project_id, user_id='alice', vcpus=vcpus,
        memory_mb=memory_mb, root_gb=1, ephemeral_gb=1, vm_state='active', display_name=name,
        flavor=flavor, launched_at=T0 + datetime.timedelta(hours=launched_hours),
        terminated_at=(T0 + datetime.timedelta(hours=ended_hours)
                       if ended_hours is not None else None))
    instance.create()
    if deleted:
        instance.destroy()
    return instance


@pytest.fixture
def usage(api):
    return [_instance('p1', -2, 6, name='a'),          # 6 h in the period
            _instance('p1', 12, None, name='b'),       # 12 h (runs on)
            _instance('p2', 1, 3, deleted=True, name='c'),  # 2 h, deleted
            _instance('p1', 30, None, name='later'),   # after the period: none
            _instance('p1', -10, -5, name='before')]   # before the period: none


def test_list_totals(api, usage):
    resp = call(api, URL + '?' + PERIOD)
    assert resp.status_int == 200, resp.text
    _validate(resp.json, schema.list_tenant_usage)
    by_project = {u['tenant_id']: u for u in resp.json['tenant_usages']}
    assert set(by_project) == {'p1', 'p2'}
    p1 = by_project['p1']
    assert p1['total_hours'] == pytest.approx(18)
    assert p1['total_vcpus_usage'] == pytest.approx(36)
    assert p1['total_memory_mb_usage'] == pytest.approx(18 * 512)
    assert p1['total_local_gb_usage'] == pytest.approx(36)
    assert (p1['start'], p1['stop']) == ('2026-01-01T00:00:00.000000',
                                         '2026-01-02T00:00:00.000000')
    assert 'server_usages' not in p1
    assert by_project['p2']['total_hours'] == pytest.approx(2)


def test_detailed_and_show(api, usage):
    resp = call(api, URL + '?detailed=1&' + PERIOD)
    servers = {s['name']: s for u in resp.json['tenant_usages'] for s in u['server_usages']}
    assert set(servers) == {'a', 'b', 'c'}
    assert servers['c']['state'] == 'terminated'
    assert servers['a']['ended_at'] == '2026-01-01T06:00:00.000000'
    assert servers['b']['ended_at'] is None
    assert (servers['a']['flavor'], servers['a']['vcpus'], servers['a']['local_gb']) == \
        ('m1.a', 2, 2)
    assert servers['a']['uptime'] == 8 * 3600
    resp = call(api, URL + '/p1?' + PERIOD, token=ALICE)
    assert resp.status_int == 200, resp.text
    _validate(resp.json, schema.get_tenant_usage)
    assert {s['name'] for s in resp.json['tenant_usage']['server_usages']} == {'a', 'b'}
    resp = call(api, URL + '/p3?' + PERIOD)
    assert resp.json == {'tenant_usage': {}}


def test_paging_from_2_40(api, usage):
    resp = call(api, URL + '?limit=1&detailed=1&' + PERIOD, version='2.40')
    first = resp.json['tenant_usages']
    assert [s['name'] for u in first for s in u['server_usages']] == ['a']
    link = resp.json['tenant_usages_links'][0]
    assert link['rel'] == 'next' and 'marker=' in link['href']
    marker = link['href'].split('marker=')[1].split('&')[0]
    resp = call(api, URL + '?limit=5&detailed=1&marker=%s&' % marker + PERIOD, version='2.40')
    assert [s['name'] for u in resp.json['tenant_usages'] for s in u['server_usages']] == \
        ['b', 'c']
    assert 'tenant_usages_links' not in resp.json
    # Before 2.40 limit is ignored.
    resp = call(api, URL + '?limit=1&' + PERIOD, version='2.39')
    assert len(resp.json['tenant_usages']) == 2 and 'tenant_usages_links' not in resp.json
    assert call(api, URL + '?marker=nope&' + PERIOD, version='2.40').status_int == 400


def test_errors_and_policy(api):
    resp = call(api, URL + '?start=2026-01-02T00:00:00&end=2026-01-01T00:00:00')
    assert fault(resp) == ('badRequest', 400, 'Invalid start time. The start time cannot '
                           'occur after the end time.')
    assert call(api, URL + '?start=yesterday').status_int == 400
    assert call(api, URL + '?start=2026-01-01%2000:00:00.0&end=2026-01-01T01:00:00'
                ).status_int == 200
    assert call(api, URL, token=ALICE).status_int == 403
    assert call(api, URL + '/p2', token=ALICE).status_int == 403
    assert call(api, URL + '/p1', token=ALICE).status_int == 200
    assert call(api, URL + '?foo=1', version='2.75').status_int == 400
