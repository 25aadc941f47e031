"""A page of servers as the Compute API lists them: plain rows, only the columns it shows.

GET /servers/detail shows a fixed set of instance columns and, beside them, a few things
from other tables (volumes, security groups, tags, the newest fault, the compute services
of their hosts). ``page`` reads all of it in one transaction, each statement for the whole
page (IN on the page's uuids): the instances, then metadata, shown system metadata,
volumes, security groups and tags together in one UNION ALL, then faults and services
when asked for. No ORM entities: the answer is dicts of column values, which
nova-conductor hands over as they are.

The filters, sorting and paging are those of ``instance_get_all_by_filters_sort``.
"""

import functools

import sqlalchemy as sa

from nova import exception
from nova.db.engines import main_reader
from nova.db.main import api as main_api
from nova.db.main import instance_filters
from nova.db.main import models

_INSTANCES = models.Instance.__table__
_EXTRA = models.InstanceExtra.__table__
_INFO_CACHE = models.InstanceInfoCache.__table__
_METADATA = models.InstanceMetadata.__table__
_SYSTEM_METADATA = models.InstanceSystemMetadata.__table__
_BDMS = models.BlockDeviceMapping.__table__
_FAULTS = models.InstanceFault.__table__
_TAGS = models.Tag.__table__
_SERVICES = models.Service.__table__
_GROUPS = models.SecurityGroup.__table__
_GROUP_LINKS = models.SecurityGroupInstanceAssociation.__table__

# The instance columns a server body shows (views/servers.py), summary and detail.
SUMMARY_COLUMNS = ('id', 'uuid', 'display_name')
DETAIL_COLUMNS = SUMMARY_COLUMNS + (
    'user_id', 'project_id', 'image_ref', 'kernel_id', 'ramdisk_id', 'hostname',
    'launch_index', 'key_name', 'power_state', 'vm_state', 'task_state', 'host', 'node',
    'user_data', 'reservation_id', 'launched_at', 'terminated_at', 'availability_zone',
    'display_description', 'locked', 'root_device_name', 'config_drive', 'access_ip_v4',
    'access_ip_v6', 'auto_disk_config', 'progress', 'created_at', 'updated_at')
_BOOLEAN_COLUMNS = ('locked', 'auto_disk_config')

# System metadata the body shows: the image's properties (2.98) and locked_reason (2.73).
IMAGE_PROPERTY_PREFIX = 'image_'
LOCKED_REASON = 'locked_reason'

# The vm_states whose API status (ERROR, DELETED) shows the newest fault.
FAULT_VM_STATES = ('error', 'deleted')

# What can be asked for beside the instance columns.
EXTRAS = ('volumes', 'security_groups', 'faults', 'tags', 'services')

# Bound parameters per IN (...): well under every backend's limit.
_CHUNK = 500


def _chunks(values):
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _core(context):
    """The session's connection, in its transaction: these statements name no ORM
    entities, and run through it they skip the ORM's execution and row loading (a fifth
    of conductor's CPU for a page of 50 when run through the session)."""
    return context.session.connection()


def _dicts(result):
    """A dict per row (zipped with the keys once read: a third of the cost of row._mapping)."""
    keys = list(result.keys())
    return [dict(zip(keys, row)) for row in result]


def _instances(context, columns, filters, limit, marker, sort_keys, sort_dirs):
    sort_keys, sort_dirs = main_api.instance_sort_spec(sort_keys, sort_dirs)
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise exception.InvalidInput(
            reason='limit must be a non-negative integer')
    selected = [_INSTANCES.c[name] for name in columns]
    joined = _INSTANCES
    detail = columns != SUMMARY_COLUMNS
    stmt_filters = dict(filters or {})
    wants_addresses = any(key in stmt_filters for key in instance_filters.ADDRESS_FILTERS)
    if detail:
        selected.append(_EXTRA.c.flavor.label('flavors'))
        joined = joined.outerjoin(_EXTRA, _EXTRA.c.instance_uuid == _INSTANCES.c.uuid)
    if detail or wants_addresses:
        selected.append(_INFO_CACHE.c.network_info)
        joined = joined.outerjoin(_INFO_CACHE,
                                  _INFO_CACHE.c.instance_uuid == _INSTANCES.c.uuid)
    stmt, address_filters = instance_filters.apply(
        context, sa.select(*selected).select_from(joined), stmt_filters)
    if marker is not None:
        stmt = stmt.where(main_api.instance_keyset_after(context, sort_keys, sort_dirs,
                                                         marker))
    stmt = stmt.order_by(*main_api.instance_order(sort_keys, sort_dirs))
    if not address_filters:
        return _dicts(_core(context).execute(
            stmt.limit(limit) if limit is not None else stmt))
    # Addresses live in the JSON network info cache: match them here, then page.
    servers = _dicts(_core(context).execute(stmt))
    servers = [server for server in servers
               if instance_filters.matches_network_info(server['network_info'],
                                                        address_filters)]
    return servers[:limit] if limit is not None else servers


