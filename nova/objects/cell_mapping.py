"""CellMapping: where one cell's database and message bus are (API database)."""

from nova import exception
from nova.db.api import api as api_db
from nova.objects import base
from nova.objects import fields

_CELL_FIELDS = ('id', 'uuid', 'name', 'transport_url', 'database_connection', 'disabled',
                'created_at', 'updated_at')


@base.NovaObjectRegistry.register
class CellMapping(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    # cell0 holds instances that could not be scheduled anywhere.
    CELL0_UUID = '00000000-0000-0000-0000-000000000000'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'transport_url': fields.StringField(),
        'database_connection': fields.StringField(),
        'disabled': fields.BooleanField(default=False),
    }

    @property
    def identity(self):
        """A name for log messages: 'uuid(name)' or just the uuid."""
        if 'name' in self and self.name:
            return '%s(%s)' % (self.uuid, self.name)
        return self.uuid

    def is_cell0(self):
        return 'uuid' in self and self.uuid == self.CELL0_UUID

    @staticmethod
    def _from_db_object(context, cell_mapping, db_cell_mapping):
        base.NovaObject._from_db_object_fields(cell_mapping, db_cell_mapping, _CELL_FIELDS)
        cell_mapping._context = context
        cell_mapping.obj_reset_changes()
        return cell_mapping

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context, cls(), api_db.cell_mapping_get_by_uuid(context, uuid))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        values = self.obj_get_changes()
        values.setdefault('disabled', False)
        self._from_db_object(self._context, self, api_db.cell_mapping_create(self._context,
                                                                             values))

    @base.remotable
    def save(self):
        changes = self.obj_get_changes()
        if 'uuid' in changes:
            raise exception.ObjectActionError(action='save', reason='uuid cannot change')
        db_cell_mapping = api_db.cell_mapping_update(self._context, self.uuid, changes)
        self._from_db_object(self._context, self, db_cell_mapping)

    @base.remotable
    def destroy(self):
        api_db.cell_mapping_destroy(self._context, self.uuid)


@base.NovaObjectRegistry.register
class CellMappingList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('CellMapping'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, api_db.cell_mapping_get_all(context))

    @classmethod
    @base.remotable
    def get_by_disabled(cls, context, disabled):
        return cls._from_rows(context, api_db.cell_mapping_get_all(context, disabled=disabled))
