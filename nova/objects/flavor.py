"""Flavor: the size of an instance, with its extra specs and access list (API database).

Non-admin contexts only find public flavors and those shared with their project.
"""

from oslo_utils import uuidutils

from nova import exception
from nova.db.api import api as api_db
from nova.i18n import _
from nova.objects import base
from nova.objects import fields

# Columns copied straight from a row (extra_specs and projects are rows of their own).
_FLAVOR_COLUMNS = ('id', 'name', 'memory_mb', 'vcpus', 'flavorid', 'rxtx_factor',
                   'vcpu_weight', 'description', 'created_at', 'updated_at')
# Nullable in the table (as upstream), never None in the object.
_ZERO_IF_NULL = ('root_gb', 'ephemeral_gb', 'swap')
# What save() may change; everything else is fixed once the flavor exists.
_SAVABLE = ('description', 'extra_specs', 'projects')
_MAX_STRING = 255


def _check_string(name, value, allow_empty=False):
    if not isinstance(value, str) or (not value and not allow_empty) or \
            len(value) > _MAX_STRING:
        raise exception.InvalidInput(
            reason=_('%(name)s must be a string of at most %(max)d characters, not %(value)r')
            % {'name': name, 'max': _MAX_STRING, 'value': value})


def _check_extra_specs(extra_specs):
    for key, value in extra_specs.items():
        _check_string('extra spec key', key)
        _check_string('extra spec value', value, allow_empty=True)


