"""KeyPair: a user's SSH public key or X.509 certificate (API database)."""

from nova import exception
from nova.db.api import api as api_db
from nova.objects import base
from nova.objects import fields

KEYPAIR_TYPE_SSH = 'ssh'
KEYPAIR_TYPE_X509 = 'x509'
KEYPAIR_TYPES = (KEYPAIR_TYPE_SSH, KEYPAIR_TYPE_X509)

_KEYPAIR_FIELDS = ('id', 'name', 'user_id', 'fingerprint', 'public_key', 'type',
                   'created_at', 'updated_at')


@base.NovaObjectRegistry.register
class KeyPair(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'name': fields.StringField(nullable=False),
        'user_id': fields.StringField(nullable=True),
        'fingerprint': fields.StringField(nullable=True),
        'public_key': fields.StringField(nullable=True),
        'type': fields.EnumField(valid_values=KEYPAIR_TYPES, default=KEYPAIR_TYPE_SSH),
    }

    @staticmethod
    def _from_db_object(context, keypair, db_keypair):
        base.NovaObject._from_db_object_fields(keypair, db_keypair, _KEYPAIR_FIELDS)
        keypair._context = context
        keypair.obj_reset_changes()
        return keypair

    @classmethod
    @base.remotable
    def get_by_name(cls, context, user_id, name):
        return cls._from_db_object(context, cls(), api_db.key_pair_get(context, user_id, name))

    @classmethod
    @base.remotable
    def destroy_by_name(cls, context, user_id, name):
        api_db.key_pair_destroy(context, user_id, name)

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if 'name' not in self or not self.obj_attr_is_set('user_id') or not self.user_id:
            raise exception.ObjectActionError(action='create',
                                              reason='name and user_id are required')
        values = self.obj_get_changes()
        values.setdefault('type', KEYPAIR_TYPE_SSH)
        self._from_db_object(self._context, self, api_db.key_pair_create(self._context, values))

    @base.remotable
    def destroy(self):
        api_db.key_pair_destroy(self._context, self.user_id, self.name)


@base.NovaObjectRegistry.register
class KeyPairList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('KeyPair'),
    }

    @classmethod
    @base.remotable
    def get_by_user(cls, context, user_id, limit=None, marker=None):
        """A user's key pairs sorted by name; ``marker`` is the name to start after."""
        return cls._from_rows(context, api_db.key_pair_get_all_by_user(
            context, user_id, limit=limit, marker=marker))

    @classmethod
    @base.remotable
    def get_count_by_user(cls, context, user_id):
        return api_db.key_pair_count_by_user(context, user_id)
