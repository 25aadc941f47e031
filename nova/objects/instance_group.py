"""InstanceGroup: a server group (API database): a policy (affinity, anti-affinity,
soft-affinity, soft-anti-affinity), its rules and the instances in it."""

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from nova import exception
from nova.db.api import api as api_db
from nova.objects import base
from nova.objects import fields

POLICIES = ('affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity')


@base.NovaObjectRegistry.register
class InstanceGroup(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'policy': fields.StringField(nullable=True),
        'rules': fields.DictOfStringsField(default={}),
        'members': fields.ListOfStringsField(default=[]),
    }

    @staticmethod
    def _from_db_object(context, group, row):
        for name in ('id', 'uuid', 'name', 'user_id', 'project_id', 'created_at',
                     'updated_at'):
            setattr(group, name, row[name])
        policy = row.policies[0] if row.policies else None
        group.policy = policy.policy if policy else None
        rules = jsonutils.loads(policy.rules) if policy and policy.rules else {}
        group.rules = {key: str(value) for key, value in rules.items()}
        group.members = [member.instance_uuid for member in row.members]
        group._context = context
        group.obj_reset_changes()
        return group

    @property
    def rules_as_given(self):
        """The rules with max_server_per_host back as the integer the API takes."""
        return {key: int(value) if key == 'max_server_per_host' else value
                for key, value in (self.rules or {}).items()}

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, uuid):
        return cls._from_db_object(context, cls(), api_db.instance_group_get(context, uuid))

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        """The group the instance is in (InstanceGroupNotFound if none)."""
        return cls._from_db_object(context, cls(), api_db.instance_group_get_by_instance(
            context, instance_uuid))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        values = {name: getattr(self, name) for name in ('name', 'user_id', 'project_id')
                  if self.obj_attr_is_set(name)}
        values['uuid'] = self.uuid if self.obj_attr_is_set('uuid') else \
            uuidutils.generate_uuid()
        rules = self.rules if self.obj_attr_is_set('rules') else {}
        members = self.members if self.obj_attr_is_set('members') else []
        row = api_db.instance_group_create(
            self._context, values, self.policy,
            rules=jsonutils.dumps(rules) if rules else None, members=members)
        self._from_db_object(self._context, self, row)

    @base.remotable
    def destroy(self):
        api_db.instance_group_destroy(self._context, self.uuid)

    @classmethod
    @base.remotable
    def add_members(cls, context, group_uuid, instance_uuids):
        """Put instances in the group; the group's members afterwards."""
        return api_db.instance_group_members_add(context, group_uuid, list(instance_uuids))

    @classmethod
    @base.remotable
    def remove_instance(cls, context, instance_uuid):
        """Take an instance out of its group (nothing if it is in none)."""
        api_db.instance_group_member_delete_by_instance(context, instance_uuid)

    def as_spec(self, hosts=()):
        """The dict a RequestSpec carries for the scheduler's group filters."""
        return {'uuid': self.uuid, 'policy': self.policy, 'rules': dict(self.rules or {}),
                'members': list(self.members), 'hosts': sorted(hosts)}


@base.NovaObjectRegistry.register
class InstanceGroupList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceGroup'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, project_id=None, user_id=None):
        return cls._from_rows(context, api_db.instance_group_get_all(
            context, project_id=project_id, user_id=user_id))

    @classmethod
    @base.remotable
    def get_counts(cls, context, project_id, user_id=None):
        """{'project': {'server_groups': n}, 'user': {...}} for quota checks."""
        counts = {'project': {'server_groups': len(api_db.instance_group_get_all(
            context, project_id=project_id))}}
        if user_id is not None:
            counts['user'] = {'server_groups': len(api_db.instance_group_get_all(
                context, project_id=project_id, user_id=user_id))}
        return counts
