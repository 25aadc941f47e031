"""FloatingIP: a public address of a pool, allocated to a project, pointed at a fixed IP."""

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields
from nova.objects import fixed_ip as fixed_ip_obj


@base.NovaObjectRegistry.register
class FloatingIP(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'address': fields.IPAddressField(),
        'fixed_ip_id': fields.IntegerField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'host': fields.StringField(nullable=True),
        'auto_assigned': fields.BooleanField(default=False),
        'pool': fields.StringField(nullable=True),
        'interface': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, floating_ip, db_floating_ip):
        for name in floating_ip.fields:
            value = db_floating_ip[name]
            if name in ('deleted', 'auto_assigned'):
                value = bool(value)
            setattr(floating_ip, name, value)
        floating_ip._context = context
        floating_ip.obj_reset_changes()
        return floating_ip

    @classmethod
    def _from_row(cls, context, row):
        return cls._from_db_object(context, cls(), row)

    @classmethod
    @base.remotable
    def get_by_id(cls, context, floating_ip_id):
        return cls._from_row(context, db.floating_ip_get(context, floating_ip_id))

    @classmethod
    @base.remotable
    def get_by_address(cls, context, address):
        return cls._from_row(context, db.floating_ip_get_by_address(context, str(address)))

    @classmethod
    @base.remotable
    def allocate_address(cls, context, project_id, pool, auto_assigned=False):
        """A free address of ``pool`` for the project (NoMoreFloatingIps when none)."""
        return cls._from_row(context, db.floating_ip_allocate_address(
            context, project_id, pool, auto_assigned=auto_assigned))

    @classmethod
    @base.remotable
    def deallocate(cls, context, address):
        db.floating_ip_deallocate(context, str(address))

    @classmethod
    @base.remotable
    def associate(cls, context, floating_address, fixed_address, host):
        """Point the floating address at the fixed one; return that FixedIP."""
        db_fixed = db.floating_ip_associate(context, str(floating_address),
                                            str(fixed_address), host)
        return fixed_ip_obj.FixedIP._from_row(context, db_fixed)

    @classmethod
    @base.remotable
    def disassociate(cls, context, address):
        """Detach the floating address; return the FixedIP it pointed at (or None)."""
        db_fixed = db.floating_ip_disassociate(context, str(address))
        return fixed_ip_obj.FixedIP._from_row(context, db_fixed) if db_fixed else None

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        values = self.obj_get_changes()
        values['address'] = str(values['address'])
        self._from_db_object(self._context, self, db.floating_ip_create(self._context,
                                                                        values))

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if 'address' in updates:
            raise exception.ObjectActionError(action='save', reason='address is not mutable')
        if updates:
            self._from_db_object(self._context, self, db.floating_ip_update(
                self._context, str(self.address), updates))

    @base.remotable
    def destroy(self):
        db.floating_ip_destroy(self._context, str(self.address))
        self._mark_deleted()


@base.NovaObjectRegistry.register
class FloatingIPList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('FloatingIP'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, db.floating_ip_get_all(context))

    @classmethod
    @base.remotable
    def get_by_project(cls, context, project_id):
        return cls._from_rows(context, db.floating_ip_get_all(context, project_id=project_id))

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host):
        return cls._from_rows(context, db.floating_ip_get_all(context, host=host))

    @classmethod
    @base.remotable
    def get_by_fixed_ip_id(cls, context, fixed_ip_id):
        return cls._from_rows(context, db.floating_ip_get_all(context,
                                                              fixed_ip_id=fixed_ip_id))

    @classmethod
    @base.remotable
    def bulk_create(cls, context, floating_ips):
        """Create many addresses (dicts of FloatingIP fields) in one transaction."""
        values = [dict(ip, address=str(ip['address'])) for ip in floating_ips]
        db.floating_ip_bulk_create(context, values)
