"""SecurityGroupRule: an ingress rule, from a CIDR or from members of another group."""

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

PROTOCOLS = ('tcp', 'udp', 'icmp')


@base.NovaObjectRegistry.register
class SecurityGroupRule(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'protocol': fields.StringField(nullable=True),
        'from_port': fields.IntegerField(nullable=True),
        'to_port': fields.IntegerField(nullable=True),
        'cidr': fields.IPNetworkField(nullable=True),
        'parent_group_id': fields.IntegerField(),
        # The group whose members are granted access (None for a CIDR rule).
        'group_id': fields.IntegerField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, rule, db_rule):
        for name in rule.fields:
            value = db_rule[name]
            setattr(rule, name, bool(value) if name == 'deleted' else value)
        rule._context = context
        rule.obj_reset_changes()
        return rule

    def _check(self):
        protocol = self.protocol if self.obj_attr_is_set('protocol') else None
        if protocol is not None and protocol.lower() not in PROTOCOLS:
            raise exception.InvalidInput(reason='protocol must be one of %s, not %r'
                                         % (', '.join(PROTOCOLS), protocol))
        limit = 255 if protocol and protocol.lower() == 'icmp' else 65535
        low = -1 if protocol and protocol.lower() == 'icmp' else 1
        for name in ('from_port', 'to_port'):
            value = getattr(self, name) if self.obj_attr_is_set(name) else None
            if value is not None and not low <= value <= limit:
                raise exception.InvalidInput(reason='%s %d is out of range %d..%d'
                                             % (name, value, low, limit))

    @classmethod
    @base.remotable
    def get_by_id(cls, context, rule_id):
        return cls._from_db_object(context, cls(), db.security_group_rule_get(context, rule_id))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        self._check()
        values = self.obj_get_changes()
        if values.get('cidr') is not None:
            values['cidr'] = str(values['cidr'])
        db_rule = db.security_group_rule_create(self._context, values)
        self._from_db_object(self._context, self, db_rule)

    @base.remotable
    def destroy(self):
        db.security_group_rule_destroy(self._context, self.id)
        self._mark_deleted()


@base.NovaObjectRegistry.register
class SecurityGroupRuleList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('SecurityGroupRule'),
    }

    @classmethod
    @base.remotable
    def get_by_security_group_id(cls, context, group_id):
        rows = db.security_group_rule_get_by_security_group(context, group_id)
        return cls._from_rows(context, rows)

    @classmethod
    def get_by_security_group(cls, context, security_group):
        return cls.get_by_security_group_id(context, security_group.id)

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        rows = db.security_group_rule_get_by_instance(context, instance_uuid)
        return cls._from_rows(context, rows)

    @classmethod
    def get_by_instance(cls, context, instance):
        return cls.get_by_instance_uuid(context, instance.uuid)
