"""Is a service up? Decided from its heartbeat in the database.

A service is up when it is not forced down and its last heartbeat (``last_seen_up``, or
``updated_at``/``created_at`` for a record that never reported) is within
``service_down_time`` seconds.
"""

from oslo_utils import timeutils

import nova.conf

CONF = nova.conf.CONF


def last_heartbeat(service):
    for field in ('last_seen_up', 'updated_at', 'created_at'):
        if service.obj_attr_is_set(field) and getattr(service, field):
            return getattr(service, field)
    return None


def service_is_up(service):
    if service.obj_attr_is_set('forced_down') and service.forced_down:
        return False
    heartbeat = last_heartbeat(service)
    if heartbeat is None:
        return False
    elapsed = timeutils.delta_seconds(timeutils.normalize_time(heartbeat), timeutils.utcnow())
    return abs(elapsed) <= CONF.service_down_time
