"""Instance: a guest, with its metadata, flavor, network info cache and latest fault.

``metadata``, ``system_metadata``, the flavors and ``info_cache`` are always loaded;
``fault`` is loaded on first use (or up front with ``expected_attrs=['fault']``).
The flavors are stored in instance_extra as the Flavor object's primitive, so the instance
keeps the flavor it was built with even if the flavor is later changed or deleted.
"""

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from nova import exception
import nova.conf
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields
from nova.objects import flavor as flavor_obj  # noqa: F401 (registers Flavor)
from nova.objects import instance_action
from nova.objects import instance_fault as fault_obj  # noqa: F401 (registers InstanceFault)

CONF = nova.conf.CONF

# Fields that are not instance columns: loaded from child tables or on demand.
_EXTRA_FIELDS = ('metadata', 'system_metadata', 'flavor', 'old_flavor', 'new_flavor',
                 'info_cache', 'fault')
_FLAVOR_FIELDS = {'flavor': 'cur', 'old_flavor': 'old', 'new_flavor': 'new'}


def _normalise_states(expected):
    if expected is None:
        return None
    return list(expected) if isinstance(expected, (list, tuple, set)) else [expected]


def guest_name(instance_id, uuid, template=None):
    """The name of the instance's guest on the hypervisor: ``instance_name_template``
    (or ``template``) filled with the id (or with id and uuid by name); the uuid if the
    template fits neither."""
    template = template or CONF.instance_name_template
    try:
        return template % instance_id
    except TypeError:
        try:
            return template % {'id': instance_id, 'uuid': uuid}
        except (KeyError, TypeError):
            return uuid


@base.NovaObjectRegistry.register
class InstanceInfoCache(base.NovaPersistentObject, base.NovaObject):
    """The instance's network info as the API shows it (a JSON text)."""

    VERSION = '1.0'

    fields = {
        'instance_uuid': fields.UUIDField(),
        'network_info': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, cache, db_cache):
        for name in cache.fields:
            value = db_cache[name]
            setattr(cache, name, bool(value) if name == 'deleted' else value)
        cache._context = context
        cache.obj_reset_changes()
        return cache

    @base.remotable
    def save(self):
        if 'network_info' in self.obj_what_changed():
            db_cache = db.instance_info_cache_update(self._context, self.instance_uuid,
                                                     self.network_info)
            self._from_db_object(self._context, self, db_cache)


