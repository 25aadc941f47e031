"""Network: a nova-network network (flat, flat DHCP or VLAN) with its addressing."""

from oslo_utils import uuidutils

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

# Address columns, stored as text and exposed as netaddr objects.
_ADDRESS_FIELDS = ('cidr', 'cidr_v6', 'gateway_v6', 'netmask_v6', 'netmask', 'gateway',
                   'broadcast', 'dns1', 'dns2', 'vpn_public_address', 'vpn_private_address',
                   'dhcp_start', 'dhcp_server')
_BOOLEAN_FIELDS = ('deleted', 'injected', 'multi_host', 'enable_dhcp', 'share_address')


def _to_db_values(values):
    return {name: (str(value) if name in _ADDRESS_FIELDS and value is not None else value)
            for name, value in values.items()}


@base.NovaObjectRegistry.register
class Network(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'label': fields.StringField(),
        'injected': fields.BooleanField(default=False),
        'cidr': fields.IPV4NetworkField(nullable=True),
        'cidr_v6': fields.IPV6NetworkField(nullable=True),
        'multi_host': fields.BooleanField(default=False),
        'netmask': fields.IPV4AddressField(nullable=True),
        'gateway': fields.IPV4AddressField(nullable=True),
        'broadcast': fields.IPV4AddressField(nullable=True),
        'netmask_v6': fields.IPAddressField(nullable=True),
        'gateway_v6': fields.IPAddressField(nullable=True),
        'bridge': fields.StringField(nullable=True),
        'bridge_interface': fields.StringField(nullable=True),
        'dns1': fields.IPAddressField(nullable=True),
        'dns2': fields.IPAddressField(nullable=True),
        'vlan': fields.IntegerField(nullable=True),
        'vpn_public_address': fields.IPAddressField(nullable=True),
        'vpn_public_port': fields.IntegerField(nullable=True),
        'vpn_private_address': fields.IPAddressField(nullable=True),
        'dhcp_start': fields.IPV4AddressField(nullable=True),
        'rxtx_base': fields.IntegerField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'priority': fields.IntegerField(nullable=True),
        'host': fields.StringField(nullable=True),
        'uuid': fields.UUIDField(),
        'mtu': fields.IntegerField(nullable=True),
        'dhcp_server': fields.IPAddressField(nullable=True),
        'enable_dhcp': fields.BooleanField(default=True),
        'share_address': fields.BooleanField(default=False),
    }

    @staticmethod
    def _from_db_object(context, network, db_network):
        for name in network.fields:
            value = db_network[name]
            if name in _BOOLEAN_FIELDS:
                value = bool(value)
            setattr(network, name, value)
        network._context = context
        network.obj_reset_changes()
        return network

    @classmethod
    @base.remotable
    def get_by_id(cls, context, network_id):
        return cls._from_db_object(context, cls(), db.network_get(context, network_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, network_uuid):
        return cls._from_db_object(context, cls(), db.network_get_by_uuid(context, network_uuid))

    @classmethod
    @base.remotable
    def associate(cls, context, project_id, network_id=None, force=False):
        """Give the project a network (``network_id`` or any free one); return it."""
        return cls._from_db_object(context, cls(), db.network_associate(
            context, project_id, network_id=network_id, force=force))

    @classmethod
    @base.remotable
    def disassociate(cls, context, network_id, host=False, project=False):
        db.network_disassociate(context, network_id, disassociate_host=host,
                                disassociate_project=project)

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('uuid'):
            self.uuid = uuidutils.generate_uuid()
        db_network = db.network_create_safe(self._context,
                                            _to_db_values(self.obj_get_changes()))
        self._from_db_object(self._context, self, db_network)

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if updates:
            db_network = db.network_update(self._context, self.id, _to_db_values(updates))
            self._from_db_object(self._context, self, db_network)

    @base.remotable
    def destroy(self):
        """Soft-delete with its fixed IPs; NetworkInUse while any of them is allocated."""
        db.network_delete_safe(self._context, self.id)
        self._mark_deleted()


@base.NovaObjectRegistry.register
class NetworkList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Network'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, db.network_get_all(context))

    @classmethod
    @base.remotable
    def get_by_uuids(cls, context, network_uuids):
        return cls._from_rows(context, db.network_get_all(context, uuids=network_uuids))

    @classmethod
    @base.remotable
    def get_by_project(cls, context, project_id):
        return cls._from_rows(context, db.network_get_all(context, project_id=project_id))

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host):
        return cls._from_rows(context, db.network_get_all_by_host(context, host))
