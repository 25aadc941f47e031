"""/os-instance-usage-audit-log through the real WSGI app on task log records and compute
services in SQLite; the audit period arithmetic."""

import datetime

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import instance_usage_audit_logs as schema
from tempest.lib.common import rest_client

from nova import context as nova_context
from nova import objects
from nova.compute import usage
from tests.functional.api.test_services import make_service
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/os-instance-usage-audit-log'
D = datetime.datetime


def _validate(body, which):
    rest_client.RestClient.validate_response(which, type('R', (), {'status': 200})(), body)


@pytest.mark.parametrize('unit, before, expected', [
    ('month', D(2026, 3, 15, 10), (D(2026, 2, 1), D(2026, 3, 1))),
    ('month', D(2026, 1, 1), (D(2025, 12, 1), D(2026, 1, 1))),
    ('month@15', D(2026, 3, 10), (D(2026, 1, 15), D(2026, 2, 15))),
    ('day', D(2026, 3, 15, 10), (D(2026, 3, 14), D(2026, 3, 15))),
    ('day@12', D(2026, 3, 15, 10), (D(2026, 3, 13, 12), D(2026, 3, 14, 12))),
    ('hour', D(2026, 3, 15, 10, 30), (D(2026, 3, 15, 9), D(2026, 3, 15, 10))),
    ('year', D(2026, 3, 15), (D(2025, 1, 1), D(2026, 1, 1))),
])
def test_last_completed_audit_period(unit, before, expected):
    assert usage.last_completed_audit_period(unit, before) == expected


def test_report_from_task_logs(api):
    for host in ('c1', 'c2', 'c3'):
        make_service(host, 'nova-compute')
    admin = nova_context.get_admin_context()
    begin, end = D(2026, 2, 1), D(2026, 3, 1)
    objects.TaskLog.begin_task(admin, 'instance_usage_audit', begin, end, 'c1', 4, 'm')
    objects.TaskLog.end_task(admin, 'instance_usage_audit', begin, end, 'c1', 1, 'done')
    objects.TaskLog.begin_task(admin, 'instance_usage_audit', begin, end, 'c2', 2, 'go')
    resp = call(api, URL + '/2026-03-10%2000:00:00')
    assert resp.status_int == 200, resp.text
    _validate(resp.json, schema.get_instance_usage_audit_log)
    report = resp.json['instance_usage_audit_log']
    assert report == {
        'period_beginning': '2026-02-01 00:00:00', 'period_ending': '2026-03-01 00:00:00',
        'num_hosts': 3, 'num_hosts_done': 1, 'num_hosts_running': 1,
        'num_hosts_not_run': 1, 'hosts_not_run': ['c3'], 'total_instances': 6,
        'total_errors': 1, 'overall_status': '1 of 3 hosts done. 1 errors.',
        'log': {'c1': {'state': 'DONE', 'instances': 4, 'errors': 1, 'message': 'done'},
                'c2': {'state': 'RUNNING', 'instances': 2, 'errors': 0, 'message': 'go'}}}
    # Another period has no runs.
    report = call(api, URL + '/2026-05-10%2000:00:00.5').json['instance_usage_audit_log']
    assert (report['num_hosts_not_run'], report['log']) == (3, {})
    resp = call(api, URL)
    _validate(resp.json, schema.list_instance_usage_audit_log)
    assert set(resp.json) == {'instance_usage_audit_logs'}


def test_errors_and_policy(api):
    resp = call(api, URL + '/yesterday')
    assert fault(resp) == ('badRequest', 400, 'Invalid timestamp for date yesterday')
    assert call(api, URL, token='alice:p1').status_int == 403
    assert call(api, URL + '/2026-03-10%2000:00:00', token='alice:p1').status_int == 403
    admin = nova_context.get_admin_context()
    objects.TaskLog.begin_task(admin, 't', D(2026, 1, 1), D(2026, 2, 1), 'c1')
    with pytest.raises(Exception, match='already running'):
        objects.TaskLog.begin_task(admin, 't', D(2026, 1, 1), D(2026, 2, 1), 'c1')