@base.NovaObjectRegistry.register
class Instance(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'image_ref': fields.StringField(nullable=True),
        'kernel_id': fields.StringField(nullable=True),
        'ramdisk_id': fields.StringField(nullable=True),
        'hostname': fields.StringField(nullable=True),
        'launch_index': fields.IntegerField(nullable=True),
        'key_name': fields.StringField(nullable=True),
        'key_data': fields.StringField(nullable=True),
        'power_state': fields.IntegerField(nullable=True),
        'vm_state': fields.StringField(nullable=True),
        'task_state': fields.StringField(nullable=True),
        'memory_mb': fields.IntegerField(nullable=True),
        'vcpus': fields.IntegerField(nullable=True),
        'root_gb': fields.IntegerField(nullable=True),
        'ephemeral_gb': fields.IntegerField(nullable=True),
        'ephemeral_key_uuid': fields.UUIDField(nullable=True),
        'host': fields.StringField(nullable=True),
        'node': fields.StringField(nullable=True),
        'instance_type_id': fields.IntegerField(nullable=True),
        'user_data': fields.StringField(nullable=True),
        'reservation_id': fields.StringField(nullable=True),
        'launched_at': fields.DateTimeField(nullable=True),
        'terminated_at': fields.DateTimeField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
        'display_name': fields.StringField(nullable=True),
        'display_description': fields.StringField(nullable=True),
        'launched_on': fields.StringField(nullable=True),
        'locked': fields.BooleanField(default=False),
        'locked_by': fields.EnumField(['owner', 'admin'], nullable=True),
        'os_type': fields.StringField(nullable=True),
        'architecture': fields.StringField(nullable=True),
        'vm_mode': fields.StringField(nullable=True),
        'root_device_name': fields.StringField(nullable=True),
        'default_ephemeral_device': fields.StringField(nullable=True),
        'default_swap_device': fields.StringField(nullable=True),
        'config_drive': fields.StringField(nullable=True),
        'access_ip_v4': fields.IPV4AddressField(nullable=True),
        'access_ip_v6': fields.IPV6AddressField(nullable=True),
        'auto_disk_config': fields.BooleanField(default=False),
        'progress': fields.IntegerField(nullable=True),
        'shutdown_terminate': fields.BooleanField(default=False),
        'disable_terminate': fields.BooleanField(default=False),
        'cleaned': fields.BooleanField(default=False),
        'metadata': fields.DictOfStringsField(default={}),
        'system_metadata': fields.DictOfNullableStringsField(default={}),
        'flavor': fields.ObjectField('Flavor', nullable=True),
        'old_flavor': fields.ObjectField('Flavor', nullable=True),
        'new_flavor': fields.ObjectField('Flavor', nullable=True),
        'info_cache': fields.ObjectField('InstanceInfoCache', nullable=True),
        'fault': fields.ObjectField('InstanceFault', nullable=True),
    }

    @property
    def name(self):
        """The guest's name on the hypervisor (``instance_name_template`` % id)."""
        return guest_name(self.id, self.uuid)

    # -- loading ------------------------------------------------------------------------

    @staticmethod
    def _from_db_object(context, instance, db_inst, expected_attrs=None):
        expected_attrs = expected_attrs or []
        for name in instance.fields:
            if name in _EXTRA_FIELDS:
                continue
            value = db_inst[name]
            if name in ('deleted', 'cleaned'):
                value = bool(value)
            elif name in ('locked', 'auto_disk_config', 'shutdown_terminate',
                          'disable_terminate'):
                value = bool(value)
            setattr(instance, name, value)
        instance.metadata = {row.key: row.value for row in db_inst.metadata_items}
        instance.system_metadata = {row.key: row.value
                                    for row in db_inst.system_metadata_items}
        flavors = (jsonutils.loads(db_inst.extra.flavor)
                   if db_inst.extra is not None and db_inst.extra.flavor else {})
        for name, key in _FLAVOR_FIELDS.items():
            primitive = flavors.get(key)
            setattr(instance, name, base.NovaObject.obj_from_primitive(primitive, context)
                    if primitive else None)
        instance.info_cache = (
            InstanceInfoCache._from_db_object(context, InstanceInfoCache(), db_inst.info_cache)
            if db_inst.info_cache is not None else None)
        instance._context = context
        if 'fault' in expected_attrs:
            instance.fault = fault_obj.InstanceFault.get_latest_for_instance(
                context, instance.uuid)
        instance.obj_reset_changes(recursive=True)
        return instance

    def obj_load_attr(self, attrname):
        if not self._context:
            raise exception.OrphanedObjectError(method='obj_load_attr',
                                                objtype=self.obj_name())
        if attrname == 'fault':
            self.fault = fault_obj.InstanceFault.get_latest_for_instance(
                self._context, self.uuid)
        else:
            fresh = self.get_by_uuid(self._context, self.uuid)
            setattr(self, attrname, getattr(fresh, attrname))
        self.obj_reset_changes([attrname])

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, uuid, expected_attrs=None):
        return cls._from_db_object(context, cls(), db.instance_get_by_uuid(context, uuid),
                                   expected_attrs)

    @classmethod
    @base.remotable
    def get_by_id(cls, context, instance_id, expected_attrs=None):
        return cls._from_db_object(context, cls(), db.instance_get(context, instance_id),
                                   expected_attrs)

    # -- writing ------------------------------------------------------------------------

    def _flavors_primitive(self):
        primitive = {}
        for name, key in _FLAVOR_FIELDS.items():
            flavor = getattr(self, name) if self.obj_attr_is_set(name) else None
            primitive[key] = flavor.obj_to_primitive() if flavor is not None else None
        return jsonutils.dumps(primitive)

    def _db_values(self, changes):
        """Changed fields -> instance_create/instance_update values."""
        values = {}
        for name, value in changes.items():
            if name in _FLAVOR_FIELDS:
                values.setdefault('extra', {})['flavor'] = self._flavors_primitive()
            elif name == 'info_cache':
                values['network_info'] = value.network_info if value is not None else None
            elif name == 'fault':
                continue  # faults are records of their own (InstanceFault.create)
            elif name in ('access_ip_v4', 'access_ip_v6') and value is not None:
                values[name] = str(value)
            elif name == 'cleaned':
                values[name] = int(bool(value))
            else:
                values[name] = value
        return values

    def _changes(self):
        changes = self.obj_get_changes()
        for name in ('flavor', 'old_flavor', 'new_flavor', 'info_cache'):
            value = getattr(self, name) if self.obj_attr_is_set(name) else None
            if value is not None and value.obj_what_changed():
                changes[name] = value
        changes.pop('id', None)
        return changes

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('uuid'):
            self.uuid = uuidutils.generate_uuid()
        changes = self._changes()
        changes.pop('deleted', None)
        values = self._db_values(changes)
        self._from_db_object(self._context, self, db.instance_create(self._context, values))

    @base.remotable
    def save(self, expected_task_state=None, expected_vm_state=None, finish_event=None):
        """Write the changed fields.

        ``expected_task_state``/``expected_vm_state``: a state or list of states (None
        for "no task") the instance must still be in; checked and written atomically,
        raising UnexpectedTaskStateError/UnexpectedDeletingTaskStateError/
        UnexpectedVMStateError with nothing written when another writer got there first.
        ``finish_event``: the name of an event of the current action to finish (as
        succeeded) once the write is done, in the same round trip to conductor.
        """
        self._save(expected_task_state, expected_vm_state)
        if finish_event is not None:
            instance_action.InstanceActionEvent.event_finish(
                self._context, self.uuid, finish_event, want_result=False)

    def _save(self, expected_task_state, expected_vm_state):
        changes = self._changes()
        expected_task_state = _normalise_states(expected_task_state)
        expected_vm_state = _normalise_states(expected_vm_state)
        if not changes and expected_task_state is None and expected_vm_state is None:
            return
        # Only a change to the children (metadata, flavors, network info) reads the
        # instance back, for their rows' own values; the instance columns written are
        # this object's values already, and updated_at comes back from the UPDATE.
        reread = bool(set(changes) & set(_EXTRA_FIELDS))
        written = db.instance_update(self._context, self.uuid, self._db_values(changes),
                                     expected_task_state=expected_task_state,
                                     expected_vm_state=expected_vm_state, reread=reread)
        if not reread:
            self.updated_at = written['updated_at']
            self.obj_reset_changes()
            return
        fault = self.fault if self.obj_attr_is_set('fault') else None
        self._from_db_object(self._context, self, written)
        if fault is not None:
            self.fault = fault
            self.obj_reset_changes(['fault'])

    @base.remotable
    def save_task_steps(self, task_states, expected_task_state, start_event=None):
        """Step the task state through ``task_states``, in one round trip to conductor.

        Each step is its own write, committed and guarded by the step before
        (``expected_task_state`` for the first), exactly as that many saves would be: for
        steps with no work between them. The other changed fields go with the first step.
        ``start_event``: (name, host) of an event of the current action to start first.
        """
        if start_event is not None:
            name, host = start_event
            instance_action.InstanceActionEvent.event_start(
                self._context, self.uuid, name, want_result=False, host=host)
        expected = expected_task_state
        for task_state in task_states:
            self.task_state = task_state
            self.save(expected_task_state=expected)
            expected = task_state

    # What a save needs of the object when it runs in conductor: its identity, the changed
    # fields, and all three flavors when one changed (they are stored as one document).
    _SAVE_IDENTITY = ('uuid', 'id')

    def obj_for_remote_call(self, method):
        """The part of this instance conductor needs to run ``method``; for a save, the
        identity and the changes instead of every field and child."""
        if method not in ('save', 'save_task_steps'):
            return self
        changes = self._changes()
        names = set(changes) | {n for n in self._SAVE_IDENTITY if self.obj_attr_is_set(n)}
        if names & set(_FLAVOR_FIELDS):
            names |= {n for n in _FLAVOR_FIELDS if self.obj_attr_is_set(n)}
        if self.obj_attr_is_set('fault'):
            names.discard('fault')  # faults are records of their own
        partial = Instance(self._context)
        for name in names:
            setattr(partial, name, getattr(self, name))
        partial._changed_fields = set(self._changed_fields) & names
        return partial

    @base.remotable
    def destroy(self):
        """Soft-delete, refusing if the instance has moved to another host meanwhile."""
        if not self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='destroy', reason='not created')
        kwargs = {'expected_host': self.host} if self.obj_attr_is_set('host') else {}
        db_inst = db.instance_destroy(self._context, self.uuid, **kwargs)
        self.deleted = True
        self.deleted_at = db_inst.deleted_at
        self.obj_reset_changes(['deleted', 'deleted_at'])

    @base.remotable
    def refresh(self):
        fresh = self.get_by_uuid(self._context, self.uuid)
        for name in self.fields:
            if name != 'fault' and fresh.obj_attr_is_set(name):
                setattr(self, name, getattr(fresh, name))
        self.obj_reset_changes(recursive=True)


