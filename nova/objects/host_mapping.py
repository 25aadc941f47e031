"""HostMapping: which cell a compute host belongs to (API database)."""

from nova import exception
from nova.db.api import api as api_db
from nova.objects import base
from nova.objects import cell_mapping as cell_mapping_obj
from nova.objects import fields


def _cell_id_of(host_mapping):
    cell = host_mapping.cell_mapping
    if 'id' not in cell:
        raise exception.ObjectActionError(action='create',
                                          reason='cell_mapping has not been created')
    return cell.id


@base.NovaObjectRegistry.register
class HostMapping(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'host': fields.StringField(),
        'cell_mapping': fields.ObjectField('CellMapping'),
    }

    @staticmethod
    def _from_db_object(context, host_mapping, db_host_mapping):
        base.NovaObject._from_db_object_fields(
            host_mapping, db_host_mapping, ('id', 'host', 'created_at', 'updated_at'))
        host_mapping.cell_mapping = cell_mapping_obj.CellMapping._from_db_object(
            context, cell_mapping_obj.CellMapping(), db_host_mapping.cell_mapping)
        host_mapping._context = context
        host_mapping.obj_reset_changes()
        return host_mapping

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host):
        return cls._from_db_object(context, cls(), api_db.host_mapping_get_by_host(context, host))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if 'host' not in self or 'cell_mapping' not in self:
            raise exception.ObjectActionError(action='create',
                                              reason='host and cell_mapping are required')
        values = {'host': self.host, 'cell_id': _cell_id_of(self)}
        self._from_db_object(self._context, self, api_db.host_mapping_create(self._context,
                                                                             values))

    @base.remotable
    def save(self):
        changes = self.obj_what_changed()
        if 'host' in changes:
            raise exception.ObjectActionError(action='save', reason='host cannot change')
        values = {}
        if 'cell_mapping' in changes:
            values['cell_id'] = _cell_id_of(self)
        db_host_mapping = api_db.host_mapping_update(self._context, self.host, values)
        self._from_db_object(self._context, self, db_host_mapping)

    @base.remotable
    def destroy(self):
        api_db.host_mapping_destroy(self._context, self.host)


@base.NovaObjectRegistry.register
class HostMappingList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('HostMapping'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, api_db.host_mapping_get_all(context))

    @classmethod
    @base.remotable
    def get_by_cell_id(cls, context, cell_id):
        return cls._from_rows(context, api_db.host_mapping_get_all(context, cell_id=cell_id))
