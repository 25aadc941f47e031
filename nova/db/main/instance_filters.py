"""The WHERE clause of instance lists: the server filters of the Compute API, in one SELECT.

``apply(context, stmt, filters)`` adds every filter the database can evaluate to ``stmt``
(tags as sub-selects of the same statement, never a query per row) and returns the
address filters, which only Python can evaluate (they read the JSON network info cache):
``matches_addresses(row, address_filters)`` tells whether a loaded row passes them.

Filter vocabulary (``InstanceList.get_by_filters`` takes the same):

- equality, a value or a list of values (any of them; None matches NULL): ``EXACT``;
- ``name``: a regular expression on display_name; ``regex``: {column: regular expression}
  on the text columns of ``REGEX_COLUMNS`` (searched, as MySQL's REGEXP and PostgreSQL's ~
  do; SQLite gets Python's re.search from SQLAlchemy);
- ``config_drive``: True (the instance has one) or False;
- time windows ``{column: [start, end]}`` (start <= value < end) on ``WINDOW_COLUMNS``, and
  ``changes-since`` / ``changes-before`` on updated_at (inclusive); datetimes or ISO 8601
  strings (what a datetime becomes on the bus);
- ``tags`` (all of them), ``tags-any`` (at least one), ``not-tags`` (not all of them),
  ``not-tags-any`` (none of them): lists of tag names;
- ``ip`` / ``ip6``: regular expressions matched at the start of a fixed IPv4 / IPv6 address
  (an instance passes when either matches, as upstream);
- ``deleted`` (bool) with ``soft_deleted`` (bool); ``deleted: None`` for both deleted and
  live instances; without ``deleted`` the context's read_deleted decides.

Non-admin contexts only ever see their own project's instances, whatever the filters say.
"""

import datetime
import re

from oslo_serialization import jsonutils
from oslo_utils import timeutils
import sqlalchemy as sa

from nova import exception
from nova.db.main import models
from nova.db.main import tags as tag_queries

SOFT_DELETED = 'soft-delete'

EXACT = ('uuid', 'project_id', 'user_id', 'image_ref', 'vm_state', 'task_state',
         'instance_type_id', 'host', 'node', 'locked', 'power_state', 'progress',
         'launch_index', 'launched_on', 'auto_disk_config', 'display_name', 'hostname',
         'key_name', 'availability_zone', 'reservation_id')
REGEX_COLUMNS = ('display_name', 'display_description', 'hostname', 'node', 'key_name',
                 'availability_zone', 'reservation_id', 'kernel_id', 'ramdisk_id',
                 'root_device_name', 'locked_by', 'access_ip_v4', 'access_ip_v6')
WINDOW_COLUMNS = ('created_at', 'launched_at', 'terminated_at')
ADDRESS_FILTERS = ('ip', 'ip6')


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def _any_of(column, values):
    """``column`` is one of ``values`` (None among them matches NULL)."""
    present = [value for value in values if value is not None]
    clauses = [column.in_(present)] if present else []
    if None in values:
        clauses.append(column.is_(None))
    return sa.or_(*clauses) if clauses else sa.false()


def _naive_utc(value, name):
    """A stored-form (naive UTC) datetime from a datetime or an ISO 8601 string."""
    if isinstance(value, str):
        try:
            value = timeutils.parse_isotime(value)
        except ValueError:
            raise exception.InvalidInput(reason='%s is not an ISO 8601 time: %r'
                                         % (name, value))
    if not isinstance(value, datetime.datetime):
        raise exception.InvalidInput(reason='%s must be a time, not %r' % (name, value))
    return timeutils.normalize_time(value) if value.tzinfo is not None else value


def _deleted(context, stmt, filters):
    model = models.Instance
    soft_deleted = filters.pop('soft_deleted', None)
    if filters.get('deleted', False) is None:
        filters.pop('deleted')  # deleted or not, explicitly
        return stmt
    if 'deleted' not in filters:
        if context.read_deleted == 'no':
            stmt = stmt.where(model.deleted == 0)
        elif context.read_deleted == 'only':
            stmt = stmt.where(model.deleted != 0)
        return stmt
    if filters.pop('deleted'):
        if soft_deleted is False:
            return stmt.where(model.deleted != 0)
        return stmt.where(sa.or_(model.deleted != 0, model.vm_state == SOFT_DELETED))
    stmt = stmt.where(model.deleted == 0)
    if not soft_deleted:
        stmt = stmt.where(sa.or_(model.vm_state != SOFT_DELETED, model.vm_state.is_(None)))
    return stmt


