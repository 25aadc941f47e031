"""Query functions of the main (cell) database.

Every function takes a RequestContext first and runs in the transaction that
``main_reader``/``main_writer`` opens (or joins) on it, so callers can group several calls in
one transaction by opening an outer ``main_writer`` block. Functions return model rows (read
them as ``row['column']`` or attributes; sessions do not expire them) or lists of rows, and
raise nova exceptions for missing or conflicting records. Instances come back as
InstanceRecords (instance_rows); an action or event written or looked up by request as a
mapping (``row['column']`` only).

``context.read_deleted`` ('no', 'yes', 'only') decides whether soft-deleted rows are seen.
"""

import datetime
import types

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from nova import exception
from nova.db.engines import main_reader
from nova.db.engines import main_writer
from nova.db.main import instance_filters
from nova.db.main import instance_rows
from nova.db.main import models

# -- helpers -------------------------------------------------------------------------------

def _visible(context, stmt, model, read_deleted=None):
    """``stmt`` restricted to rows of ``model`` (a model, or a table's columns ``.c``)
    visible under ``read_deleted`` (default: the context's)."""
    read_deleted = read_deleted or context.read_deleted
    if read_deleted == 'no':
        return stmt.where(model.deleted == 0)
    if read_deleted == 'only':
        return stmt.where(model.deleted != 0)
    if read_deleted != 'yes':
        raise ValueError('read_deleted must be no, yes or only, not %r' % read_deleted)
    return stmt


def _select(context, model, read_deleted=None):
    """SELECT rows of ``model`` visible under ``read_deleted`` (default: the context's)."""
    return _visible(context, sa.select(model), model, read_deleted)


# populate_existing: rows already in the session are refreshed from the database, so a
# read after one of the UPDATE statements below sees its effect.
def _all(context, stmt):
    return list(context.session.scalars(
        stmt.execution_options(populate_existing=True)).unique())


def _first(context, stmt):
    return context.session.scalars(
        stmt.limit(1).execution_options(populate_existing=True)).unique().first()


def _naive_utc(value):
    """Datetimes are stored as naive UTC; objects hand us timezone-aware ones."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timeutils.normalize_time(value)
    return value


def _clean_values(model, values, protected=('id',)):
    """Check ``values`` names real columns of ``model``; return them ready to store."""
    columns = set(sa.inspect(model).columns.keys())
    unknown = sorted(set(values) - columns)
    if unknown:
        raise exception.InvalidInput(
            reason='%s has no column(s) %s' % (model.__tablename__, ', '.join(unknown)))
    return {key: _naive_utc(value) for key, value in values.items() if key not in protected}


def _soft_delete(context, model, *criteria):
    """Soft-delete the live rows matching ``criteria``; return how many were deleted.

    ``deleted`` takes the row's id so unique constraints that include it let a new live row
    reuse the deleted row's unique values. ``updated_at`` keeps its last real change.
    """
    stmt = (sa.update(model)
            .where(model.deleted == 0, *criteria)
            .values(deleted=model.id, deleted_at=timeutils.utcnow(),
                    updated_at=model.updated_at)
            .execution_options(synchronize_session=False))
    return context.session.execute(stmt).rowcount


def _insert(context, model, values):
    row = model()
    row.update(_clean_values(model, values))
    context.session.add(row)
    context.session.flush()
    return row


def _update_row(context, row, values):
    row.update(_clean_values(type(row), values))
    context.session.flush()
    return row


# Core statements run on the transaction's connection, past the ORM's unit of work and row
# loading (several times the cost of the statements on hot paths).

def _execute(context, statement, parameters=None):
    context.session.flush()  # the statement sees what ORM code in this transaction added
    return context.session.connection().execute(statement, parameters)


def _insert_returning(context, table, values):
    """Insert ``values`` into ``table``; the new row, defaults included."""
    return _execute(context, table.insert().values(**values).returning(*table.c)) \
        .mappings().one()


def _update_by_id(context, table, row, values):
    """Write ``values`` to ``row`` (a mapping) by its id; the row as it is now."""
    values = dict(values, updated_at=timeutils.utcnow())
    _execute(context, table.update().where(table.c.id == row['id']).values(**values))
    return {**row, **values}


# -- services ------------------------------------------------------------------------------

def _service_duplicate(error, values):
    if 'binary' in (error.columns or []):
        return exception.ServiceBinaryExists(host=values.get('host'),
                                             binary=values.get('binary'))
    return exception.ServiceTopicExists(host=values.get('host'), topic=values.get('topic'))


def _service_select(context, read_deleted=None):
    return _select(context, models.Service, read_deleted).order_by(models.Service.id)


@main_reader
def service_get(context, service_id):
    row = _first(context, _service_select(context).where(models.Service.id == service_id))
    if row is None:
        raise exception.ServiceNotFound(service_id=service_id)
    return row


@main_reader
def service_get_by_uuid(context, service_uuid):
    row = _first(context, _service_select(context).where(models.Service.uuid == service_uuid))
    if row is None:
        raise exception.ServiceNotFound(service_id=service_uuid)
    return row


@main_reader
def service_get_by_host_and_binary(context, host, binary):
    row = _first(context, _service_select(context).where(
        models.Service.host == host, models.Service.binary == binary))
    if row is None:
        raise exception.HostBinaryNotFound(host=host, binary=binary)
    return row


@main_reader
def service_get_by_host_and_topic(context, host, topic):
    row = _first(context, _service_select(context, 'no').where(
        models.Service.host == host, models.Service.topic == topic))
    if row is None:
        raise exception.HostTopicNotFound(host=host, topic=topic)
    return row


@main_reader
def service_get_by_compute_host(context, host):
    row = _first(context, _service_select(context, 'no').where(
        models.Service.host == host, models.Service.binary == 'nova-compute'))
    if row is None:
        raise exception.ComputeHostNotFound(host=host)
    return row


@main_reader
def service_get_all(context, disabled=None):
    stmt = _service_select(context)
    if disabled is not None:
        stmt = stmt.where(models.Service.disabled == bool(disabled))
    return _all(context, stmt)


@main_reader
def service_get_all_by_binary(context, binary, include_disabled=False):
    stmt = _service_select(context, 'no').where(models.Service.binary == binary)
    if not include_disabled:
        stmt = stmt.where(models.Service.disabled == sa.false())
    return _all(context, stmt)


@main_reader
def service_get_all_by_topic(context, topic):
    return _all(context, _service_select(context, 'no').where(
        models.Service.topic == topic, models.Service.disabled == sa.false()))


@main_reader
def service_get_all_by_host(context, host):
    return _all(context, _service_select(context, 'no').where(models.Service.host == host))


@main_reader
def service_get_minimum_version(context, binary):
    """Lowest version among live, not forced-down ``binary`` services; None if none."""
    stmt = sa.select(sa.func.min(models.Service.version)).where(
        models.Service.binary == binary, models.Service.deleted == 0,
        models.Service.forced_down == sa.false())
    return context.session.execute(stmt).scalar()


@main_writer
def service_create(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    try:
        return _insert(context, models.Service, values)
    except db_exc.DBDuplicateEntry as error:
        raise _service_duplicate(error, values) from error


@main_writer
def service_update(context, service_id, values):
    row = _first(context, _service_select(context, 'no').where(
        models.Service.id == service_id))
    if row is None:
        raise exception.ServiceNotFound(service_id=service_id)
    # Read before the flush: a failed flush leaves the row unreadable.
    current = {'host': row.host, 'binary': row.binary, 'topic': row.topic}
    try:
        return _update_row(context, row, values)
    except db_exc.DBDuplicateEntry as error:
        raise _service_duplicate(error, {**current, **values}) from error


@main_writer
def service_destroy(context, service_id):
    """Soft-delete a service; a nova-compute takes its host's compute nodes with it."""
    row = _first(context, _service_select(context, 'no').where(
        models.Service.id == service_id))
    if row is None:
        raise exception.ServiceNotFound(service_id=service_id)
    _soft_delete(context, models.Service, models.Service.id == service_id)
    if row.binary == 'nova-compute':
        _soft_delete(context, models.ComputeNode,
                     sa.or_(models.ComputeNode.service_id == service_id,
                            models.ComputeNode.host == row.host))


# -- compute nodes -------------------------------------------------------------------------

def _compute_select(context, read_deleted=None):
    return _select(context, models.ComputeNode, read_deleted).order_by(models.ComputeNode.id)


@main_reader
def compute_node_get(context, compute_id):
    row = _first(context, _compute_select(context).where(models.ComputeNode.id == compute_id))
    if row is None:
        raise exception.ComputeHostNotFound(host=compute_id)
    return row


@main_reader
def compute_node_get_by_uuid(context, compute_uuid):
    row = _first(context, _compute_select(context).where(
        models.ComputeNode.uuid == compute_uuid))
    if row is None:
        raise exception.ComputeHostNotFound(host=compute_uuid)
    return row


@main_reader
def compute_node_get_by_host_and_nodename(context, host, nodename):
    row = _first(context, _compute_select(context, 'no').where(
        models.ComputeNode.host == host,
        models.ComputeNode.hypervisor_hostname == nodename))
    if row is None:
        raise exception.ComputeHostNotFound(host=host)
    return row


