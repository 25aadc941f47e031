"""Is a service up? Decided from its heartbeat in the database.

A service is up when it is not forced down and its last heartbeat is within
``service_down_time`` seconds. The heartbeat is ``last_seen_up``; a record that has never
reported counts from ``created_at``; a record that has reported but has no ``last_seen_up``
was stopped cleanly (nova.service clears it) and is down.
"""

from oslo_utils import timeutils

import nova.conf

CONF = nova.conf.CONF


def _get(service, field):
    return getattr(service, field) if service.obj_attr_is_set(field) else None


def last_heartbeat(service):
    seen = _get(service, 'last_seen_up')
    if seen is not None:
        return seen
    if not _get(service, 'report_count'):
        return _get(service, 'created_at')
    return None


def service_is_up(service):
    if _get(service, 'forced_down'):
        return False
    heartbeat = last_heartbeat(service)
    if heartbeat is None:
        return False
    elapsed = timeutils.delta_seconds(timeutils.normalize_time(heartbeat), timeutils.utcnow())
    return abs(elapsed) <= CONF.service_down_time