def _tags(stmt, filters):
    uuid = models.Instance.uuid
    for key, select, negate in (('tags', tag_queries.having_all, False),
                                ('tags-any', tag_queries.having_any, False),
                                ('not-tags', tag_queries.having_all, True),
                                ('not-tags-any', tag_queries.having_any, True)):
        if key in filters:
            names = _as_list(filters.pop(key))
            stmt = stmt.where(uuid.not_in(select(names)) if negate
                              else uuid.in_(select(names)))
    return stmt


def _regexp(column, pattern):
    # NULL never matches (oslo.db's SQLite REGEXP would search the text 'None').
    return sa.and_(column.is_not(None), column.regexp_match(pattern))


def _regex(stmt, patterns):
    unknown = sorted(set(patterns) - set(REGEX_COLUMNS))
    if unknown:
        raise exception.InvalidInput(reason='no regular expression filter on %s'
                                     % ', '.join(unknown))
    for column, pattern in patterns.items():
        stmt = stmt.where(_regexp(getattr(models.Instance, column), pattern))
    return stmt


def _config_drive(wanted):
    column = models.Instance.config_drive
    has_one = sa.and_(column.is_not(None), column != '')
    return has_one if wanted else sa.not_(has_one)


def apply(context, stmt, filters):
    """``stmt`` narrowed by ``filters``; (stmt, the address filters left to Python).

    Unknown filters are refused (InvalidInput): a typo must not widen a list.
    """
    filters = dict(filters or {})
    model = models.Instance
    if not context.is_admin:
        if context.project_id:
            filters['project_id'] = context.project_id
        else:
            filters['user_id'] = context.user_id

    stmt = _deleted(context, stmt, filters)
    stmt = _tags(stmt, filters)
    if 'changes-since' in filters:
        stmt = stmt.where(model.updated_at >= _naive_utc(filters.pop('changes-since'),
                                                         'changes-since'))
    if 'changes-before' in filters:
        stmt = stmt.where(model.updated_at <= _naive_utc(filters.pop('changes-before'),
                                                         'changes-before'))
    if 'name' in filters:
        stmt = stmt.where(_regexp(model.display_name, filters.pop('name')))
    if 'regex' in filters:
        stmt = _regex(stmt, filters.pop('regex'))
    if 'config_drive' in filters:
        stmt = stmt.where(_config_drive(filters.pop('config_drive')))
    for column in WINDOW_COLUMNS:
        if column in filters:
            start, end = filters.pop(column)
            stmt = stmt.where(getattr(model, column) >= _naive_utc(start, column),
                              getattr(model, column) < _naive_utc(end, column))
    for key in EXACT:
        if key in filters:
            stmt = stmt.where(_any_of(getattr(model, key), _as_list(filters.pop(key))))
    addresses = {key: filters.pop(key) for key in ADDRESS_FILTERS if key in filters}
    if filters:
        raise exception.InvalidInput(reason='unknown instance filter(s): %s'
                                     % ', '.join(sorted(filters)))
    for key, pattern in addresses.items():
        try:
            re.compile(pattern)
        except (re.error, TypeError):
            raise exception.InvalidInput(reason='%s is not a regular expression: %r'
                                         % (key, pattern))
    return stmt, addresses


def _fixed_addresses(network_info):
    """(address, version) of every fixed IP in a network info cache (JSON text or list)."""
    if not network_info:
        return
    try:
        vifs = jsonutils.loads(network_info) if isinstance(network_info, str) \
            else network_info
    except ValueError:
        return
    for vif in vifs or []:
        for subnet in (vif.get('network') or {}).get('subnets') or []:
            for ip in subnet.get('ips') or []:
                address = ip.get('address')
                if address and ip.get('type', 'fixed') == 'fixed':
                    yield address, ip.get('version') or (6 if ':' in address else 4)


def matches_addresses(row, address_filters):
    """Does the instance row (info_cache loaded) have a fixed IP matching a filter?"""
    cache = row.info_cache
    return matches_network_info(cache.network_info if cache else None, address_filters)


def matches_network_info(network_info, address_filters):
    """Does a network info cache (JSON text) hold a fixed IP matching a filter?"""
    if not address_filters:
        return True
    patterns = {4: address_filters.get('ip'), 6: address_filters.get('ip6')}
    for address, version in _fixed_addresses(network_info):
        pattern = patterns.get(version)
        if pattern is not None and re.match(pattern, address):
            return True
    return False
