"""Aggregate: a host aggregate (API database): a named set of compute hosts with metadata.

The metadata key ``availability_zone`` puts the hosts in that availability zone.
"""

from oslo_utils import uuidutils

from nova import exception
from nova.db.api import api as api_db
from nova.objects import base
from nova.objects import fields

AZ_KEY = 'availability_zone'


@base.NovaObjectRegistry.register
class Aggregate(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(),
        'hosts': fields.ListOfStringsField(default=[]),
        'metadata': fields.DictOfStringsField(default={}),
    }

    @staticmethod
    def _from_db_object(context, aggregate, row):
        for name in ('id', 'uuid', 'name', 'created_at', 'updated_at'):
            setattr(aggregate, name, row[name])
        aggregate.hosts = [h.host for h in row.hosts]
        aggregate.metadata = {item.key: item.value for item in row.metadata_items}
        aggregate._context = context
        aggregate.obj_reset_changes()
        return aggregate

    @property
    def availability_zone(self):
        return (self.metadata or {}).get(AZ_KEY)

    @classmethod
    @base.remotable
    def get_by_id(cls, context, aggregate_id):
        return cls._from_db_object(context, cls(), api_db.aggregate_get(context,
                                                                        aggregate_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context, cls(), api_db.aggregate_get_by_uuid(context,
                                                                                uuid))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        values = {'name': self.name,
                  'uuid': self.uuid if self.obj_attr_is_set('uuid')
                  else uuidutils.generate_uuid()}
        metadata = self.metadata if self.obj_attr_is_set('metadata') else {}
        self._from_db_object(self._context, self, api_db.aggregate_create(
            self._context, values, metadata))

    @base.remotable
    def save(self):
        updates = {k: v for k, v in self.obj_get_changes().items() if k == 'name'}
        if updates:
            self._from_db_object(self._context, self, api_db.aggregate_update(
                self._context, self.id, updates))

    @base.remotable
    def update_metadata(self, updates):
        """Set keys; a None value removes its key."""
        self._from_db_object(self._context, self, api_db.aggregate_metadata_update(
            self._context, self.id, updates))

    @base.remotable
    def add_host(self, host):
        self._from_db_object(self._context, self, api_db.aggregate_host_add(
            self._context, self.id, host))

    @base.remotable
    def delete_host(self, host):
        self._from_db_object(self._context, self, api_db.aggregate_host_delete(
            self._context, self.id, host))

    @base.remotable
    def destroy(self):
        api_db.aggregate_destroy(self._context, self.id)


@base.NovaObjectRegistry.register
class AggregateList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Aggregate'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, api_db.aggregate_get_all(context))

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host):
        return cls._from_rows(context, api_db.aggregate_get_by_host(context, host))
