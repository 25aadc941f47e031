import datetime

from oslo_utils import timeutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields

from nova import servicegroup


@ovo_base.VersionedObjectRegistry.register_if(False)
class _Record(ovo_base.VersionedObject):
    """Just the heartbeat fields of a service record."""
    fields = {
        'last_seen_up': fields.DateTimeField(nullable=True),
        'created_at': fields.DateTimeField(nullable=True),
        'report_count': fields.IntegerField(),
        'forced_down': fields.BooleanField(),
    }


def _ago(seconds):
    return timeutils.utcnow(with_timezone=True) - datetime.timedelta(seconds=seconds)


def _record(**values):
    values.setdefault('report_count', 1)
    values.setdefault('forced_down', False)
    values.setdefault('created_at', _ago(3600))
    return _Record(**values)


def test_recent_heartbeat_is_up_and_old_one_down(conf):
    conf.set_override('service_down_time', 60)
    assert servicegroup.service_is_up(_record(last_seen_up=_ago(10)))
    assert not servicegroup.service_is_up(_record(last_seen_up=_ago(120)))


def test_forced_down_wins_over_heartbeat():
    assert not servicegroup.service_is_up(_record(last_seen_up=_ago(0), forced_down=True))


def test_never_reported_counts_from_creation(conf):
    conf.set_override('service_down_time', 60)
    assert servicegroup.service_is_up(
        _record(report_count=0, last_seen_up=None, created_at=_ago(5)))
    assert not servicegroup.service_is_up(
        _record(report_count=0, last_seen_up=None, created_at=_ago(600)))


def test_cleanly_stopped_service_is_down_at_once():
    assert not servicegroup.service_is_up(
        _record(report_count=7, last_seen_up=None, created_at=_ago(1)))
