"""RequestSpec: what the scheduler was asked for one instance (API database).

The row holds the object's own JSON primitive, so a spec written by one release is read back
by the next through ordinary object versioning; only instance_uuid is a column of its own.
"""

import copy

from oslo_serialization import jsonutils
from oslo_versionedobjects import fields as ovo_fields

from nova import exception
from nova.db.api import api as api_db
from nova.i18n import _
from nova.objects import base
from nova.objects import fields
from nova.objects import flavor as flavor_obj  # noqa: F401  (registers Flavor for 'flavor')

# Kept in columns or recomputed, never inside the stored primitive.
_NOT_IN_SPEC = ('id', 'created_at', 'updated_at')


class _JSONDict(fields.FieldType):
    """A dict of JSON values (nested dicts, lists, strings, numbers, booleans, None)."""

    @staticmethod
    def coerce(obj, attr, value):
        if not isinstance(value, dict):
            raise ValueError(_('%(attr)s must be a dict, not %(type)s')
                             % {'attr': attr, 'type': type(value).__name__})
        try:
            return jsonutils.loads(jsonutils.dumps(value))
        except (TypeError, ValueError) as error:
            raise ValueError(_('%(attr)s is not JSON-serialisable: %(error)s')
                             % {'attr': attr, 'error': error})

    @staticmethod
    def to_primitive(obj, attr, value):
        return copy.deepcopy(value)

    @staticmethod
    def from_primitive(obj, attr, value):
        return copy.deepcopy(value)


class JSONDictField(fields.AutoTypedField):
    AUTO_TYPE = _JSONDict()


@base.NovaObjectRegistry.register
class RequestSpec(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'project_id': fields.StringField(nullable=True, default=None),
        'user_id': fields.StringField(nullable=True, default=None),
        'flavor': fields.ObjectField('Flavor', nullable=True, default=None),
        # Image metadata as the image API returns it, until an ImageMeta object exists.
        'image': JSONDictField(nullable=True, default=None),
        'num_instances': fields.IntegerField(default=1),
        'availability_zone': fields.StringField(nullable=True, default=None),
        # (not re-exported by nova.objects.fields yet)
        'scheduler_hints': ovo_fields.DictOfListOfStringsField(nullable=True, default={}),
        'ignore_hosts': fields.ListOfStringsField(nullable=True, default=None),
        'force_hosts': fields.ListOfStringsField(nullable=True, default=None),
        'force_nodes': fields.ListOfStringsField(nullable=True, default=None),
        'retry': JSONDictField(nullable=True, default=None),
        'instance_group': JSONDictField(nullable=True, default=None),
        'security_groups': fields.ListOfStringsField(default=[]),
        'is_bfv': fields.BooleanField(default=False),
        'requested_destination': JSONDictField(nullable=True, default=None),
    }

    def get_scheduler_hint(self, name, default=None):
        """One hint's value: the single item of a one-item list, else the list itself."""
        hints = self.scheduler_hints if 'scheduler_hints' in self else None
        value = (hints or {}).get(name)
        if not value:
            return default
        return value[0] if len(value) == 1 else value

    # -- storage --------------------------------------------------------------------------

    def _row_values(self):
        """The stored spec and the columns that copy two of its fields."""
        zone = self.availability_zone if 'availability_zone' in self else None
        hints = self.scheduler_hints if 'scheduler_hints' in self else None
        return {'spec': self._spec_json(), 'availability_zone': zone,
                'scheduler_hints': jsonutils.dumps(hints) if hints else None}

    def _spec_json(self):
        spec = self.obj_clone()
        for name in _NOT_IN_SPEC:
            if name in spec:
                delattr(spec, name)
        spec.obj_reset_changes(recursive=True)
        return jsonutils.dumps(spec.obj_to_primitive())

    @staticmethod
    def _from_db_object(context, spec, db_spec):
        stored = base.NovaObject.obj_from_primitive(jsonutils.loads(db_spec.spec),
                                                    context=context)
        for name in spec.fields:
            if name in _NOT_IN_SPEC or name == 'instance_uuid':
                setattr(spec, name, db_spec[name])
            elif name in stored:
                setattr(spec, name, getattr(stored, name))
            elif name in spec:
                delattr(spec, name)
        spec.obj_set_defaults()  # fields newer than the stored spec
        spec._context = context
        spec.obj_reset_changes(recursive=True)
        return spec

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_db_object(
            context, cls(), api_db.request_spec_get_by_instance_uuid(context, instance_uuid))

    @classmethod
    @base.remotable
    def get_by_instance_uuids(cls, context, instance_uuids):
        """{instance uuid: RequestSpec} for those of the instances that have one."""
        return {row.instance_uuid: cls._from_db_object(context, cls(), row)
                for row in api_db.request_spec_get_by_instance_uuids(context, instance_uuids)}

    @classmethod
    @base.remotable
    def get_zones_and_hints(cls, context, instance_uuids):
        """{instance uuid: (availability_zone, scheduler_hints)}, read from the columns
        that keep a copy of each (``_row_values``): server lists show only these two, and
        building whole specs (with their flavors) for every server would cost more than
        the rest of the list."""
        return {uuid: (zone, jsonutils.loads(hints) if hints else {})
                for uuid, zone, hints in api_db.request_spec_zones_and_hints(
                    context, instance_uuids)}

    @base.remotable
    def create(self):
        if 'id' in self:
            raise exception.ObjectActionError(action='create', reason='already created')
        if 'instance_uuid' not in self:
            raise exception.ObjectActionError(action='create',
                                              reason='instance_uuid is required')
        self.obj_set_defaults()
        db_spec = api_db.request_spec_create(
            self._context, dict(self._row_values(), instance_uuid=self.instance_uuid))
        self._from_db_object(self._context, self, db_spec)

    @base.remotable
    def save(self):
        if 'instance_uuid' in self.obj_get_changes():
            raise exception.ObjectActionError(action='save',
                                              reason='instance_uuid cannot change')
        db_spec = api_db.request_spec_update(self._context, self.instance_uuid,
                                             self._row_values())
        self._from_db_object(self._context, self, db_spec)

    @base.remotable
    def destroy(self):
        api_db.request_spec_destroy(self._context, self.instance_uuid)
