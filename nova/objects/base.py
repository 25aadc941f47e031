"""The base of nova's versioned objects (oslo.versionedobjects).

A remotable method runs locally in processes that own the database (nova-conductor,
nova-manage, nova-all) and is forwarded to conductor over RPC everywhere else:
``NovaObject.indirection_api`` is set to the conductor RPC client at daemon start-up.
"""

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovoo_base
from oslo_versionedobjects import fields as ovoo_fields

from nova import exception

# Instance and class methods alike: @remotable, under @classmethod for the latter.
remotable = ovoo_base.remotable
obj_make_list = ovoo_base.obj_make_list


class NovaObjectRegistry(ovoo_base.VersionedObjectRegistry):
    notification_classes = []

    def registration_hook(self, cls, index):
        # Expose the newest version of each class as nova.objects.<Name>.
        from nova import objects
        current = getattr(objects, cls.obj_name(), None)
        if current is None or versionutils.convert_version_to_tuple(cls.VERSION) >= \
                versionutils.convert_version_to_tuple(current.VERSION):
            setattr(objects, cls.obj_name(), cls)


class NovaObject(ovoo_base.VersionedObject):
    """Base of every nova object."""

    OBJ_SERIAL_NAMESPACE = 'nova_object'
    OBJ_PROJECT_NAMESPACE = 'nova'

    def obj_reset_changes(self, fields=None, recursive=False):
        super().obj_reset_changes(fields, recursive=recursive)

    # oslo.versionedobjects rebuilds the list of field names on every obj_attr_is_set and
    # asks it of every field in obj_what_changed, which makes serializing an Instance
    # quadratic in its fields (half a millisecond each). These two keep the same meaning
    # with dict lookups, and look for changed children only in fields that hold objects.

    def obj_attr_is_set(self, attrname):
        if attrname not in self.fields and attrname not in self.obj_extra_fields:
            raise AttributeError("%s object has no attribute '%s'"
                                 % (self.obj_name(), attrname))
        return hasattr(self, '_obj_' + attrname)

    def obj_what_changed(self):
        changes = {name for name in self._changed_fields if name in self.fields}
        for name in self._object_field_names():
            child = getattr(self, '_obj_' + name, None)
            if isinstance(child, ovoo_base.VersionedObject) and child.obj_what_changed():
                changes.add(name)
        return changes

    @classmethod
    def _object_field_names(cls):
        names = cls.__dict__.get('_object_fields_cache')
        if names is None:
            names = tuple(name for name, field in cls.fields.items()
                          if isinstance(field, ovoo_fields.ObjectField))
            cls._object_fields_cache = names
        return names

    def obj_refresh(self, loaded_object):
        """Copy every set field of ``loaded_object`` into self, clearing changes."""
        for field in self.fields:
            if loaded_object.obj_attr_is_set(field):
                setattr(self, field, getattr(loaded_object, field))
        self.obj_reset_changes()

    @staticmethod
    def _from_db_object_fields(obj, db_obj, fields, skip=()):
        for field in fields:
            if field not in skip:
                setattr(obj, field, db_obj[field])


class NovaPersistentObject(object):
    """Mixin for objects backed by a soft-deletable table (created/updated/deleted)."""

    fields = {
        'created_at': ovoo_fields.DateTimeField(nullable=True),
        'updated_at': ovoo_fields.DateTimeField(nullable=True),
        'deleted_at': ovoo_fields.DateTimeField(nullable=True),
        'deleted': ovoo_fields.BooleanField(default=False),
    }

    def _mark_deleted(self):
        """Reflect a soft delete done in the database, without marking a change to save."""
        self.deleted = True
        self.obj_reset_changes(['deleted'])


class NovaTimestampObject(object):
    """Mixin for objects backed by a table with only created/updated timestamps."""

    fields = {
        'created_at': ovoo_fields.DateTimeField(nullable=True),
        'updated_at': ovoo_fields.DateTimeField(nullable=True),
    }


class ObjectListBase(ovoo_base.ObjectListBase):
    """Base of list objects; ``objects`` holds the items."""

    @classmethod
    def _from_rows(cls, context, rows, **kwargs):
        """A list of this class's items built from database rows."""
        return obj_make_list(context, cls(context), rows, **kwargs)


class NovaObjectSerializer(ovoo_base.VersionedObjectSerializer):
    """Serializes nova objects for RPC, backporting through conductor when needed."""

    OBJ_BASE_CLASS = NovaObject

    @property
    def conductor(self):
        if not hasattr(self, '_conductor'):
            from nova.conductor import rpcapi as conductor_rpcapi
            self._conductor = conductor_rpcapi.ConductorAPI()
        return self._conductor

    def _process_object(self, context, objprim):
        try:
            return super()._process_object(context, objprim)
        except ovoo_base.exception.IncompatibleObjectVersion as error:
            # Ask conductor (which knows every version) to backport to ours.
            objver = objprim['nova_object.version']
            if objver.count('.') == 2:
                objprim['nova_object.version'] = '.'.join(objver.split('.')[:2])
            versions = ovoo_base.obj_tree_get_versions(objprim['nova_object.name'])
            primitive = self.conductor.object_backport_versions(context, objprim, versions)
            if primitive is None:
                raise exception.IncompatibleObjectVersion(
                    objver=objver, objname=objprim['nova_object.name']) from error
            return NovaObject.obj_from_primitive(primitive, context=context)


def obj_to_primitive(obj):
    """Recursively turn an object (or list/dict of them) into plain Python values."""
    if isinstance(obj, ObjectListBase):
        return [obj_to_primitive(x) for x in obj]
    if isinstance(obj, NovaObject):
        return {field: obj_to_primitive(getattr(obj, field))
                for field in obj.fields if obj.obj_attr_is_set(field)}
    if isinstance(obj, dict):
        return {k: obj_to_primitive(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [obj_to_primitive(x) for x in obj]
    return obj
