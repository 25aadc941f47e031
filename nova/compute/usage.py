"""Usage of projects over a period (os-simple-tenant-usage): hours each instance ran
within the period, times its vCPUs, RAM and disk, summed per project.

An instance counts from launched_at (or the period start) to terminated_at (or its
deletion, or the period end); one that never launched counts nothing.
"""

import datetime

from oslo_utils import timeutils

from nova import objects
import nova.conf

CONF = nova.conf.CONF

# The task log name of the instance usage audit.
AUDIT_TASK_NAME = 'instance_usage_audit'


def _naive(value):
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def _ended_at(instance):
    return _naive(instance.terminated_at) or (
        _naive(instance.deleted_at) if instance.deleted else None)


def hours_within(instance, start, stop):
    """Hours ``instance`` ran between the naive UTC datetimes ``start`` and ``stop``."""
    launched = _naive(instance.launched_at)
    ended = _ended_at(instance)
    if launched is None or launched > stop or (ended is not None and ended < start):
        return 0
    begin = max(launched, start)
    end = min(stop, ended) if ended is not None else stop
    return max((end - begin).total_seconds(), 0) / 3600.0


def instances_in_period(context, start, stop, project_id=None):
    """Instances (deleted ones too) that ran within the period, oldest first."""
    filters = {'deleted': None}
    if project_id is not None:
        filters['project_id'] = project_id
    instances = objects.InstanceList.get_by_filters(
        context.elevated(read_deleted='yes'), filters, sort_keys=['created_at', 'id'],
        sort_dirs=['asc', 'asc'], expected_attrs=['flavor'])
    return [i for i in instances
            if i.launched_at is not None and _naive(i.launched_at) <= stop and
            (_ended_at(i) is None or _ended_at(i) >= start)]


def server_usage(instance, start, stop, now=None):
    hours = hours_within(instance, start, stop)
    flavor = instance.flavor if instance.obj_attr_is_set('flavor') else None
    started = _naive(instance.launched_at)
    ended = _ended_at(instance)
    return {
        'instance_id': instance.uuid,
        'name': instance.display_name,
        'tenant_id': instance.project_id,
        'hours': hours,
        'memory_mb': instance.memory_mb or 0,
        'local_gb': (instance.root_gb or 0) + (instance.ephemeral_gb or 0),
        'vcpus': instance.vcpus or 0,
        'flavor': flavor.name if flavor is not None else '',
        'started_at': started,
        'ended_at': ended,
        'state': 'terminated' if instance.deleted else instance.vm_state,
        'uptime': int(((ended or now or timeutils.utcnow()) - started).total_seconds()),
    }


def tenant_usages(instances, start, stop, detailed):
    """[summary per project] of ``instances``, in the order projects first appear."""
    summaries = {}
    now = timeutils.utcnow()
    for instance in instances:
        usage = server_usage(instance, start, stop, now)
        summary = summaries.get(instance.project_id)
        if summary is None:
            summary = summaries[instance.project_id] = {
                'tenant_id': instance.project_id, 'start': start, 'stop': stop,
                'total_hours': 0, 'total_local_gb_usage': 0, 'total_memory_mb_usage': 0,
                'total_vcpus_usage': 0}
            if detailed:
                summary['server_usages'] = []
        summary['total_hours'] += usage['hours']
        summary['total_local_gb_usage'] += usage['local_gb'] * usage['hours']
        summary['total_memory_mb_usage'] += usage['memory_mb'] * usage['hours']
        summary['total_vcpus_usage'] += usage['vcpus'] * usage['hours']
        if detailed:
            summary['server_usages'].append(usage)
    return list(summaries.values())


# -- audit periods ------------------------------------------------------------------------

def _add_months(value, months):
    month = value.month - 1 + months
    return value.replace(year=value.year + month // 12, month=month % 12 + 1)


def last_completed_audit_period(unit=None, before=None):
    """(begin, end) naive UTC datetimes of the last whole audit period that ended at or
    before ``before`` (default now). ``unit``: [DEFAULT] instance_usage_audit_period
    ('hour', 'day', 'month' or 'year', with an optional '@offset')."""
    unit = unit or CONF.instance_usage_audit_period
    unit, _at, offset = unit.partition('@')
    offset = int(offset) if offset else 0
    now = _naive(before) or timeutils.utcnow()
    if unit == 'hour':
        end = now.replace(minute=offset, second=0, microsecond=0)
        if end > now:
            end -= datetime.timedelta(hours=1)
        return end - datetime.timedelta(hours=1), end
    if unit == 'day':
        end = now.replace(hour=offset, minute=0, second=0, microsecond=0)
        if end > now:
            end -= datetime.timedelta(days=1)
        return end - datetime.timedelta(days=1), end
    if unit == 'year':
        end = now.replace(month=max(offset, 1), day=1, hour=0, minute=0, second=0,
                          microsecond=0)
        if end > now:
            end = end.replace(year=end.year - 1)
        return end.replace(year=end.year - 1), end
    end = now.replace(day=max(offset, 1), hour=0, minute=0, second=0, microsecond=0)
    if end > now:
        end = _add_months(end, -1)
    return _add_months(end, -1), end