# The statements for the extras are built once: each is run per page with the page's uuids
# (or hosts) bound to its expanding IN parameter, and SQLAlchemy keeps its compiled form.
_IN = sa.bindparam('values', expanding=True)  # the page's uuids or hosts


def _fact(kind, uuid, key, value, order, flag, source):
    """One branch of the facts union: (kind, instance_uuid, key, value, ord, flag)."""
    return sa.select(sa.literal(kind).label('kind'), uuid.label('instance_uuid'),
                     key.label('key'), value.label('value'), order.label('ord'),
                     flag.label('flag')).select_from(source)


_NO_VALUE = sa.cast(sa.null(), sa.Text)
_ZERO = sa.literal(0, sa.Integer)

# What a detailed page shows beside each instance's columns, a union branch per kind, all
# in one statement (one round trip, not five): ``key`` is the metadata key, tag, group name
# or volume id; ``value`` the metadata value; ``ord`` the order within the kind (tags are
# sorted by name afterwards); ``flag`` a volume's delete_on_termination.
_FACTS = {
    'metadata': _fact('metadata', _METADATA.c.instance_uuid, _METADATA.c.key,
                      _METADATA.c.value, _METADATA.c.id, _ZERO, _METADATA).where(
        _METADATA.c.instance_uuid.in_(_IN), _METADATA.c.deleted == 0),
    # Only what the body shows: the image's properties and locked_reason.
    'system_metadata': _fact(
        'system_metadata', _SYSTEM_METADATA.c.instance_uuid, _SYSTEM_METADATA.c.key,
        _SYSTEM_METADATA.c.value, _SYSTEM_METADATA.c.id, _ZERO, _SYSTEM_METADATA).where(
        _SYSTEM_METADATA.c.instance_uuid.in_(_IN), _SYSTEM_METADATA.c.deleted == 0,
        sa.or_(_SYSTEM_METADATA.c.key == LOCKED_REASON,
               _SYSTEM_METADATA.c.key.startswith(IMAGE_PROPERTY_PREFIX, autoescape=True))),
    'volumes': _fact(
        'volumes', _BDMS.c.instance_uuid, _BDMS.c.volume_id, _NO_VALUE, _BDMS.c.id,
        sa.cast(_BDMS.c.delete_on_termination, sa.Integer), _BDMS).where(
        _BDMS.c.instance_uuid.in_(_IN), _BDMS.c.deleted == 0,
        _BDMS.c.destination_type == 'volume', _BDMS.c.volume_id.is_not(None),
        _BDMS.c.volume_id != ''),
    'security_groups': _fact(
        'security_groups', _GROUP_LINKS.c.instance_uuid, _GROUPS.c.name, _NO_VALUE,
        _GROUPS.c.id, _ZERO,
        _GROUP_LINKS.join(_GROUPS, _GROUP_LINKS.c.security_group_id == _GROUPS.c.id)).where(
        _GROUP_LINKS.c.instance_uuid.in_(_IN), _GROUP_LINKS.c.deleted == 0,
        _GROUPS.c.deleted == 0),
    'tags': _fact('tags', _TAGS.c.resource_id, _TAGS.c.tag, _NO_VALUE, _ZERO, _ZERO,
                  _TAGS).where(_TAGS.c.resource_id.in_(_IN)),
}
_KEYED_FACTS = ('metadata', 'system_metadata')


@functools.lru_cache(maxsize=None)
def _facts_statement(kinds):
    return sa.union_all(*[_FACTS[kind] for kind in kinds]).order_by('kind', 'ord')


