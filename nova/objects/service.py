"""Service: a nova daemon on a host, its enabled state and its heartbeat."""

from oslo_utils import uuidutils

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

# The service version of this code, stored in each service record it writes. Bump it (and
# say why in the history below) whenever a service gains something its peers must know
# about before using it: a new RPC method or argument, a new object version sent over RPC,
# a changed meaning of a field. Others compare against Service.get_minimum_version() to
# decide whether the whole deployment can take the new behaviour yet. Never lower it.
#
# History:
#   1: the first release.
SERVICE_VERSION = 1

# The oldest service version this code can work with in the same deployment (rolling
# upgrades keep one release of overlap). nova-status fails services older than this.
OLDEST_SUPPORTED_SERVICE_VERSION = 1


def _from_db(context, obj, db_service):
    for name in obj.fields:
        value = db_service[name]
        if name == 'deleted':
            value = bool(value)
        setattr(obj, name, value)
    obj._context = context
    obj.obj_reset_changes()
    return obj


@base.NovaObjectRegistry.register
class Service(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'host': fields.StringField(nullable=True),
        'binary': fields.StringField(nullable=True),
        'topic': fields.StringField(nullable=True),
        'report_count': fields.IntegerField(),
        'disabled': fields.BooleanField(),
        'disabled_reason': fields.StringField(nullable=True),
        'last_seen_up': fields.DateTimeField(nullable=True),
        'forced_down': fields.BooleanField(),
        'version': fields.IntegerField(),
    }

    @staticmethod
    def _from_db_object(context, service, db_service):
        return _from_db(context, service, db_service)

    @classmethod
    @base.remotable
    def get_by_id(cls, context, service_id):
        return cls._from_db_object(context, cls(), db.service_get(context, service_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, service_uuid):
        return cls._from_db_object(context, cls(), db.service_get_by_uuid(context, service_uuid))

    @classmethod
    @base.remotable
    def get_by_host_and_binary(cls, context, host, binary):
        """The service, or None when ``binary`` has no record on ``host``."""
        try:
            db_service = db.service_get_by_host_and_binary(context, host, binary)
        except exception.HostBinaryNotFound:
            return None
        return cls._from_db_object(context, cls(), db_service)

    @classmethod
    @base.remotable
    def get_by_host_and_topic(cls, context, host, topic):
        """The service, or None when nothing on ``host`` listens on ``topic``."""
        try:
            db_service = db.service_get_by_host_and_topic(context, host, topic)
        except exception.HostTopicNotFound:
            return None
        return cls._from_db_object(context, cls(), db_service)

    @classmethod
    @base.remotable
    def get_by_compute_host(cls, context, host):
        """The nova-compute service of ``host``; ComputeHostNotFound if there is none."""
        return cls._from_db_object(context, cls(),
                                   db.service_get_by_compute_host(context, host))

    @classmethod
    @base.remotable
    def get_minimum_version(cls, context, binary):
        """Lowest version of the live ``binary`` services (0 when there are none)."""
        return db.service_get_minimum_version(context, binary) or 0

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('uuid'):
            self.uuid = uuidutils.generate_uuid()
        self.version = SERVICE_VERSION
        self._from_db_object(self._context, self,
                             db.service_create(self._context, self.obj_get_changes()))

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if not updates:
            return
        self._from_db_object(self._context, self,
                             db.service_update(self._context, self.id, updates))

    @base.remotable
    def destroy(self):
        """Soft-delete; a nova-compute service takes its host's compute nodes with it."""
        db.service_destroy(self._context, self.id)
        self._mark_deleted()


@base.NovaObjectRegistry.register
class ServiceList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Service'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, disabled=None):
        return cls._from_rows(context, db.service_get_all(context, disabled=disabled))

    @classmethod
    @base.remotable
    def get_by_binary(cls, context, binary, include_disabled=False):
        return cls._from_rows(context, db.service_get_all_by_binary(
            context, binary, include_disabled=include_disabled))

    @classmethod
    @base.remotable
    def get_by_topic(cls, context, topic):
        return cls._from_rows(context, db.service_get_all_by_topic(context, topic))

    @classmethod
    @base.remotable
    def get_by_host(cls, context, host):
        return cls._from_rows(context, db.service_get_all_by_host(context, host))
