"""InstanceMapping: which cell an instance lives in (API database).

cell_mapping is None while the instance is still a BuildRequest waiting for a host.
"""

from nova import exception
from nova.db.api import api as api_db
from nova.objects import base
from nova.objects import cell_mapping as cell_mapping_obj
from nova.objects import fields

_MAPPING_FIELDS = ('id', 'instance_uuid', 'project_id', 'user_id', 'queued_for_delete',
                   'created_at', 'updated_at')


def _cell_id_of(instance_mapping):
    cell = instance_mapping.cell_mapping
    if cell is None:
        return None
    if 'id' not in cell:
        raise exception.ObjectActionError(action='save',
                                          reason='cell_mapping has not been created')
    return cell.id


@base.NovaObjectRegistry.register
class InstanceMapping(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'cell_mapping': fields.ObjectField('CellMapping', nullable=True),
        'project_id': fields.StringField(),
        'user_id': fields.StringField(nullable=True),
        'queued_for_delete': fields.BooleanField(default=False),
    }

    @staticmethod
    def _from_db_object(context, instance_mapping, db_instance_mapping):
        base.NovaObject._from_db_object_fields(instance_mapping, db_instance_mapping,
                                               _MAPPING_FIELDS, skip=('queued_for_delete',))
        # Rows written before the column had a value read as "not queued".
        instance_mapping.queued_for_delete = bool(db_instance_mapping.queued_for_delete)
        db_cell = db_instance_mapping.cell_mapping
        instance_mapping.cell_mapping = None if db_cell is None else \
            cell_mapping_obj.CellMapping._from_db_object(
                context, cell_mapping_obj.CellMapping(), db_cell)
        instance_mapping._context = context
        instance_mapping.obj_reset_changes()
        return instance_mapping

    def _values_from_changes(self):
        changes = self.obj_get_changes()
        values = {k: v for k, v in changes.items()
                  if k in ('instance_uuid', 'project_id', 'user_id', 'queued_for_delete')}
        if 'cell_mapping' in changes:
            values['cell_id'] = _cell_id_of(self)
        return values

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_db_object(
            context, cls(), api_db.instance_mapping_get_by_instance_uuid(context, instance_uuid))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if 'instance_uuid' not in self or 'project_id' not in self:
            raise exception.ObjectActionError(
                action='create', reason='instance_uuid and project_id are required')
        values = self._values_from_changes()
        values.setdefault('queued_for_delete', False)
        self._from_db_object(self._context, self,
                             api_db.instance_mapping_create(self._context, values))

    @base.remotable
    def save(self):
        values = self._values_from_changes()
        if 'instance_uuid' in values:
            raise exception.ObjectActionError(action='save',
                                              reason='instance_uuid cannot change')
        db_mapping = api_db.instance_mapping_update(self._context, self.instance_uuid, values)
        self._from_db_object(self._context, self, db_mapping)

    @base.remotable
    def destroy(self):
        api_db.instance_mapping_destroy(self._context, self.instance_uuid)


@base.NovaObjectRegistry.register
class InstanceMappingList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceMapping'),
    }

    @classmethod
    @base.remotable
    def get_by_project_id(cls, context, project_id):
        return cls._from_rows(
            context, api_db.instance_mapping_get_all(context, project_id=project_id))

    @classmethod
    @base.remotable
    def get_by_cell_id(cls, context, cell_id):
        return cls._from_rows(context, api_db.instance_mapping_get_all(context, cell_id=cell_id))

    @classmethod
    @base.remotable
    def get_by_instance_uuids(cls, context, uuids):
        return cls._from_rows(
            context, api_db.instance_mapping_get_all(context, instance_uuids=uuids))
