"""SecurityGroup: a named set of ingress rules of a project, applied to instances."""

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields


def _instance_uuid(instance):
    return instance if isinstance(instance, str) else instance.uuid


@base.NovaObjectRegistry.register
class SecurityGroup(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'name': fields.StringField(),
        'description': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, group, db_group):
        for name in group.fields:
            value = db_group[name]
            setattr(group, name, bool(value) if name == 'deleted' else value)
        group._context = context
        group.obj_reset_changes()
        return group

    @classmethod
    @base.remotable
    def get(cls, context, group_id):
        return cls._from_db_object(context, cls(), db.security_group_get(context, group_id))

    @classmethod
    @base.remotable
    def get_by_name(cls, context, project_id, group_name):
        return cls._from_db_object(context, cls(), db.security_group_get_by_name(
            context, project_id, group_name))

    @classmethod
    @base.remotable
    def ensure_default(cls, context):
        """The context project's 'default' group, created on first use."""
        return cls._from_db_object(context, cls(), db.security_group_ensure_default(context))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        db_group = db.security_group_create(self._context, self.obj_get_changes())
        self._from_db_object(self._context, self, db_group)

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if updates:
            db_group = db.security_group_update(self._context, self.id, updates)
            self._from_db_object(self._context, self, db_group)

    @base.remotable
    def destroy(self):
        """Soft-delete the group with its rules and instance associations."""
        db.security_group_destroy(self._context, self.id)
        self._mark_deleted()

    @base.remotable
    def in_use(self):
        """Whether a live instance is still in the group."""
        return db.security_group_in_use(self._context, self.id)

    @base.remotable
    def add_to_instance(self, instance_uuid):
        db.instance_add_security_group(self._context, instance_uuid, self.id)

    @base.remotable
    def remove_from_instance(self, instance_uuid):
        db.instance_remove_security_group(self._context, instance_uuid, self.id)


@base.NovaObjectRegistry.register
class SecurityGroupList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('SecurityGroup'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, db.security_group_get_all(context))

    @classmethod
    @base.remotable
    def get_by_project(cls, context, project_id):
        return cls._from_rows(context, db.security_group_get_all(context, project_id))

    @classmethod
    def get_by_instance(cls, context, instance):
        """Groups of ``instance`` (an Instance or its uuid)."""
        return cls.get_by_instance_uuid(context, _instance_uuid(instance))

    @classmethod
    @base.remotable
    def get_names_by_instance_uuids(cls, context, instance_uuids):
        """{instance uuid: [group name, ...]}: one round trip for a whole server list."""
        return db.security_group_names_by_instance_uuids(context, instance_uuids)

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_rows(context, db.security_group_get_by_instance(context,
                                                                         instance_uuid))
