"""InstanceFault: an error recorded against an instance (the API's server ``fault``)."""

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class InstanceFault(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'code': fields.IntegerField(),
        'message': fields.StringField(nullable=True),
        'details': fields.StringField(nullable=True),
        'host': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, fault, db_fault):
        for name in fault.fields:
            value = db_fault[name]
            setattr(fault, name, bool(value) if name == 'deleted' else value)
        fault._context = context
        fault.obj_reset_changes()
        return fault

    @classmethod
    @base.remotable
    def get_latest_for_instance(cls, context, instance_uuid):
        """The newest fault of the instance, or None."""
        faults = db.instance_fault_get_by_instance_uuids(context, [instance_uuid],
                                                         latest=True)[instance_uuid]
        return cls._from_db_object(context, cls(), faults[0]) if faults else None

    @base.remotable
    def create(self):
        """Record the fault (the message is cut to 255 characters; details are kept)."""
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        db_fault = db.instance_fault_create(self._context, self.obj_get_changes())
        self._from_db_object(self._context, self, db_fault)


@base.NovaObjectRegistry.register
class InstanceFaultList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceFault'),
    }

    @classmethod
    @base.remotable
    def get_by_instance_uuids(cls, context, instance_uuids):
        """Every fault of the instances, newest first per instance."""
        by_instance = db.instance_fault_get_by_instance_uuids(context, instance_uuids)
        rows = [row for uuid in instance_uuids for row in by_instance.get(uuid, [])]
        return cls._from_rows(context, rows)

    @classmethod
    @base.remotable
    def get_latest_by_instance_uuids(cls, context, instance_uuids):
        """The newest fault of each of the instances that has one."""
        by_instance = db.instance_fault_get_by_instance_uuids(context, instance_uuids,
                                                              latest=True)
        rows = [row for uuid in instance_uuids for row in by_instance.get(uuid, [])]
        return cls._from_rows(context, rows)
