"""The compute host's instance usage audit (periodic task) in nova-all: it records its run
in the task log once per period, and os-instance-usage-audit-log reports it."""

import datetime

from nova import context
from nova import objects
from nova.compute import usage


def test_audit_runs_once_per_period_and_is_reported(nova, conf):
    conf.set_override('instance_usage_audit', True)
    admin = context.get_admin_context()
    begin, end = usage.last_completed_audit_period()
    for host in ('edge1', 'elsewhere'):
        objects.Instance(admin, project_id='p1', user_id='u', host=host, vcpus=1,
                         memory_mb=64, root_gb=1, ephemeral_gb=0, vm_state='active',
                         display_name='vm',
                         launched_at=begin + datetime.timedelta(hours=1)).create()
    manager = nova.rpc_service('nova-compute').manager
    manager.instance_usage_audit(admin)
    manager.instance_usage_audit(admin)  # the period is done: nothing more
    logs = objects.TaskLogList.get_all(admin, usage.AUDIT_TASK_NAME, begin, end)
    assert [(t.host, t.state, t.task_items, t.errors) for t in logs] == \
        [('edge1', 'DONE', 1, 0)]
    _s, _h, body = nova.request('GET', '/v2.1/os-instance-usage-audit-log')
    report = body['instance_usage_audit_logs']
    assert (report['num_hosts'], report['num_hosts_done'], report['total_instances'],
            report['overall_status']) == (1, 1, 1, 'ALL hosts done. 0 errors.')


def test_audit_is_off_by_default(nova):
    admin = context.get_admin_context()
    nova.rpc_service('nova-compute').manager.instance_usage_audit(admin)
    begin, end = usage.last_completed_audit_period()
    assert not objects.TaskLogList.get_all(admin, usage.AUDIT_TASK_NAME, begin, end)
