"""Many instances at once, read without the ORM.

Lists (GET /servers/detail, a host's instances) want every column and the children of many
instances. The ORM builds an entity for every row and every child row, which costs more than
the queries themselves; here three Core queries do it (the instances joined to their extra
and network cache, then the metadata and system metadata of all of them) and the answer is
InstanceRecord objects, which read like the ORM's Instance for Instance._from_db_object.
"""

import sqlalchemy as sa

from nova.db.main import models

_INSTANCES = models.Instance.__table__
_EXTRA = models.InstanceExtra.__table__
_INFO_CACHE = models.InstanceInfoCache.__table__
_METADATA = models.InstanceMetadata.__table__
_SYSTEM_METADATA = models.InstanceSystemMetadata.__table__

# The one-to-one children, joined in with their columns labelled '<prefix><column>'.
_CHILDREN = (('extra', 'extra_', _EXTRA), ('info_cache', 'info_cache_', _INFO_CACHE))

# Bound parameters per IN (...): well under every backend's limit.
_CHUNK = 500


class _Columns(dict):
    """A row: its columns by item or attribute."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class InstanceRecord(_Columns):
    """An instance row and its children: ``record[column]`` or ``record.column``,
    ``metadata_items`` and ``system_metadata_items`` (rows with key and value), ``extra``
    and ``info_cache`` (or None), as the ORM gives them."""

    __slots__ = ('metadata_items', 'system_metadata_items', 'extra', 'info_cache')

    def __init__(self, row):
        mapping = row._mapping
        super().__init__((column.name, mapping[column.name]) for column in _INSTANCES.c)
        self.metadata_items = []
        self.system_metadata_items = []
        for attribute, prefix, table in _CHILDREN:
            present = mapping[prefix + 'id'] is not None
            setattr(self, attribute, _Columns({column.name: mapping[prefix + column.name]
                                               for column in table.c}) if present else None)


def select():
    """A SELECT of instances with their extra and cache, for .where()/.order_by() on
    models.Instance columns and then :func:`fetch`."""
    columns = list(_INSTANCES.c)
    for _attribute, prefix, table in _CHILDREN:
        columns += [column.label(prefix + column.name) for column in table.c]
    joined = (_INSTANCES
              .outerjoin(_EXTRA, _EXTRA.c.instance_uuid == _INSTANCES.c.uuid)
              .outerjoin(_INFO_CACHE, _INFO_CACHE.c.instance_uuid == _INSTANCES.c.uuid))
    return sa.select(*columns).select_from(joined)


def fetch(session, stmt):
    """Run a :func:`select` statement; its InstanceRecords in order."""
    records = [InstanceRecord(row) for row in session.execute(stmt)]
    by_uuid = {record['uuid']: record for record in records}
    uuids = list(by_uuid)
    for table, attribute in ((_METADATA, 'metadata_items'),
                             (_SYSTEM_METADATA, 'system_metadata_items')):
        for start in range(0, len(uuids), _CHUNK):
            rows = session.execute(
                sa.select(table.c.instance_uuid, table.c.key, table.c.value)
                .where(table.c.instance_uuid.in_(uuids[start:start + _CHUNK]),
                       table.c.deleted == 0)
                .order_by(table.c.id))
            for row in rows:
                getattr(by_uuid[row.instance_uuid], attribute).append(row)
    return records