@base.NovaObjectRegistry.register
class InstanceList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Instance'),
    }

    @classmethod
    @base.remotable
    def get_by_filters(cls, context, filters, sort_keys=None, sort_dirs=None, limit=None,
                       marker=None, expected_attrs=None, sort_key=None, sort_dir=None):
        """Instances matching ``filters``, sorted and paged.

        The filters are those of nova.db.main.instance_filters (exact values or lists,
        regular expressions, time spans, tags, addresses, deleted/soft_deleted). Non-admin
        contexts only see their own project. Sorting defaults to created_at descending;
        ``marker`` is the uuid of the last instance of the previous page.
        """
        sort_keys = sort_keys or ([sort_key] if sort_key else None)
        sort_dirs = sort_dirs or ([sort_dir] if sort_dir else None)
        rows = db.instance_get_all_by_filters_sort(context, filters, limit=limit,
                                                   marker=marker, sort_keys=sort_keys,
                                                   sort_dirs=sort_dirs)
        return cls._from_rows(context, rows, expected_attrs=expected_attrs)

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host, expected_attrs=None):
        return cls._from_rows(context, db.instance_get_all_by_host(context, host),
                              expected_attrs=expected_attrs)

    @classmethod
    @base.remotable
    def get_by_host_and_node(cls, context, host, node, expected_attrs=None):
        return cls._from_rows(context, db.instance_get_all_by_host_and_node(context, host, node),
                              expected_attrs=expected_attrs)

    @classmethod
    @base.remotable
    def get_counts(cls, context, project_id, user_id=None):
        """Quota usage: {'project': {'instances', 'cores', 'ram'}, 'user': {...}}.

        'user' is only present when ``user_id`` is given. Deleted instances do not count.
        """
        return db.instance_count_usage(context, project_id, user_id=user_id)