@main_reader
def compute_node_get_all(context):
    return _all(context, _compute_select(context, 'no'))


@main_reader
def compute_node_get_all_by_host(context, host):
    rows = _all(context, _compute_select(context, 'no').where(models.ComputeNode.host == host))
    if not rows:
        raise exception.ComputeHostNotFound(host=host)
    return rows


@main_reader
def compute_node_search_by_hypervisor(context, hypervisor_match):
    """Compute nodes whose hypervisor_hostname contains ``hypervisor_match``."""
    pattern = '%' + _escape_like(hypervisor_match) + '%'
    return _all(context, _compute_select(context, 'no').where(
        models.ComputeNode.hypervisor_hostname.like(pattern, escape='\\')))


def _escape_like(text):
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


@main_writer
def compute_node_create(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    try:
        return _insert(context, models.ComputeNode, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.ComputeNodeExists(host=values.get('host'),
                                          node=values.get('hypervisor_hostname')) from error


@main_writer
def compute_node_update(context, compute_id, values):
    row = _first(context, _compute_select(context, 'no').where(
        models.ComputeNode.id == compute_id))
    if row is None:
        raise exception.ComputeHostNotFound(host=compute_id)
    host = values.get('host', row.host)
    node = values.get('hypervisor_hostname', row.hypervisor_hostname)
    try:
        return _update_row(context, row, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.ComputeNodeExists(host=host, node=node) from error


@main_writer
def compute_node_delete(context, compute_id):
    if not _soft_delete(context, models.ComputeNode, models.ComputeNode.id == compute_id):
        raise exception.ComputeHostNotFound(host=compute_id)


# -- instances -----------------------------------------------------------------------------

# The task_state of an instance being deleted; the literal value is part of the API.
DELETING = 'deleting'

# instance_extra columns the instance functions accept in ``values['extra']``.
_EXTRA_COLUMNS = ('device_metadata', 'numa_topology', 'pci_requests', 'flavor', 'vcpu_model',
                  'migration_context', 'keypairs', 'trusted_certs', 'resources')

# Children soft-deleted along with their instance.
_INSTANCE_CHILDREN = (models.InstanceMetadata, models.InstanceSystemMetadata,
                      models.InstanceExtra, models.InstanceInfoCache,
                      models.BlockDeviceMapping, models.SecurityGroupInstanceAssociation)

_INSTANCES = models.Instance.__table__
_EXTRAS = models.InstanceExtra.__table__

_INSTANCE_SORT_KEYS = frozenset(sa.inspect(models.Instance).columns.keys())


def _instance_records(context, *conditions, read_deleted=None):
    """InstanceRecords matching ``conditions`` (on _INSTANCES' Core columns), visible
    under ``read_deleted`` (default: the context's), in id order. Rows this transaction
    has added are flushed first."""
    stmt = _visible(context, instance_rows.select().where(*conditions), _INSTANCES.c,
                    read_deleted)
    context.session.flush()
    return instance_rows.fetch(context.session, stmt.order_by(_INSTANCES.c.id))


def _instance_by_uuid(context, instance_uuid, read_deleted=None):
    records = _instance_records(context, _INSTANCES.c.uuid == instance_uuid,
                                read_deleted=read_deleted)
    if not records:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    return records[0]


def _check_instance_exists(context, instance_uuid, read_deleted=None):
    """InstanceNotFound unless the instance exists (one light SELECT, not the whole
    instance with its children)."""
    stmt = _visible(context, sa.select(_INSTANCES.c.id).where(
        _INSTANCES.c.uuid == instance_uuid), _INSTANCES.c, read_deleted)
    if _execute(context, stmt.limit(1)).first() is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)


def _split_instance_values(values):
    """(instance columns, metadata, system_metadata, extra columns, network_info)."""
    values = dict(values)
    metadata = values.pop('metadata', None)
    system_metadata = values.pop('system_metadata', None)
    extra = values.pop('extra', None) or {}
    network_info = values.pop('network_info', None)
    unknown = sorted(set(extra) - set(_EXTRA_COLUMNS))
    if unknown:
        raise exception.InvalidInput(reason='instance_extra has no column(s) %s'
                                     % ', '.join(unknown))
    return values, metadata, system_metadata, extra, network_info


def _check_key_values(kind, items):
    for key, value in items.items():
        if not isinstance(key, str) or not key or len(key) > 255 or \
                (value is not None and (not isinstance(value, str) or len(value) > 255)):
            raise exception.InvalidInput(
                reason='%s keys and values must be strings of at most 255 characters: '
                       '%r=%r' % (kind, key, value))


def _set_key_values(context, model, instance_uuid, items):
    """Make the live rows of ``model`` for the instance equal to the dict ``items``."""
    existing = {row.key: row for row in _all(context, _select(context, model, 'no').where(
        model.instance_uuid == instance_uuid))}
    gone = [row.id for key, row in existing.items() if key not in items]
    if gone:
        _soft_delete(context, model, model.id.in_(gone))
    for key, value in items.items():
        row = existing.get(key)
        if row is None:
            context.session.add(model(instance_uuid=instance_uuid, key=key, value=value))
        elif row.value != value:
            row.value = value


@main_writer
def instance_create(context, values):
    """Create an instance with its metadata, extra documents and network info cache.

    ``values`` holds instance columns plus optional ``metadata`` and ``system_metadata``
    dicts, ``extra`` (instance_extra columns: JSON texts) and ``network_info`` (JSON text).
    """
    values, metadata, system_metadata, extra, network_info = _split_instance_values(values)
    values = _clean_values(models.Instance, values)
    uuid = values.setdefault('uuid', uuidutils.generate_uuid())
    _check_key_values('metadata', metadata or {})
    _check_key_values('system_metadata', system_metadata or {})
    try:
        _execute(context, _INSTANCES.insert().values(**values))
    except db_exc.DBDuplicateEntry as error:
        raise exception.InstanceExists(name=uuid) from error
    for model, items in ((models.InstanceMetadata, metadata),
                         (models.InstanceSystemMetadata, system_metadata)):
        if items:
            _execute(context, model.__table__.insert(),
                     [{'instance_uuid': uuid, 'key': key, 'value': value}
                      for key, value in items.items()])
    _execute(context, _EXTRAS.insert().values(
        **_clean_values(models.InstanceExtra, dict(extra, instance_uuid=uuid))))
    _execute(context, models.InstanceInfoCache.__table__.insert().values(
        instance_uuid=uuid, network_info=network_info))
    return _instance_by_uuid(context, uuid, 'no')


@main_reader
def instance_get_by_uuid(context, instance_uuid):
    return _instance_by_uuid(context, instance_uuid)


@main_reader
def instance_get(context, instance_id):
    records = _instance_records(context, _INSTANCES.c.id == instance_id)
    if not records:
        raise exception.InstanceNotFound(instance_id=instance_id)
    return records[0]


def _state_matches(column, expected):
    """WHERE clause: ``column`` is one of ``expected`` (which may include None)."""
    values = [value for value in expected if value is not None]
    clauses = [column.in_(values)] if values else []
    if None in expected:
        clauses.append(column.is_(None))
    return sa.or_(*clauses) if clauses else sa.false()


def _raise_unexpected_state(context, instance_uuid, expected_task_state, expected_vm_state):
    current = _instance_by_uuid(context, instance_uuid, 'no')
    if expected_task_state is not None and current.task_state not in expected_task_state:
        error = (exception.UnexpectedDeletingTaskStateError
                 if current.task_state == DELETING else exception.UnexpectedTaskStateError)
        raise error(instance_uuid=instance_uuid, expected=expected_task_state,
                    actual=current.task_state)
    raise exception.UnexpectedVMStateError(instance_uuid=instance_uuid,
                                           expected=expected_vm_state,
                                           actual=current.vm_state)


@main_writer
def instance_update(context, instance_uuid, values, expected_task_state=None,
                    expected_vm_state=None, reread=True):
    """Update a live instance and its children; return the updated row (with
    ``reread=False``: only the instance columns written, ``updated_at`` among them, without
    reading the instance back).

    With ``expected_task_state``/``expected_vm_state`` (lists of allowed values; None in a
    list means "no state") the update is a compare-and-swap done by one UPDATE ... WHERE, so
    of two racing callers exactly one wins; the other gets UnexpectedTaskStateError
    (UnexpectedDeletingTaskStateError when the instance is being deleted) or
    UnexpectedVMStateError, and nothing is changed.
    """
    values, metadata, system_metadata, extra, network_info = _split_instance_values(values)
    values = _clean_values(models.Instance, values, protected=('id', 'uuid'))
    if metadata is not None:
        _check_key_values('metadata', metadata)
    if system_metadata is not None:
        _check_key_values('system_metadata', system_metadata)

    columns = _INSTANCES.c  # Core columns: ORM ones would take the ORM's bulk UPDATE path
    criteria = [columns.uuid == instance_uuid, columns.deleted == 0]
    if expected_task_state is not None:
        criteria.append(_state_matches(columns.task_state, expected_task_state))
    if expected_vm_state is not None:
        criteria.append(_state_matches(columns.vm_state, expected_vm_state))
    # Always issue the UPDATE (touching updated_at) so the compare-and-swap takes the row
    # lock even when only children change.
    values.setdefault('updated_at', timeutils.utcnow())
    if _execute(context, _INSTANCES.update().where(*criteria).values(**values)).rowcount != 1:
        if expected_task_state is None and expected_vm_state is None:
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        _raise_unexpected_state(context, instance_uuid, expected_task_state,
                                expected_vm_state)

    if metadata is not None:
        _set_key_values(context, models.InstanceMetadata, instance_uuid, metadata)
    if system_metadata is not None:
        _set_key_values(context, models.InstanceSystemMetadata, instance_uuid,
                        system_metadata)
    if extra:
        _execute(context, _EXTRAS.update().where(_EXTRAS.c.instance_uuid == instance_uuid)
                 .values(**extra))
    if network_info is not None:
        instance_info_cache_update(context, instance_uuid, network_info)
    context.session.flush()
    if not reread:
        return values
    return _instance_by_uuid(context, instance_uuid, 'no')


_ANY_HOST = object()


@main_writer
def instance_destroy(context, instance_uuid, expected_host=_ANY_HOST):
    """Soft-delete an instance and its metadata, extras, cache, BDMs and group links.

    With ``expected_host`` the delete only happens while the instance is still on that
    host (ObjectActionError otherwise), so a delete cannot race a move.
    """
    criteria = [models.Instance.uuid == instance_uuid]
    if expected_host is not _ANY_HOST:
        criteria.append(models.Instance.host.is_(None) if expected_host is None
                        else models.Instance.host == expected_host)
    if not _soft_delete(context, models.Instance, *criteria):
        _instance_by_uuid(context, instance_uuid, 'no')  # raises InstanceNotFound
        raise exception.ObjectActionError(action='destroy', reason='host changed')
    for model in _INSTANCE_CHILDREN:
        _soft_delete(context, model, model.instance_uuid == instance_uuid)
    return _instance_by_uuid(context, instance_uuid, 'yes')


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def _instance_marker(context, marker):
    # Any instance (even a deleted one) can mark a page boundary.
    row = _first(context, sa.select(models.Instance).where(models.Instance.uuid == marker))
    if row is None:
        raise exception.MarkerNotFound(marker=marker)
    return row


def _keyset_after(model, sort_keys, sort_dirs, marker):
    """Rows after ``marker`` in (sort_keys, sort_dirs) order; NULLs sort first ascending."""
    alternatives = []
    for position, key in enumerate(sort_keys):
        clauses = []
        for previous in sort_keys[:position]:
            column, value = getattr(model, previous), getattr(marker, previous)
            clauses.append(column.is_(None) if value is None else column == value)
        column, value = getattr(model, key), getattr(marker, key)
        ascending = sort_dirs[position] == 'asc'
        if value is None:
            if not ascending:
                continue  # nothing sorts after NULL descending
            clauses.append(column.is_not(None))
        elif ascending:
            clauses.append(column > value)
        else:
            clauses.append(sa.or_(column < value, column.is_(None)))
        alternatives.append(sa.and_(*clauses))
    return sa.or_(*alternatives) if alternatives else sa.false()


def _order(model, sort_keys, sort_dirs):
    order = []
    for key, direction in zip(sort_keys, sort_dirs):
        column = getattr(model, key)
        # NULLs first ascending, last descending, identically on every backend.
        order.append(sa.case((column.is_(None), 0), else_=1).asc() if direction == 'asc'
                     else sa.case((column.is_(None), 0), else_=1).desc())
        order.append(column.asc() if direction == 'asc' else column.desc())
    return order


def _sort_spec(sort_keys, sort_dirs, allowed, default_key='created_at', default_dir='desc'):
    sort_keys = list(sort_keys or [default_key])
    sort_dirs = list(sort_dirs or [])
    if len(sort_dirs) > len(sort_keys):
        raise exception.InvalidInput(reason='more sort directions than sort keys')
    sort_dirs += [sort_dirs[0] if sort_dirs else default_dir] * (len(sort_keys) -
                                                                 len(sort_dirs))
    for key in sort_keys:
        if key not in allowed:
            raise exception.InvalidSortKey()
    for direction in sort_dirs:
        if direction not in ('asc', 'desc'):
            raise exception.InvalidInput(reason='sort direction must be asc or desc, not %r'
                                         % direction)
    if 'id' not in sort_keys:  # a unique last key makes paging stable
        sort_keys.append('id')
        sort_dirs.append(sort_dirs[0])
    return sort_keys, sort_dirs


@main_reader
def instance_get_all_by_filters_sort(context, filters, limit=None, marker=None,
                                     sort_keys=None, sort_dirs=None):
    """Instances matching ``filters`` (see nova.db.main.instance_filters), sorted, after the
    instance ``marker`` (a uuid): one SELECT, its children loaded alongside."""
    sort_keys, sort_dirs = _sort_spec(sort_keys, sort_dirs, _INSTANCE_SORT_KEYS)
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise exception.InvalidInput(reason='limit must be a non-negative integer')
    stmt, address_filters = instance_filters.apply(context, instance_rows.select(), filters)
    if marker is not None:
        stmt = stmt.where(_keyset_after(models.Instance, sort_keys, sort_dirs,
                                        _instance_marker(context, marker)))
    stmt = stmt.order_by(*_order(models.Instance, sort_keys, sort_dirs))
    if not address_filters:
        return instance_rows.fetch(context.session,
                                   stmt.limit(limit) if limit is not None else stmt)
    # Addresses live in the JSON network info cache: match them here, then page.
    records = [record for record in instance_rows.fetch(context.session, stmt)
               if instance_filters.matches_addresses(record, address_filters)]
    return records[:limit] if limit is not None else records


def instance_sort_spec(sort_keys, sort_dirs):
    """Complete (sort keys, directions) of an instance list, as
    instance_get_all_by_filters_sort sorts (InvalidSortKey, InvalidInput)."""
    return _sort_spec(sort_keys, sort_dirs, _INSTANCE_SORT_KEYS)


def instance_keyset_after(context, sort_keys, sort_dirs, marker):
    """WHERE clause: instances after the instance ``marker`` (a uuid; MarkerNotFound)."""
    return _keyset_after(models.Instance, sort_keys, sort_dirs,
                         _instance_marker(context, marker))


def instance_order(sort_keys, sort_dirs):
    """ORDER BY clauses of a complete sort spec (NULLs placed alike on every backend)."""
    return _order(models.Instance, sort_keys, sort_dirs)


@main_reader
def instance_get_all_by_host(context, host):
    return _instance_records(context, _INSTANCES.c.host == host)


@main_reader
def instance_get_all_by_host_and_node(context, host, node):
    return _instance_records(context, _INSTANCES.c.host == host,
                             _INSTANCES.c.node == node)


@main_reader
def instance_count_usage(context, project_id, user_id=None):
    """Live instances, vcpus and memory of a project (and of one of its users)."""
    def usage(*criteria):
        stmt = sa.select(sa.func.count(models.Instance.id),
                         sa.func.coalesce(sa.func.sum(models.Instance.vcpus), 0),
                         sa.func.coalesce(sa.func.sum(models.Instance.memory_mb), 0)).where(
            models.Instance.deleted == 0, models.Instance.project_id == project_id, *criteria)
        count, cores, ram = context.session.execute(stmt).one()
        return {'instances': int(count), 'cores': int(cores), 'ram': int(ram)}

    counts = {'project': usage()}
    if user_id is not None:
        counts['user'] = usage(models.Instance.user_id == user_id)
    return counts


@main_writer
def instance_info_cache_update(context, instance_uuid, network_info):
    """Replace the instance's network info (JSON text); create the cache if missing."""
    row = _first(context, _select(context, models.InstanceInfoCache, 'yes').where(
        models.InstanceInfoCache.instance_uuid == instance_uuid))
    if row is None:
        return _insert(context, models.InstanceInfoCache,
                       {'instance_uuid': instance_uuid, 'network_info': network_info})
    return _update_row(context, row, {'network_info': network_info})


# -- instance faults -----------------------------------------------------------------------

_FAULT_MESSAGE_LENGTH = 255


@main_writer
def instance_fault_create(context, values):
    values = dict(values)
    if values.get('message') and len(values['message']) > _FAULT_MESSAGE_LENGTH:
        values['message'] = values['message'][:_FAULT_MESSAGE_LENGTH]
    _check_instance_exists(context, values.get('instance_uuid'), 'yes')
    return _insert(context, models.InstanceFault, values)


@main_reader
def instance_fault_get_by_instance_uuids(context, instance_uuids, latest=False):
    """{instance uuid: [faults, newest first]} (only the newest one with ``latest``)."""
    faults = {uuid: [] for uuid in instance_uuids}
    if not instance_uuids:
        return faults
    rows = _all(context, _select(context, models.InstanceFault, 'no').where(
        models.InstanceFault.instance_uuid.in_(list(instance_uuids))).order_by(
        models.InstanceFault.created_at.desc(), models.InstanceFault.id.desc()))
    for row in rows:
        if latest and faults[row.instance_uuid]:
            continue
        faults[row.instance_uuid].append(row)
    return faults


def _get_one(context, model, error, read_deleted=None, **criteria):
    """The one live row of ``model`` with column values ``criteria``, else ``error``."""
    stmt = _select(context, model, read_deleted).where(
        *[getattr(model, key) == value for key, value in criteria.items()])
    row = _first(context, stmt.order_by(model.id))
    if row is None:
        raise error
    return row


# -- instance actions and their events -----------------------------------------------------
# Core statements: a boot records an action and four events. Rows are mappings.

_ACTIONS = models.InstanceAction.__table__
_EVENTS = models.InstanceActionEvent.__table__


def _action_for_request(context, instance_uuid, request_id):
    return _execute(context, sa.select(_ACTIONS).where(
        _ACTIONS.c.deleted == 0, _ACTIONS.c.instance_uuid == instance_uuid,
        _ACTIONS.c.request_id == request_id).order_by(_ACTIONS.c.id.desc()).limit(1)) \
        .mappings().first()


def _action_or_raise(context, instance_uuid, request_id):
    action = _action_for_request(context, instance_uuid, request_id)
    if action is None:
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=instance_uuid)
    return action


@main_writer
def action_start(context, values):
    """Record the start of a user request (action) on an instance."""
    _check_instance_exists(context, values.get('instance_uuid'), 'yes')
    return _insert_returning(context, _ACTIONS, _clean_values(models.InstanceAction, values))


@main_writer
def action_finish(context, values):
    """Mark the action of (instance_uuid, request_id) finished."""
    action = _action_or_raise(context, values['instance_uuid'], values['request_id'])
    updates = {key: value for key, value in values.items()
               if key not in ('instance_uuid', 'request_id')}
    updates.setdefault('finish_time', timeutils.utcnow())
    return _update_by_id(context, _ACTIONS, action,
                         _clean_values(models.InstanceAction, updates))


@main_reader
def action_get_by_request_id(context, instance_uuid, request_id):
    """The action, or None."""
    return _action_for_request(context, instance_uuid, request_id)


@main_reader
def actions_get(context, instance_uuid, limit=None, marker=None):
    """The instance's actions, newest first; ``marker`` is a request id."""
    model = models.InstanceAction
    stmt = _select(context, model).where(model.instance_uuid == instance_uuid)
    if marker is not None:
        marker_row = _action_for_request(context, instance_uuid, marker)
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
        stmt = stmt.where(_keyset_after(model, ['created_at', 'id'], ['desc', 'desc'],
                                        types.SimpleNamespace(**marker_row)))
    stmt = stmt.order_by(*_order(model, ['created_at', 'id'], ['desc', 'desc']))
    if limit is not None:
        stmt = stmt.limit(limit)
    return _all(context, stmt)


@main_writer
def action_event_start(context, values):
    """Record the start of an event within the action of values' request id."""
    values = dict(values)
    action = _action_or_raise(context, values.pop('instance_uuid'), values.pop('request_id'))
    values['action_id'] = action['id']
    values.setdefault('start_time', timeutils.utcnow())
    event = _insert_returning(context, _EVENTS,
                              _clean_values(models.InstanceActionEvent, values))
    _update_by_id(context, _ACTIONS, action, {})  # the action is still making progress
    return event


@main_writer
def action_event_finish(context, values):
    """Finish the latest event named values['event'] of the request's action.

    A result of 'Error' also marks the action itself as failed (message 'Error').
    """
    values = dict(values)
    action = _action_or_raise(context, values.pop('instance_uuid'), values.pop('request_id'))
    event = _execute(context, sa.select(_EVENTS).where(
        _EVENTS.c.deleted == 0, _EVENTS.c.action_id == action['id'],
        _EVENTS.c.event == values['event']).order_by(_EVENTS.c.id.desc()).limit(1)) \
        .mappings().first()
    if event is None:
        raise exception.InstanceActionEventNotFound(action_id=action['id'],
                                                    event=values['event'])
    values.setdefault('finish_time', timeutils.utcnow())
    failed = values.get('result', '').lower() == 'error'
    _update_by_id(context, _ACTIONS, action, {'message': 'Error'} if failed else {})
    return _update_by_id(context, _EVENTS, event,
                         _clean_values(models.InstanceActionEvent, values))


@main_reader
def action_events_get(context, action_id):
    model = models.InstanceActionEvent
    return _all(context, _select(context, model).where(model.action_id == action_id).order_by(
        model.created_at.desc(), model.id.desc()))


@main_reader
def action_event_get_by_id(context, action_id, event_id):
    return _get_one(context, models.InstanceActionEvent,
                    exception.InstanceActionEventNotFound(action_id=action_id, event=event_id),
                    action_id=action_id, id=event_id)


# -- block device mappings -----------------------------------------------------------------

@main_writer
def block_device_mapping_create(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    try:
        return _insert(context, models.BlockDeviceMapping, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.BlockDeviceMappingExists(uuid=values['uuid']) from error


@main_reader
def block_device_mapping_get(context, bdm_id):
    return _get_one(context, models.BlockDeviceMapping,
                    exception.BlockDeviceMappingNotFound(id=bdm_id), id=bdm_id)


@main_reader
def block_device_mapping_get_by_uuid(context, bdm_uuid):
    return _get_one(context, models.BlockDeviceMapping,
                    exception.BlockDeviceMappingNotFound(id=bdm_uuid), uuid=bdm_uuid)


@main_writer
def block_device_mapping_update(context, bdm_id, values):
    row = _get_one(context, models.BlockDeviceMapping,
                   exception.BlockDeviceMappingNotFound(id=bdm_id), 'no', id=bdm_id)
    return _update_row(context, row, values)


@main_writer
def block_device_mapping_destroy(context, bdm_id):
    model = models.BlockDeviceMapping
    if not _soft_delete(context, model, model.id == bdm_id):
        raise exception.BlockDeviceMappingNotFound(id=bdm_id)


@main_reader
def block_device_mapping_get_all_by_instance_uuids(context, instance_uuids):
    model = models.BlockDeviceMapping
    if not instance_uuids:
        return []
    return _all(context, _select(context, model, 'no').where(
        model.instance_uuid.in_(list(instance_uuids))).order_by(model.id))


@main_reader
def block_device_mapping_get_by_volume_id(context, volume_id, instance_uuid=None):
    model = models.BlockDeviceMapping
    stmt = _select(context, model, 'no').where(model.volume_id == volume_id)
    if instance_uuid is not None:
        stmt = stmt.where(model.instance_uuid == instance_uuid)
    row = _first(context, stmt.order_by(model.id))
    if row is None:
        raise exception.BlockDeviceMappingNotFound(id=volume_id)
    return row


# -- security groups -----------------------------------------------------------------------

DEFAULT_SECURITY_GROUP = 'default'


def _group_exists_error(values):
    return exception.SecurityGroupExists(project_id=values.get('project_id'),
                                         security_group_name=values.get('name'))


@main_writer
def security_group_create(context, values):
    try:
        return _insert(context, models.SecurityGroup, values)
    except db_exc.DBDuplicateEntry as error:
        raise _group_exists_error(values) from error


@main_reader
def security_group_get(context, group_id):
    return _get_one(context, models.SecurityGroup,
                    exception.SecurityGroupNotFound(security_group_id=group_id), id=group_id)


@main_reader
def security_group_get_by_name(context, project_id, group_name):
    return _get_one(context, models.SecurityGroup,
                    exception.SecurityGroupNotFoundForProject(
                        project_id=project_id, security_group_id=group_name),
                    'no', project_id=project_id, name=group_name)


@main_reader
def security_group_get_all(context, project_id=None):
    model = models.SecurityGroup
    stmt = _select(context, model, 'no')
    if project_id is not None:
        stmt = stmt.where(model.project_id == project_id)
    return _all(context, stmt.order_by(model.id))


@main_reader
def security_group_get_by_instance(context, instance_uuid):
    group, link = models.SecurityGroup, models.SecurityGroupInstanceAssociation
    return _all(context, _select(context, group, 'no').join(
        link, link.security_group_id == group.id).where(
        link.instance_uuid == instance_uuid, link.deleted == 0).order_by(group.id))


@main_reader
def security_group_names_by_instance_uuids(context, instance_uuids):
    """{instance uuid: [group name, ...]} for many instances in one query."""
    group, link = models.SecurityGroup, models.SecurityGroupInstanceAssociation
    stmt = sa.select(link.instance_uuid, group.name).join(
        group, link.security_group_id == group.id).where(
        link.instance_uuid.in_(list(instance_uuids)), link.deleted == 0,
        group.deleted == 0).order_by(group.id)
    names = {uuid: [] for uuid in instance_uuids}
    for instance_uuid, name in context.session.execute(stmt):
        names[instance_uuid].append(name)
    return names


@main_reader
def security_group_in_use(context, group_id):
    """Whether a live instance is still in the group."""
    link, instance = models.SecurityGroupInstanceAssociation, models.Instance
    stmt = sa.select(sa.func.count()).select_from(link).join(
        instance, instance.uuid == link.instance_uuid).where(
        link.security_group_id == group_id, link.deleted == 0, instance.deleted == 0)
    return context.session.execute(stmt).scalar() > 0


@main_writer
def security_group_update(context, group_id, values):
    row = _get_one(context, models.SecurityGroup,
                   exception.SecurityGroupNotFound(security_group_id=group_id), 'no',
                   id=group_id)
    current = {'project_id': row.project_id, 'name': row.name}
    try:
        return _update_row(context, row, values)
    except db_exc.DBDuplicateEntry as error:
        raise _group_exists_error({**current, **values}) from error


@main_writer
def security_group_destroy(context, group_id):
    """Soft-delete a group, its rules, rules granting to it and its instance links."""
    group = models.SecurityGroup
    if not _soft_delete(context, group, group.id == group_id):
        raise exception.SecurityGroupNotFound(security_group_id=group_id)
    rule = models.SecurityGroupIngressRule
    _soft_delete(context, rule, sa.or_(rule.parent_group_id == group_id,
                                       rule.group_id == group_id))
    link = models.SecurityGroupInstanceAssociation
    _soft_delete(context, link, link.security_group_id == group_id)


@main_writer
def security_group_ensure_default(context):
    """The context project's 'default' group, created if it does not exist yet."""
    try:
        return security_group_get_by_name(context, context.project_id,
                                          DEFAULT_SECURITY_GROUP)
    except exception.NotFound:
        pass
    with context.session.begin_nested():
        try:
            return _insert(context, models.SecurityGroup, {
                'name': DEFAULT_SECURITY_GROUP, 'description': 'default',
                'user_id': context.user_id, 'project_id': context.project_id})
        except db_exc.DBDuplicateEntry:
            pass  # created concurrently: read the winner's below
    return security_group_get_by_name(context, context.project_id, DEFAULT_SECURITY_GROUP)


@main_writer
def instance_add_security_group(context, instance_uuid, group_id):
    security_group_get(context, group_id)
    _instance_by_uuid(context, instance_uuid, 'no')
    link = models.SecurityGroupInstanceAssociation
    existing = _first(context, _select(context, link, 'no').where(
        link.instance_uuid == instance_uuid, link.security_group_id == group_id))
    if existing is not None:
        raise exception.SecurityGroupExistsForInstance(security_group_id=group_id,
                                                       instance_id=instance_uuid)
    return _insert(context, link, {'instance_uuid': instance_uuid,
                                   'security_group_id': group_id})


@main_writer
def instance_remove_security_group(context, instance_uuid, group_id):
    link = models.SecurityGroupInstanceAssociation
    if not _soft_delete(context, link, link.instance_uuid == instance_uuid,
                        link.security_group_id == group_id):
        raise exception.SecurityGroupNotExistsForInstance(security_group_id=group_id,
                                                          instance_id=instance_uuid)


@main_writer
def security_group_rule_create(context, values):
    security_group_get(context, values.get('parent_group_id'))
    if values.get('group_id') is not None:
        security_group_get(context, values['group_id'])
    return _insert(context, models.SecurityGroupIngressRule, values)


@main_reader
def security_group_rule_get(context, rule_id):
    return _get_one(context, models.SecurityGroupIngressRule,
                    exception.SecurityGroupRuleNotFound(rule_id=rule_id), id=rule_id)


@main_reader
def security_group_rule_get_by_security_group(context, group_id):
    rule = models.SecurityGroupIngressRule
    return _all(context, _select(context, rule, 'no').where(
        rule.parent_group_id == group_id).order_by(rule.id))


@main_reader
def security_group_rule_get_by_instance(context, instance_uuid):
    rule, link = models.SecurityGroupIngressRule, models.SecurityGroupInstanceAssociation
    return _all(context, _select(context, rule, 'no').join(
        link, link.security_group_id == rule.parent_group_id).where(
        link.instance_uuid == instance_uuid, link.deleted == 0).order_by(rule.id))


@main_writer
def security_group_rule_destroy(context, rule_id):
    rule = models.SecurityGroupIngressRule
    if not _soft_delete(context, rule, rule.id == rule_id):
        raise exception.SecurityGroupRuleNotFound(rule_id=rule_id)


# -- networks (nova-network) ---------------------------------------------------------------

@main_writer
def network_create_safe(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    try:
        return _insert(context, models.Network, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.DuplicateVlan(vlan=values.get('vlan')) from error


@main_reader
def network_get(context, network_id):
    return _get_one(context, models.Network,
                    exception.NetworkNotFound(network_id=network_id), id=network_id)


@main_reader
def network_get_by_uuid(context, network_uuid):
    return _get_one(context, models.Network,
                    exception.NetworkNotFound(network_id=network_uuid), 'no',
                    uuid=network_uuid)


@main_reader
def network_get_all(context, project_id=None, uuids=None):
    model = models.Network
    stmt = _select(context, model, 'no')
    if project_id is not None:
        stmt = stmt.where(model.project_id == project_id)
    if uuids is not None:
        stmt = stmt.where(model.uuid.in_(list(uuids)))
    return _all(context, stmt.order_by(model.id))


@main_reader
def network_get_all_by_host(context, host):
    """Networks ``host`` serves: set as their host, or holding one of its fixed IPs."""
    model, fixed = models.Network, models.FixedIp
    used_here = sa.select(fixed.network_id).where(fixed.host == host, fixed.deleted == 0)
    return _all(context, _select(context, model, 'no').where(
        sa.or_(model.host == host, model.id.in_(used_here))).order_by(model.id))


@main_writer
def network_update(context, network_id, values):
    row = _get_one(context, models.Network,
                   exception.NetworkNotFound(network_id=network_id), 'no', id=network_id)
    vlan = values.get('vlan', row.vlan)
    try:
        return _update_row(context, row, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.DuplicateVlan(vlan=vlan) from error


@main_writer
def network_associate(context, project_id, network_id=None, force=False):
    """Give ``project_id`` a network: ``network_id``, or any free one.

    Without ``force`` a project that already has a network keeps it.
    """
    model = models.Network
    if not force:
        existing = _first(context, _select(context, model, 'no').where(
            model.project_id == project_id).order_by(model.id))
        if existing is not None:
            return existing
    stmt = _select(context, model, 'no').where(model.project_id.is_(None))
    if network_id is not None:
        stmt = _select(context, model, 'no').where(model.id == network_id)
    row = _first(context, stmt.order_by(model.id).with_for_update())
    if row is None:
        raise exception.NetworkNotFound(network_id=network_id or 'free')
    row.project_id = project_id
    context.session.flush()
    return row


@main_writer
def network_disassociate(context, network_id, disassociate_host=True,
                         disassociate_project=True):
    values = {}
    if disassociate_host:
        values['host'] = None
    if disassociate_project:
        values['project_id'] = None
    return network_update(context, network_id, values)


@main_writer
def network_delete_safe(context, network_id):
    """Soft-delete a network and its fixed IPs; NetworkInUse while an IP is allocated."""
    fixed = models.FixedIp
    in_use = _first(context, _select(context, fixed, 'no').where(
        fixed.network_id == network_id, fixed.allocated == sa.true()))
    if in_use is not None:
        raise exception.NetworkInUse(network_id=network_id)
    if not _soft_delete(context, models.Network, models.Network.id == network_id):
        raise exception.NetworkNotFound(network_id=network_id)
    _soft_delete(context, fixed, fixed.network_id == network_id)


# -- fixed IPs -----------------------------------------------------------------------------

@main_writer
def fixed_ip_create(context, values):
    try:
        return _insert(context, models.FixedIp, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.FixedIpExists(address=values.get('address')) from error


@main_writer
def fixed_ip_bulk_create(context, ips):
    return [fixed_ip_create(context, values) for values in ips]


@main_reader
def fixed_ip_get(context, fixed_ip_id):
    return _get_one(context, models.FixedIp, exception.FixedIpNotFound(id=fixed_ip_id),
                    id=fixed_ip_id)


@main_reader
def fixed_ip_get_by_address(context, address):
    return _get_one(context, models.FixedIp,
                    exception.FixedIpNotFoundForAddress(address=address), address=str(address))


@main_reader
def fixed_ip_get_by_instance(context, instance_uuid):
    model = models.FixedIp
    return _all(context, _select(context, model, 'no').where(
        model.instance_uuid == instance_uuid).order_by(model.id))


@main_reader
def fixed_ip_get_all(context, network_id=None, host=None):
    model = models.FixedIp
    stmt = _select(context, model, 'no')
    if network_id is not None:
        stmt = stmt.where(model.network_id == network_id)
    if host is not None:
        stmt = stmt.where(model.host == host)
    return _all(context, stmt.order_by(model.id))


@main_writer
def fixed_ip_associate(context, address, instance_uuid, network_id=None, reserved=False,
                       virtual_interface_id=None):
    """Give the instance this address; FixedIpAlreadyInUse if another instance has it."""
    model = models.FixedIp
    criteria = [model.address == str(address), model.reserved == bool(reserved),
                sa.or_(model.instance_uuid.is_(None), model.instance_uuid == instance_uuid)]
    if network_id is not None:
        criteria.append(sa.or_(model.network_id.is_(None), model.network_id == network_id))
    values = {'instance_uuid': instance_uuid}
    if network_id is not None:
        values['network_id'] = network_id
    if virtual_interface_id is not None:
        values['virtual_interface_id'] = virtual_interface_id
        values['allocated'] = True
    if _swap(context, model, criteria, values):
        return fixed_ip_get_by_address(context, address)
    current = fixed_ip_get_by_address(context, address)  # FixedIpNotFoundForAddress
    raise exception.FixedIpAlreadyInUse(address=address, instance_uuid=current.instance_uuid)


def _swap(context, model, criteria, values):
    """One UPDATE of the live rows matching ``criteria``: True if one row changed."""
    stmt = (sa.update(model).where(model.deleted == 0, *criteria)
            .values(updated_at=timeutils.utcnow(), **values)
            .execution_options(synchronize_session=False))
    return context.session.execute(stmt).rowcount == 1


@main_writer
def fixed_ip_associate_pool(context, network_id, instance_uuid=None, host=None,
                            virtual_interface_id=None, attempts=5):
    """Take a free address of the network for the instance (NoMoreFixedIps when none).

    Each attempt picks a candidate and claims it with a compare-and-swap on
    ``instance_uuid IS NULL``, so concurrent callers never get the same address.
    """
    model = models.FixedIp
    values = {'instance_uuid': instance_uuid}
    if host is not None:
        values['host'] = host
    if virtual_interface_id is not None:
        values['virtual_interface_id'] = virtual_interface_id
        values['allocated'] = True
    free = [model.network_id == network_id, model.reserved == sa.false(),
            model.instance_uuid.is_(None), model.leased == sa.false()]
    for _attempt in range(attempts):
        candidate = _first(context, _select(context, model, 'no').where(*free).order_by(
            model.id))
        if candidate is None:
            break
        if _swap(context, model, [model.id == candidate.id, *free], values):
            return fixed_ip_get(context, candidate.id)
    raise exception.NoMoreFixedIps(net=network_id)


@main_writer
def fixed_ip_disassociate(context, address):
    """Release the address from its instance (and its VIF)."""
    if not _swap(context, models.FixedIp, [models.FixedIp.address == str(address)],
                 {'instance_uuid': None, 'virtual_interface_id': None, 'allocated': False}):
        raise exception.FixedIpNotFoundForAddress(address=address)


@main_writer
def fixed_ip_update(context, address, values):
    row = _get_one(context, models.FixedIp,
                   exception.FixedIpNotFoundForAddress(address=address), 'no',
                   address=str(address))
    return _update_row(context, row, values)


@main_writer
def fixed_ip_destroy(context, address):
    model = models.FixedIp
    if not _soft_delete(context, model, model.address == str(address)):
        raise exception.FixedIpNotFoundForAddress(address=address)


# -- floating IPs --------------------------------------------------------------------------

@main_writer
def floating_ip_create(context, values):
    try:
        return _insert(context, models.FloatingIp, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.FloatingIpExists(address=values.get('address')) from error


@main_writer
def floating_ip_bulk_create(context, ips):
    return [floating_ip_create(context, values) for values in ips]


@main_reader
def floating_ip_get(context, floating_ip_id):
    return _get_one(context, models.FloatingIp,
                    exception.FloatingIpNotFound(id=floating_ip_id), id=floating_ip_id)


@main_reader
def floating_ip_get_by_address(context, address):
    return _get_one(context, models.FloatingIp,
                    exception.FloatingIpNotFoundForAddress(address=address),
                    address=str(address))


@main_reader
def floating_ip_get_all(context, project_id=None, host=None, fixed_ip_id=None):
    model = models.FloatingIp
    stmt = _select(context, model, 'no')
    for column, value in (('project_id', project_id), ('host', host),
                          ('fixed_ip_id', fixed_ip_id)):
        if value is not None:
            stmt = stmt.where(getattr(model, column) == value)
    return _all(context, stmt.order_by(model.id))


@main_writer
def floating_ip_allocate_address(context, project_id, pool, auto_assigned=False,
                                 attempts=5):
    """Give the project a free address of ``pool`` (NoMoreFloatingIps when none)."""
    model = models.FloatingIp
    free = [model.pool == pool, model.project_id.is_(None), model.fixed_ip_id.is_(None)]
    for _attempt in range(attempts):
        candidate = _first(context, _select(context, model, 'no').where(*free).order_by(
            model.id))
        if candidate is None:
            break
        if _swap(context, model, [model.id == candidate.id, *free],
                 {'project_id': project_id, 'auto_assigned': bool(auto_assigned)}):
            return floating_ip_get(context, candidate.id)
    raise exception.NoMoreFloatingIps()


@main_writer
def floating_ip_deallocate(context, address):
    """Return an unassociated address to its pool."""
    model = models.FloatingIp
    row = floating_ip_get_by_address(context, address)
    if row.fixed_ip_id is not None:
        raise exception.FloatingIpAssociated(address=address)
    _swap(context, model, [model.id == row.id],
          {'project_id': None, 'host': None, 'auto_assigned': False})


@main_writer
def floating_ip_associate(context, floating_address, fixed_address, host):
    """Point the floating address at a fixed address; return the fixed IP row."""
    model = models.FloatingIp
    fixed = fixed_ip_get_by_address(context, fixed_address)
    row = floating_ip_get_by_address(context, floating_address)
    if row.fixed_ip_id not in (None, fixed.id):
        raise exception.FloatingIpAssociated(address=floating_address)
    _swap(context, model, [model.id == row.id,
                           sa.or_(model.fixed_ip_id.is_(None), model.fixed_ip_id == fixed.id)],
          {'fixed_ip_id': fixed.id, 'host': host})
    return fixed


@main_writer
def floating_ip_disassociate(context, address):
    """Detach the floating address; return the fixed IP row it pointed at."""
    model = models.FloatingIp
    row = floating_ip_get_by_address(context, address)
    if row.fixed_ip_id is None:
        raise exception.FloatingIpNotAssociated(address=address)
    fixed = _first(context, sa.select(models.FixedIp).where(
        models.FixedIp.id == row.fixed_ip_id))
    _swap(context, model, [model.id == row.id], {'fixed_ip_id': None, 'host': None})
    return fixed


@main_writer
def floating_ip_update(context, address, values):
    row = floating_ip_get_by_address(context, address)
    return _update_row(context, row, values)


@main_writer
def floating_ip_destroy(context, address):
    model = models.FloatingIp
    if not _soft_delete(context, model, model.address == str(address)):
        raise exception.FloatingIpNotFoundForAddress(address=address)


# -- virtual interfaces --------------------------------------------------------------------

@main_writer
def virtual_interface_create(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    try:
        return _insert(context, models.VirtualInterface, values)
    except db_exc.DBDuplicateEntry as error:
        raise exception.VirtualInterfaceMacAddressException(
            address=values.get('address')) from error


@main_reader
def virtual_interface_get(context, vif_id):
    return _get_one(context, models.VirtualInterface,
                    exception.VirtualInterfaceNotFound(id=vif_id), id=vif_id)


@main_reader
def virtual_interface_get_by_address(context, address):
    return _get_one(context, models.VirtualInterface,
                    exception.VirtualInterfaceNotFound(id=address), address=address)


@main_reader
def virtual_interface_get_by_uuid(context, vif_uuid):
    return _get_one(context, models.VirtualInterface,
                    exception.VirtualInterfaceNotFound(id=vif_uuid), uuid=vif_uuid)


@main_reader
def virtual_interface_get_all(context, instance_uuid=None, network_id=None):
    model = models.VirtualInterface
    stmt = _select(context, model, 'no')
    if instance_uuid is not None:
        stmt = stmt.where(model.instance_uuid == instance_uuid)
    if network_id is not None:
        stmt = stmt.where(model.network_id == network_id)
    return _all(context, stmt.order_by(model.id))


@main_writer
def virtual_interface_update(context, vif_id, values):
    row = _get_one(context, models.VirtualInterface,
                   exception.VirtualInterfaceNotFound(id=vif_id), 'no', id=vif_id)
    return _update_row(context, row, values)


@main_writer
def virtual_interface_destroy(context, vif_id):
    model = models.VirtualInterface
    if not _soft_delete(context, model, model.id == vif_id):
        raise exception.VirtualInterfaceNotFound(id=vif_id)


@main_writer
def virtual_interface_delete_by_instance(context, instance_uuid):
    model = models.VirtualInterface
    _soft_delete(context, model, model.instance_uuid == instance_uuid)


# -- migrations ----------------------------------------------------------------------------

# Statuses after which a migration no longer holds resources on either host.
MIGRATION_DONE_STATUSES = ('confirmed', 'reverted', 'error', 'failed', 'completed',
                           'cancelled', 'done')
_MIGRATION_SORT_KEYS = frozenset(sa.inspect(models.Migration).columns.keys())


@main_writer
def migration_create(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    return _insert(context, models.Migration, values)


@main_reader
def migration_get(context, migration_id):
    return _get_one(context, models.Migration,
                    exception.MigrationNotFound(migration_id=migration_id), id=migration_id)


@main_reader
def migration_get_by_uuid(context, migration_uuid):
    return _get_one(context, models.Migration,
                    exception.MigrationNotFound(migration_id=migration_uuid),
                    uuid=migration_uuid)


@main_reader
def migration_get_by_instance_and_status(context, instance_uuid, status):
    model = models.Migration
    row = _first(context, _select(context, model, 'no').where(
        model.instance_uuid == instance_uuid, model.status == status).order_by(
        model.id.desc()))
    if row is None:
        raise exception.MigrationNotFoundByStatus(instance_id=instance_uuid, status=status)
    return row


@main_writer
def migration_update(context, migration_id, values):
    row = _get_one(context, models.Migration,
                   exception.MigrationNotFound(migration_id=migration_id), 'no',
                   id=migration_id)
    return _update_row(context, row, values)


@main_writer
def migration_destroy(context, migration_id):
    model = models.Migration
    if not _soft_delete(context, model, model.id == migration_id):
        raise exception.MigrationNotFound(migration_id=migration_id)


def _in_progress():
    model = models.Migration
    return sa.or_(model.status.is_(None), model.status.not_in(MIGRATION_DONE_STATUSES))


@main_reader
def migration_get_in_progress_by_host_and_node(context, host, node):
    """Unfinished migrations from or to (host, node): they hold resources there."""
    model = models.Migration
    return _all(context, _select(context, model, 'no').where(
        _in_progress(),
        sa.or_(sa.and_(model.source_compute == host, model.source_node == node),
               sa.and_(model.dest_compute == host, model.dest_node == node))).order_by(
        model.id))


@main_reader
def migration_get_in_progress_by_instance(context, instance_uuid, migration_type=None):
    model = models.Migration
    stmt = _select(context, model, 'no').where(model.instance_uuid == instance_uuid,
                                               _in_progress())
    if migration_type is not None:
        stmt = stmt.where(model.migration_type == migration_type)
    return _all(context, stmt.order_by(model.id))


@main_reader
def migration_get_unconfirmed_by_dest_compute(context, confirm_window, dest_compute):
    """'finished' migrations to ``dest_compute`` untouched for ``confirm_window`` seconds."""
    model = models.Migration
    cutoff = timeutils.utcnow() - datetime.timedelta(seconds=confirm_window)
    return _all(context, _select(context, model, 'no').where(
        model.status == 'finished', model.dest_compute == dest_compute,
        sa.func.coalesce(model.updated_at, model.created_at) <= cutoff).order_by(model.id))


@main_reader
def migration_get_all_by_filters(context, filters, sort_keys=None, sort_dirs=None,
                                 limit=None, marker=None):
    """Migrations matching ``filters`` (see MigrationList.get_by_filters)."""
    model = models.Migration
    filters = dict(filters or {})
    stmt = _select(context, model, 'yes' if filters.pop('deleted', False) else None)
    if 'status' in filters:
        stmt = stmt.where(_state_matches(model.status, _as_list(filters.pop('status'))))
    if 'host' in filters:
        host = filters.pop('host')
        stmt = stmt.where(sa.or_(model.source_compute == host, model.dest_compute == host))
    if 'node' in filters:
        node = filters.pop('node')
        stmt = stmt.where(sa.or_(model.source_node == node, model.dest_node == node))
    if 'changes-since' in filters:
        stmt = stmt.where(model.updated_at >= _naive_utc(filters.pop('changes-since')))
    if 'changes-before' in filters:
        stmt = stmt.where(model.updated_at <= _naive_utc(filters.pop('changes-before')))
    if 'migration_type' in filters:
        stmt = stmt.where(_state_matches(model.migration_type,
                                         _as_list(filters.pop('migration_type'))))
    if filters.pop('in_progress', False):
        stmt = stmt.where(_in_progress())
    for key in ('instance_uuid', 'source_compute', 'dest_compute', 'source_node',
                'dest_node', 'hidden', 'user_id', 'project_id', 'uuid'):
        if key in filters:
            stmt = stmt.where(_state_matches(getattr(model, key), _as_list(filters.pop(key))))
    if filters:
        raise exception.InvalidInput(reason='unknown migration filter(s): %s'
                                     % ', '.join(sorted(filters)))
    sort_keys, sort_dirs = _sort_spec(sort_keys, sort_dirs, _MIGRATION_SORT_KEYS)
    if marker is not None:
        marker_row = _first(context, sa.select(model).where(model.uuid == marker))
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
        stmt = stmt.where(_keyset_after(model, sort_keys, sort_dirs, marker_row))
    stmt = stmt.order_by(*_order(model, sort_keys, sort_dirs))
    if limit is not None:
        stmt = stmt.limit(limit)
    return _all(context, stmt)


# -- scheduler claims ----------------------------------------------------------------------
#
# A claim moves an instance onto a compute node and adds its size to the node's usage in
# ONE transaction, so the usage columns always equal what the resource tracker recomputes
# from the instances on the node. Every writer of usage locks the compute node row first
# (the claim's conditional UPDATE, the unclaim's UPDATE, the tracker's SELECT ... FOR
# UPDATE) and only then touches instances, so they serialise per node and never deadlock.

def _check_claim_sizes(vcpus, memory_mb, disk_gb):
    for name, value in (('vcpus', vcpus), ('memory_mb', memory_mb), ('disk_gb', disk_gb)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise exception.InvalidInput(
                reason='%s must be a non-negative integer, not %r' % (name, value))


def _ratio(column):
    # A node that never reported its ratios is not overcommitted.
    return sa.func.coalesce(column, 1.0)


def _usage_change(vcpus, memory_mb, disk_gb, sign):
    """SET values adding (sign 1) or removing (sign -1) one instance's size.

    The free_* columns come first: MySQL evaluates SET assignments left to right with the
    new values of columns already assigned, PostgreSQL and SQLite with the old ones.
    """
    node = models.ComputeNode
    ram, disk = sign * memory_mb, sign * disk_gb
    return [
        (node.free_ram_mb, node.memory_mb - node.memory_mb_used - ram),
        (node.free_disk_gb, node.local_gb - node.local_gb_used - disk),
        (node.memory_mb_used, node.memory_mb_used + ram),
        (node.local_gb_used, node.local_gb_used + disk),
        (node.vcpus_used, node.vcpus_used + sign * vcpus),
        (node.running_vms, sa.func.coalesce(node.running_vms, 0) + sign),
        (node.updated_at, timeutils.utcnow()),
    ]


def _live_compute_node(context, compute_uuid):
    row = _first(context, _compute_select(context, 'no').where(
        models.ComputeNode.uuid == compute_uuid))
    if row is None:
        raise exception.ComputeHostNotFound(host=compute_uuid)
    return row


def _instance_location(context, instance_uuid):
    """(host, node) of a live instance, or None; a light read, as the claim's writer
    transaction holds SQLite's write lock while it runs."""
    return context.session.execute(
        sa.select(models.Instance.host, models.Instance.node).where(
            models.Instance.uuid == instance_uuid, models.Instance.deleted == 0)).first()


@main_writer
def compute_node_claim_for_instance(context, compute_uuid, instance_uuid, vcpus, memory_mb,
                                    disk_gb):
    """Place an unplaced instance on the node if its size fits; True when placed.

    False (and nothing changed) when the node lacks room under its allocation ratios.
    InstanceNotFound when the instance is gone, ObjectActionError when it already has a
    host, ComputeHostNotFound when the node is gone.
    """
    _check_claim_sizes(vcpus, memory_mb, disk_gb)
    instance = _instance_location(context, instance_uuid)
    if instance is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)
    if instance.host is not None:
        raise exception.ObjectActionError(
            action='claim_for_instance',
            reason='instance %s is already on host %s' % (instance_uuid, instance.host))
    node = models.ComputeNode
    fits = (sa.update(node)
            .where(node.uuid == compute_uuid, node.deleted == 0,
                   node.memory_mb_used + memory_mb <= node.memory_mb
                   * _ratio(node.ram_allocation_ratio),
                   node.vcpus_used + vcpus <= node.vcpus * _ratio(node.cpu_allocation_ratio),
                   node.local_gb_used + disk_gb <= node.local_gb
                   * _ratio(node.disk_allocation_ratio))
            .ordered_values(*_usage_change(vcpus, memory_mb, disk_gb, 1))
            .execution_options(synchronize_session=False))
    if context.session.execute(fits).rowcount != 1:
        _live_compute_node(context, compute_uuid)  # ComputeHostNotFound if it is gone
        return False
    row = _live_compute_node(context, compute_uuid)
    placed = (sa.update(models.Instance)
              .where(models.Instance.uuid == instance_uuid, models.Instance.deleted == 0,
                     models.Instance.host.is_(None))
              .values(host=row.host, node=row.hypervisor_hostname, launched_on=row.host,
                      updated_at=timeutils.utcnow())
              .execution_options(synchronize_session=False))
    if context.session.execute(placed).rowcount != 1:
        # Placed or deleted by someone else since we looked: raising rolls back the claim.
        raise exception.ObjectActionError(
            action='claim_for_instance',
            reason='instance %s was placed or deleted concurrently' % instance_uuid)
    return True


@main_writer
def compute_node_claim_for_migration(context, compute_uuid, migration_uuid, vcpus,
                                     memory_mb, disk_gb):
    """A move claim: if the size fits on the node, add it to the node's usage and make the
    node the in-progress migration's destination, in one transaction; True when claimed.

    False (nothing changed) when the node lacks room; MigrationNotFound when the
    migration is gone or already finished, ObjectActionError when it already has a
    destination node, ComputeHostNotFound when the node is gone.
    """
    _check_claim_sizes(vcpus, memory_mb, disk_gb)
    mig = models.Migration
    migration = _first(context, _select(context, mig, 'no').where(mig.uuid == migration_uuid,
                                                                   _in_progress()))
    if migration is None:
        raise exception.MigrationNotFound(migration_id=migration_uuid)
    if migration.dest_node is not None:
        raise exception.ObjectActionError(
            action='claim_for_migration',
            reason='migration %s already goes to %s' % (migration_uuid,
                                                        migration.dest_node))
    node = models.ComputeNode
    fits = (sa.update(node)
            .where(node.uuid == compute_uuid, node.deleted == 0,
                   node.memory_mb_used + memory_mb <= node.memory_mb
                   * _ratio(node.ram_allocation_ratio),
                   node.vcpus_used + vcpus <= node.vcpus * _ratio(node.cpu_allocation_ratio),
                   node.local_gb_used + disk_gb <= node.local_gb
                   * _ratio(node.disk_allocation_ratio))
            .ordered_values(*_usage_change(vcpus, memory_mb, disk_gb, 1))
            .execution_options(synchronize_session=False))
    if context.session.execute(fits).rowcount != 1:
        _live_compute_node(context, compute_uuid)  # ComputeHostNotFound if it is gone
        return False
    row = _live_compute_node(context, compute_uuid)
    _update_row(context, migration, {'dest_compute': row.host,
                                     'dest_node': row.hypervisor_hostname,
                                     'dest_host': row.host_ip})
    return True


@main_writer
def compute_node_unclaim_for_instance(context, compute_uuid, instance_uuid, vcpus, memory_mb,
                                      disk_gb):
    """Take the instance off the node and give its size back; True when it was there.

    False (and nothing changed) when the instance is not on this node.
    """
    _check_claim_sizes(vcpus, memory_mb, disk_gb)
    row = _live_compute_node(context, compute_uuid)
    instance = _instance_location(context, instance_uuid)
    if instance is None or (instance.host, instance.node) != (row.host,
                                                              row.hypervisor_hostname):
        return False
    node = models.ComputeNode
    context.session.execute(
        sa.update(node).where(node.id == row.id)
        .ordered_values(*_usage_change(vcpus, memory_mb, disk_gb, -1))
        .execution_options(synchronize_session=False))
    removed = (sa.update(models.Instance)
               .where(models.Instance.uuid == instance_uuid, models.Instance.deleted == 0,
                      models.Instance.host == row.host,
                      models.Instance.node == row.hypervisor_hostname)
               .values(host=None, node=None, launched_on=None,
                       updated_at=timeutils.utcnow())
               .execution_options(synchronize_session=False))
    if context.session.execute(removed).rowcount != 1:
        raise exception.ObjectActionError(
            action='unclaim_for_instance',
            reason='instance %s moved concurrently' % instance_uuid)
    return True


def _flavor_sizes(flavor_json):
    """{'cur'|'old'|'new': (memory_mb, vcpus, disk_gb)} from instance_extra.flavor."""
    sizes = {}
    for key, primitive in (jsonutils.loads(flavor_json) if flavor_json else {}).items():
        data = (primitive or {}).get('nova_object.data')
        if data:
            sizes[key] = (data.get('memory_mb') or 0, data.get('vcpus') or 0,
                          (data.get('root_gb') or 0) + (data.get('ephemeral_gb') or 0))
    return sizes


def _moving_sizes(context, host, nodename):
    """{instance uuid: [(memory_mb, vcpus, disk_gb), ...]} that (host, nodename) holds for
    the instances moving from or to it.

    While a move is in progress its instance holds resources by the move, not by its
    host column: the source node holds the old flavor, the destination node the new one
    (both, on a same-node resize), whichever host the instance row names meanwhile.
    """
    mig = models.Migration
    inst = models.Instance
    extra = models.InstanceExtra
    rows = context.session.execute(
        sa.select(mig.instance_uuid, mig.source_compute, mig.source_node, mig.dest_compute,
                  mig.dest_node, extra.flavor, inst.memory_mb, inst.vcpus, inst.root_gb,
                  inst.ephemeral_gb)
        .join(inst, sa.and_(inst.uuid == mig.instance_uuid, inst.deleted == 0))
        .outerjoin(extra, sa.and_(extra.instance_uuid == mig.instance_uuid,
                                  extra.deleted == 0))
        .where(mig.deleted == 0, _in_progress(), mig.dest_node.is_not(None),
               sa.or_(sa.and_(mig.source_compute == host, mig.source_node == nodename),
                      sa.and_(mig.dest_compute == host, mig.dest_node == nodename)))
        .order_by(mig.id)).all()
    held = {}
    for row in rows:
        sizes = _flavor_sizes(row.flavor)
        current = (row.memory_mb or 0, row.vcpus or 0,
                   (row.root_gb or 0) + (row.ephemeral_gb or 0))
        here = []
        if (row.source_compute, row.source_node) == (host, nodename):
            here.append(sizes.get('old') or sizes.get('cur') or current)
        if (row.dest_compute, row.dest_node) == (host, nodename):
            here.append(sizes.get('new') or sizes.get('cur') or current)
        held[row.instance_uuid] = here  # the newest move of an instance wins
    return held


@main_writer
def compute_node_update_usage(context, compute_id, reserved_memory_mb, reserved_disk_gb,
                              idle_vm_states):
    """Recompute the node's usage columns from the instances on it and the moves from or
    to it (see _moving_sizes); return the node row.

    The node row is locked before the instances are read, so a claim can never land
    between the count and the write, and the count sees every claim committed before it
    (PostgreSQL reads each statement afresh; InnoDB takes its snapshot at the first plain
    read, which is the count, after the lock).
    Instances whose vm_state is in ``idle_vm_states`` hold no resources. Nothing is
    written when the usage is unchanged.
    """
    node = models.ComputeNode
    row = _first(context, _compute_select(context, 'no').where(node.id == compute_id)
                 .with_for_update())
    if row is None:
        raise exception.ComputeHostNotFound(host=compute_id)
    inst = models.Instance
    moving = _moving_sizes(context, row.host, row.hypervisor_hostname)
    sizes = [(s.memory_mb or 0, s.vcpus or 0, (s.root_gb or 0) + (s.ephemeral_gb or 0))
             for s in context.session.execute(
                 sa.select(inst.uuid, inst.memory_mb, inst.vcpus, inst.root_gb,
                           inst.ephemeral_gb)
                 .where(inst.host == row.host, inst.node == row.hypervisor_hostname,
                        inst.deleted == 0,
                        sa.or_(inst.vm_state.is_(None),
                               inst.vm_state.not_in(list(idle_vm_states))))).all()
             if s.uuid not in moving]
    sizes += [size for held in moving.values() for size in held]
    memory_used = reserved_memory_mb + sum(memory for memory, _v, _d in sizes)
    disk_used = reserved_disk_gb + sum(disk for _m, _v, disk in sizes)
    usage = {'memory_mb_used': memory_used, 'local_gb_used': disk_used,
             'vcpus_used': sum(vcpus for _m, vcpus, _d in sizes),
             'free_ram_mb': row.memory_mb - memory_used,
             'free_disk_gb': row.local_gb - disk_used, 'running_vms': len(sizes)}
    if any(row[key] != value for key, value in usage.items()):
        return _update_row(context, row, usage)
    return row


# -- task log (the instance usage audit) ------------------------------------------------------

def _task_log_select(context, task_name, period_beginning, period_ending, host=None):
    stmt = _select(context, models.TaskLog).where(
        models.TaskLog.task_name == task_name,
        models.TaskLog.period_beginning == _naive_utc(period_beginning),
        models.TaskLog.period_ending == _naive_utc(period_ending))
    if host is not None:
        stmt = stmt.where(models.TaskLog.host == host)
    return stmt.order_by(models.TaskLog.host)


@main_reader
def task_log_get_all(context, task_name, period_beginning, period_ending, host=None,
                     state=None):
    rows = _all(context, _task_log_select(context, task_name, period_beginning,
                                          period_ending, host))
    return [row for row in rows if state is None or row.state == state]


@main_writer
def task_log_begin_task(context, task_name, period_beginning, period_ending, host,
                        task_items=None, message=None):
    """Record a run as RUNNING (TaskAlreadyRunning if the host already has this one)."""
    try:
        return _insert(context, models.TaskLog, {
            'task_name': task_name, 'host': host, 'state': 'RUNNING',
            'period_beginning': period_beginning, 'period_ending': period_ending,
            'message': message or '', 'task_items': task_items or 0, 'errors': 0})
    except db_exc.DBDuplicateEntry:
        raise exception.TaskAlreadyRunning(task_name=task_name, host=host)


@main_writer
def task_log_end_task(context, task_name, period_beginning, period_ending, host, errors,
                      message=None):
    row = _first(context, _task_log_select(context, task_name, period_beginning,
                                           period_ending, host))
    if row is None:
        raise exception.TaskNotRunning(task_name=task_name, host=host)
    return _update_row(context, row, {'state': 'DONE', 'errors': errors,
                                      'message': message or ''})
