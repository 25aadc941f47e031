"""FixedIP: an address of a nova-network network, given to an instance's interface."""

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

_BOOLEAN_FIELDS = ('deleted', 'allocated', 'leased', 'reserved')


@base.NovaObjectRegistry.register
class FixedIP(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'address': fields.IPAddressField(),
        'network_id': fields.IntegerField(nullable=True),
        'virtual_interface_id': fields.IntegerField(nullable=True),
        'instance_uuid': fields.UUIDField(nullable=True),
        'allocated': fields.BooleanField(default=False),
        'leased': fields.BooleanField(default=False),
        'reserved': fields.BooleanField(default=False),
        'host': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, fixed_ip, db_fixed_ip):
        for name in fixed_ip.fields:
            value = db_fixed_ip[name]
            setattr(fixed_ip, name, bool(value) if name in _BOOLEAN_FIELDS else value)
        fixed_ip._context = context
        fixed_ip.obj_reset_changes()
        return fixed_ip

    @classmethod
    def _from_row(cls, context, row):
        return cls._from_db_object(context, cls(), row)

    @classmethod
    @base.remotable
    def get_by_id(cls, context, fixed_ip_id):
        return cls._from_row(context, db.fixed_ip_get(context, fixed_ip_id))

    @classmethod
    @base.remotable
    def get_by_address(cls, context, address):
        return cls._from_row(context, db.fixed_ip_get_by_address(context, str(address)))

    @classmethod
    @base.remotable
    def associate(cls, context, address, instance_uuid, network_id=None, reserved=False,
                  vif_id=None):
        """Give this address to the instance (FixedIpAlreadyInUse if another has it)."""
        return cls._from_row(context, db.fixed_ip_associate(
            context, str(address), instance_uuid, network_id=network_id, reserved=reserved,
            virtual_interface_id=vif_id))

    @classmethod
    @base.remotable
    def associate_pool(cls, context, network_id, instance_uuid=None, host=None, vif_id=None):
        """Take any free address of the network (NoMoreFixedIps when none is left)."""
        return cls._from_row(context, db.fixed_ip_associate_pool(
            context, network_id, instance_uuid=instance_uuid, host=host,
            virtual_interface_id=vif_id))

    @classmethod
    @base.remotable
    def disassociate_by_address(cls, context, address):
        db.fixed_ip_disassociate(context, str(address))

    @base.remotable
    def disassociate(self):
        db.fixed_ip_disassociate(self._context, str(self.address))
        self.instance_uuid = None
        self.virtual_interface_id = None
        self.allocated = False
        self.obj_reset_changes(['instance_uuid', 'virtual_interface_id', 'allocated'])

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        values = self.obj_get_changes()
        values['address'] = str(values['address'])
        self._from_db_object(self._context, self, db.fixed_ip_create(self._context, values))

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if 'address' in updates:
            raise exception.ObjectActionError(action='save', reason='address is not mutable')
        if updates:
            self._from_db_object(self._context, self, db.fixed_ip_update(
                self._context, str(self.address), updates))

    @base.remotable
    def destroy(self):
        db.fixed_ip_destroy(self._context, str(self.address))
        self._mark_deleted()


@base.NovaObjectRegistry.register
class FixedIPList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('FixedIP'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, db.fixed_ip_get_all(context))

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_rows(context, db.fixed_ip_get_by_instance(context, instance_uuid))

    @classmethod
    @base.remotable
    def get_by_network(cls, context, network_id, host=None):
        return cls._from_rows(context, db.fixed_ip_get_all(context, network_id=network_id,
                                                           host=host))

    @classmethod
    @base.remotable
    def bulk_create(cls, context, fixed_ips):
        """Create many addresses (dicts of FixedIP fields) in one transaction."""
        values = [dict(ip, address=str(ip['address'])) for ip in fixed_ips]
        db.fixed_ip_bulk_create(context, values)