@base.NovaObjectRegistry.register
class Flavor(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'name': fields.StringField(nullable=True),
        'memory_mb': fields.IntegerField(),
        'vcpus': fields.IntegerField(),
        'root_gb': fields.NonNegativeIntegerField(),
        'ephemeral_gb': fields.NonNegativeIntegerField(),
        'flavorid': fields.StringField(),
        'swap': fields.NonNegativeIntegerField(),
        'rxtx_factor': fields.FloatField(nullable=True, default=1.0),
        'vcpu_weight': fields.IntegerField(nullable=True),
        'disabled': fields.BooleanField(),
        'is_public': fields.BooleanField(),
        'extra_specs': fields.DictOfStringsField(),
        'projects': fields.ListOfStringsField(),
        'description': fields.StringField(nullable=True),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the database held when last loaded: save() sends only the difference, so
        # edits of other keys made meanwhile by someone else survive.
        self._orig_extra_specs = {}
        self._orig_projects = []

    # -- change tracking of the dict and list fields, which can change in place ----------

    def _remember_originals(self, names=('extra_specs', 'projects')):
        if 'extra_specs' in names:
            self._orig_extra_specs = dict(self.extra_specs) if 'extra_specs' in self else {}
        if 'projects' in names:
            self._orig_projects = list(self.projects) if 'projects' in self else []

    def obj_reset_changes(self, fields=None, recursive=False):
        super().obj_reset_changes(fields, recursive=recursive)
        self._remember_originals(fields if fields is not None else ('extra_specs', 'projects'))

    def obj_what_changed(self):
        changes = super().obj_what_changed()
        if 'extra_specs' in self and self.extra_specs != self._orig_extra_specs:
            changes.add('extra_specs')
        if 'projects' in self and self.projects != self._orig_projects:
            changes.add('projects')
        return changes

    @classmethod
    def _obj_from_primitive(cls, context, objver, primitive):
        flavor = super()._obj_from_primitive(context, objver, primitive)
        # Fields the sender had not changed are what the sender last loaded.
        flavor._remember_originals([name for name in ('extra_specs', 'projects')
                                    if name not in flavor._changed_fields])
        return flavor

    # -- loading --------------------------------------------------------------------------

    @staticmethod
    def _from_db_object(context, flavor, db_flavor):
        base.NovaObject._from_db_object_fields(flavor, db_flavor, _FLAVOR_COLUMNS)
        for name in _ZERO_IF_NULL:
            setattr(flavor, name, db_flavor[name] or 0)
        flavor.disabled = bool(db_flavor.disabled)
        flavor.is_public = bool(db_flavor.is_public)
        flavor.extra_specs = {spec.key: spec.value for spec in db_flavor.extra_specs}
        flavor.projects = sorted(project.project_id for project in db_flavor.projects)
        flavor._context = context
        flavor.obj_reset_changes()
        return flavor

    def obj_load_attr(self, attrname):
        if attrname not in ('extra_specs', 'projects') or 'id' not in self or \
                self._context is None:
            raise exception.ObjectActionError(
                action='obj_load_attr', reason=_('%s cannot be loaded') % attrname)
        loaded = self.get_by_id(self._context.elevated(), self.id)
        setattr(self, attrname, getattr(loaded, attrname))
        self.obj_reset_changes([attrname])

    @classmethod
    @base.remotable
    def get_by_id(cls, context, id):
        return cls._from_db_object(context, cls(), api_db.flavor_get(context, id))

    @classmethod
    @base.remotable
    def get_by_flavor_id(cls, context, flavor_id, read_deleted=None):
        # read_deleted is accepted for upstream callers; the API database keeps no
        # deleted flavors.
        return cls._from_db_object(context, cls(),
                                   api_db.flavor_get_by_flavor_id(context, flavor_id))

    @classmethod
    @base.remotable
    def get_by_name(cls, context, name):
        return cls._from_db_object(context, cls(), api_db.flavor_get_by_name(context, name))

    # -- writing --------------------------------------------------------------------------

    def _values_for_create(self):
        values = self.obj_get_changes()
        extra_specs = values.pop('extra_specs', None) or {}
        projects = values.pop('projects', None) or []
        for required in ('name', 'memory_mb', 'vcpus'):
            if values.get(required) is None:
                raise exception.InvalidInput(reason=_('flavor %s is required') % required)
        _check_string('flavor name', values['name'])
        if not values.get('flavorid'):
            values['flavorid'] = uuidutils.generate_uuid()
        _check_string('flavorid', values['flavorid'])
        for name in ('memory_mb', 'vcpus'):
            if values[name] < 1:
                raise exception.InvalidInput(reason=_('flavor %s must be at least 1') % name)
        for name in _ZERO_IF_NULL:
            values.setdefault(name, 0)
        values.setdefault('rxtx_factor', 1.0)
        values.setdefault('disabled', False)
        values.setdefault('is_public', True)
        _check_extra_specs(extra_specs)
        for project_id in projects:
            _check_string('project_id', project_id)
        return values, extra_specs, projects

    @base.remotable
    def create(self):
        if 'id' in self:
            raise exception.ObjectActionError(action='create', reason='already created')
        values, extra_specs, projects = self._values_for_create()
        db_flavor = api_db.flavor_create(self._context, values, extra_specs=extra_specs,
                                         projects=projects)
        self._from_db_object(self._context, self, db_flavor)

    def save(self):
        """Store changes of description, extra_specs and projects (nothing else may change).

        Not remotable itself: the differences are worked out here, against what this
        object last loaded, and sent by the remotable helpers below.
        """
        changes = self.obj_what_changed()
        fixed = changes - set(_SAVABLE) - {'created_at', 'updated_at'}
        if fixed:
            raise exception.ObjectActionError(
                action='save', reason=_('read-only fields were changed: %s')
                % ', '.join(sorted(fixed)))
        # Work out every difference before the first call: a remote call resets the
        # change tracking of the whole object when it returns.
        specs_added, specs_deleted, projects_added, projects_removed = {}, [], [], []
        if 'extra_specs' in changes:
            _check_extra_specs(self.extra_specs)
            specs_deleted = sorted(set(self._orig_extra_specs) - set(self.extra_specs))
            specs_added = {k: v for k, v in self.extra_specs.items()
                           if self._orig_extra_specs.get(k, object()) != v}
        if 'projects' in changes:
            projects_added = sorted(set(self.projects) - set(self._orig_projects))
            projects_removed = sorted(set(self._orig_projects) - set(self.projects))
        description = self.description if 'description' in changes else None
        if specs_added or specs_deleted:
            self.save_extra_specs(specs_added, specs_deleted)
        if projects_added or projects_removed:
            self._save_projects(projects_added, projects_removed)
        if 'description' in changes:
            self._save_description(description)
        self.obj_reset_changes()

    @base.remotable
    def save_extra_specs(self, to_add=None, to_delete=None):
        """Set the keys of ``to_add`` and delete those in ``to_delete`` (already deleted
        is fine); extra_specs then shows the whole stored set."""
        _check_extra_specs(to_add or {})
        self.extra_specs = api_db.flavor_extra_specs_update(
            self._context, self.id, to_add=to_add, to_delete=to_delete)
        self.obj_reset_changes(['extra_specs'])

    @base.remotable
    def delete_extra_spec(self, key):
        """Delete one extra spec; FlavorExtraSpecsNotFound if the flavor has no such key."""
        self.extra_specs = api_db.flavor_extra_spec_delete(self._context, self.id, key)
        self.obj_reset_changes(['extra_specs'])

    @base.remotable
    def _save_projects(self, to_add=None, to_remove=None):
        self.projects = api_db.flavor_projects_update(self._context, self.id,
                                                      to_add=to_add, to_remove=to_remove)
        self.obj_reset_changes(['projects'])

    @base.remotable
    def _save_description(self, description):
        db_flavor = api_db.flavor_update(self._context, self.id, {'description': description})
        self.description = db_flavor.description
        self.updated_at = db_flavor.updated_at
        self.obj_reset_changes(['description', 'updated_at'])

    def _check_no_pending_projects(self, action):
        if 'projects' in self.obj_what_changed():
            raise exception.ObjectActionError(
                action=action, reason=_('projects modified; call save() first'))

    @base.remotable
    def add_access(self, project_id):
        """Share this flavor with a project; FlavorAccessExists if it already is."""
        self._check_no_pending_projects('add_access')
        _check_string('project_id', project_id)
        self.projects = api_db.flavor_access_add(self._context, self.id, project_id)
        self.obj_reset_changes(['projects'])

    @base.remotable
    def remove_access(self, project_id):
        """Unshare this flavor; FlavorAccessNotFound if it was not shared."""
        self._check_no_pending_projects('remove_access')
        self.projects = api_db.flavor_access_remove(self._context, self.id, project_id)
        self.obj_reset_changes(['projects'])

    @base.remotable
    def destroy(self):
        if 'id' not in self:
            if 'flavorid' not in self:
                raise exception.ObjectActionError(action='destroy',
                                                  reason='neither id nor flavorid is set')
            self.id = api_db.flavor_get_by_flavor_id(self._context.elevated(),
                                                     self.flavorid).id
        api_db.flavor_destroy(self._context, self.id)


@base.NovaObjectRegistry.register
class FlavorList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Flavor'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, inactive=False, filters=None, sort_key='flavorid',
                sort_dir='asc', limit=None, marker=None):
        """Flavors visible to ``context``; ``marker`` is the flavorid to start after.

        ``inactive`` is accepted for upstream callers: the API database keeps no deleted
        flavors. filters: is_public, min_memory_mb, min_root_gb, disabled.
        """
        db_flavors = api_db.flavor_get_all(context, filters=filters, sort_key=sort_key,
                                           sort_dir=sort_dir, limit=limit, marker=marker)
        return cls._from_rows(context, db_flavors)
