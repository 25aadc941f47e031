"""/os-instance-usage-audit-log: how the compute hosts' instance usage audit went for the
last completed audit period (before now, or before the given timestamp)."""

import datetime

import webob

from nova import objects
from nova.api.openstack import wsgi
from nova.compute import api as compute_api
from nova.compute import usage
from nova.i18n import _
from nova.policy import authorize

RULE = 'os_compute_api:os-instance-usage-audit-log:%s'
TASK_NAME = usage.AUDIT_TASK_NAME


def audit_report(context, before=None):
    """The audit of every compute host for the last period ending before ``before``."""
    begin, end = usage.last_completed_audit_period(before=before)
    task_logs = objects.TaskLogList.get_all(context, TASK_NAME, begin, end)
    # Disabled compute services count too: they may have instances.
    hosts = {s.host for s in compute_api.HostAPI().service_get_all(
        context, {'binary': compute_api.COMPUTE_BINARY})}
    done = {t.host for t in task_logs if t.state == 'DONE'}
    running = {t.host for t in task_logs if t.state == 'RUNNING'}
    total_errors = sum(t.errors or 0 for t in task_logs)
    not_run = sorted(hosts - {t.host for t in task_logs})
    return {
        'period_beginning': str(begin),
        'period_ending': str(end),
        'num_hosts': len(hosts),
        'num_hosts_done': len(done),
        'num_hosts_running': len(running),
        'num_hosts_not_run': len(not_run),
        'hosts_not_run': not_run,
        'total_instances': sum(t.task_items or 0 for t in task_logs),
        'total_errors': total_errors,
        'overall_status': '%s hosts done. %s errors.' % (
            'ALL' if len(done) == len(hosts) else '%s of %s' % (len(done), len(hosts)),
            total_errors),
        'log': {t.host: {'state': t.state, 'instances': t.task_items, 'errors': t.errors,
                         'message': t.message} for t in task_logs},
    }


class InstanceUsageAuditLogController:

    @wsgi.expected_errors(())
    def index(self, req):
        context = req.environ['nova.context']
        authorize(context, RULE % 'list', target={})
        return {'instance_usage_audit_logs': audit_report(context)}

    @wsgi.expected_errors(400)
    def show(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'show', target={})
        for fmt in ('%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f'):
            try:
                before = datetime.datetime.strptime(str(id), fmt)
                break
            except ValueError:
                continue
        else:
            raise webob.exc.HTTPBadRequest(explanation=_(
                'Invalid timestamp for date %s') % id)
        return {'instance_usage_audit_log': audit_report(context, before)}