def _facts(context, uuids, kinds):
    """{kind: {uuid: facts}}: a dict for metadata and system metadata, a list of names for
    tags and security groups, of [volume id, delete_on_termination] for volumes."""
    kinds = tuple(sorted(kinds))
    result = {kind: {uuid: {} if kind in _KEYED_FACTS else [] for uuid in uuids}
              for kind in kinds}
    for kind, uuid, key, value, _order, flag in _rows(context, _facts_statement(kinds),
                                                       uuids):
        facts = result[kind][uuid]
        if kind in _KEYED_FACTS:
            facts[key] = value
        elif kind == 'volumes':
            facts.append([key, bool(flag)])
        else:
            facts.append(key)
    for tags in result.get('tags', {}).values():
        tags.sort()
    return result


_FAULTS_STMT = (
    sa.select(_FAULTS.c.instance_uuid, _FAULTS.c.code, _FAULTS.c.message,
              _FAULTS.c.details, _FAULTS.c.created_at)
    .where(_FAULTS.c.instance_uuid.in_(_IN), _FAULTS.c.deleted == 0)
    .order_by(_FAULTS.c.created_at.desc(), _FAULTS.c.id.desc()))

# The newest record of a host wins, as a by-host lookup of them all would.
_SERVICES_STMT = (
    sa.select(_SERVICES.c.host, _SERVICES.c.disabled, _SERVICES.c.forced_down,
              _SERVICES.c.last_seen_up, _SERVICES.c.report_count, _SERVICES.c.created_at)
    .where(_SERVICES.c.binary == 'nova-compute', _SERVICES.c.deleted == 0,
           _SERVICES.c.host.in_(_IN))
    .order_by(_SERVICES.c.id))


def _rows(context, statement, values):
    """The rows of ``statement`` for ``values`` (its IN list), a chunk at a time."""
    connection = _core(context)
    for chunk in _chunks(values):
        yield from connection.execute(statement, {'values': chunk})


def _latest_faults(context, uuids):
    """{uuid: fault columns} of the newest live fault of each instance that has one."""
    result = {}
    for row in _rows(context, _FAULTS_STMT, uuids):
        if row.instance_uuid not in result:
            result[row.instance_uuid] = dict(row._mapping)
    return result


def _services(context, hosts):
    """{host: what the host status needs} of the live nova-compute services on ``hosts``."""
    result = {}
    for row in _rows(context, _SERVICES_STMT, sorted(hosts)):
        service = dict(row._mapping)
        result[service.pop('host')] = service
    return result


@main_reader
def page(context, filters, limit=None, marker=None, sort_keys=None, sort_dirs=None,
         detail=True, extras=()):
    """(servers, services) of one page.

    ``servers``: a dict per instance, in order: the columns of DETAIL_COLUMNS (or
    SUMMARY_COLUMNS without ``detail``); with ``detail`` also ``flavors`` (the instance's
    flavors document, JSON text), ``network_info`` (JSON text), ``metadata`` and
    ``system_metadata`` (only what the body shows); and what ``extras`` names:
    ``volumes`` ([volume id, delete_on_termination]), ``security_groups`` and ``tags``
    (names), ``fault`` (the newest fault's columns, or None; looked up only for the
    vm_states of FAULT_VM_STATES).
    ``services``: {host: columns of its nova-compute service} when ``extras`` has
    'services', else {}.
    """
    extras = set(extras or ())
    unknown = extras - set(EXTRAS)
    if unknown:
        raise exception.InvalidInput(
            reason='unknown server list extra(s): %s' % ', '.join(sorted(unknown)))
    columns = DETAIL_COLUMNS if detail else SUMMARY_COLUMNS
    servers = _instances(context, columns, filters, limit, marker, sort_keys, sort_dirs)
    if not detail:
        for server in servers:
            server.pop('network_info', None)
        return servers, {}
    uuids = [server['uuid'] for server in servers]
    if not uuids:
        return servers, {}
    facts = _facts(context, uuids, {'metadata', 'system_metadata'} |
                   (extras & {'volumes', 'security_groups', 'tags'}))
    found = {kind: facts[kind] for kind in facts if kind not in _KEYED_FACTS}
    if 'faults' in extras:
        wanted = [server['uuid'] for server in servers
                  if server['vm_state'] in FAULT_VM_STATES]
        found['fault'] = _latest_faults(context, wanted) if wanted else {}
    for server in servers:
        uuid = server['uuid']
        for name in _BOOLEAN_COLUMNS:
            server[name] = bool(server[name])
        server['metadata'] = facts['metadata'][uuid]
        server['system_metadata'] = facts['system_metadata'][uuid]
        for name, values in found.items():
            server[name] = values.get(uuid)
    services = {}
    if 'services' in extras:
        services = _services(context, {server['host'] for server in servers
                                       if server['host']})
    return servers, services
