"""VirtualInterface: a NIC of an instance on a network, identified by its MAC address."""

from oslo_utils import uuidutils

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class VirtualInterface(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'address': fields.StringField(nullable=True),  # the MAC address
        'network_id': fields.IntegerField(nullable=True),
        'instance_uuid': fields.UUIDField(),
        'uuid': fields.UUIDField(),
        'tag': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, vif, db_vif):
        for name in vif.fields:
            value = db_vif[name]
            setattr(vif, name, bool(value) if name == 'deleted' else value)
        vif._context = context
        vif.obj_reset_changes()
        return vif

    @classmethod
    @base.remotable
    def get_by_id(cls, context, vif_id):
        return cls._from_db_object(context, cls(), db.virtual_interface_get(context, vif_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, vif_uuid):
        return cls._from_db_object(context, cls(),
                                   db.virtual_interface_get_by_uuid(context, vif_uuid))

    @classmethod
    @base.remotable
    def get_by_address(cls, context, address):
        return cls._from_db_object(context, cls(),
                                   db.virtual_interface_get_by_address(context, address))

    @classmethod
    @base.remotable
    def get_by_instance_and_network(cls, context, instance_uuid, network_id):
        """The instance's interface on the network, or None."""
        rows = db.virtual_interface_get_all(context, instance_uuid=instance_uuid,
                                            network_id=network_id)
        return cls._from_db_object(context, cls(), rows[0]) if rows else None

    @classmethod
    @base.remotable
    def delete_by_instance_uuid(cls, context, instance_uuid):
        db.virtual_interface_delete_by_instance(context, instance_uuid)

    @base.remotable
    def create(self):
        """Create; VirtualInterfaceMacAddressException if the MAC is taken."""
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('uuid'):
            self.uuid = uuidutils.generate_uuid()
        db_vif = db.virtual_interface_create(self._context, self.obj_get_changes())
        self._from_db_object(self._context, self, db_vif)

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if updates:
            self._from_db_object(self._context, self, db.virtual_interface_update(
                self._context, self.id, updates))

    @base.remotable
    def destroy(self):
        db.virtual_interface_destroy(self._context, self.id)
        self._mark_deleted()


@base.NovaObjectRegistry.register
class VirtualInterfaceList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('VirtualInterface'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, db.virtual_interface_get_all(context))

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        rows = db.virtual_interface_get_all(context, instance_uuid=instance_uuid)
        return cls._from_rows(context, rows)
