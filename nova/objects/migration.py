"""Migration: a move of an instance between hosts/nodes (resize, cold or live
migration, evacuation), with its status and progress."""

from oslo_utils import uuidutils

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

MIGRATION_TYPES = ('migration', 'resize', 'live-migration', 'evacuation')


@base.NovaObjectRegistry.register
class Migration(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'source_compute': fields.StringField(nullable=True),
        'dest_compute': fields.StringField(nullable=True),
        'source_node': fields.StringField(nullable=True),
        'dest_node': fields.StringField(nullable=True),
        'dest_host': fields.StringField(nullable=True),
        'old_instance_type_id': fields.IntegerField(nullable=True),
        'new_instance_type_id': fields.IntegerField(nullable=True),
        'instance_uuid': fields.StringField(nullable=True),
        'status': fields.StringField(nullable=True),
        'migration_type': fields.EnumField(MIGRATION_TYPES, nullable=True),
        'hidden': fields.BooleanField(default=False),
        'memory_total': fields.IntegerField(nullable=True),
        'memory_processed': fields.IntegerField(nullable=True),
        'memory_remaining': fields.IntegerField(nullable=True),
        'disk_total': fields.IntegerField(nullable=True),
        'disk_processed': fields.IntegerField(nullable=True),
        'disk_remaining': fields.IntegerField(nullable=True),
        'cross_cell_move': fields.BooleanField(default=False),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, migration, db_migration):
        for name in migration.fields:
            value = db_migration[name]
            if name in ('deleted', 'hidden', 'cross_cell_move'):
                value = bool(value)
            setattr(migration, name, value)
        migration._context = context
        migration.obj_reset_changes()
        return migration

    @property
    def is_resize(self):
        return self.migration_type == 'resize'

    @property
    def is_live_migration(self):
        return self.migration_type == 'live-migration'

    @classmethod
    @base.remotable
    def get_by_id(cls, context, migration_id):
        return cls._from_db_object(context, cls(), db.migration_get(context, migration_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, migration_uuid):
        return cls._from_db_object(context, cls(),
                                   db.migration_get_by_uuid(context, migration_uuid))

    @classmethod
    @base.remotable
    def get_by_instance_and_status(cls, context, instance_uuid, status):
        return cls._from_db_object(context, cls(), db.migration_get_by_instance_and_status(
            context, instance_uuid, status))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('uuid'):
            self.uuid = uuidutils.generate_uuid()
        db_migration = db.migration_create(self._context, self.obj_get_changes())
        self._from_db_object(self._context, self, db_migration)

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if updates:
            self._from_db_object(self._context, self, db.migration_update(
                self._context, self.id, updates))

    @base.remotable
    def destroy(self):
        db.migration_destroy(self._context, self.id)
        self._mark_deleted()


@base.NovaObjectRegistry.register
class MigrationList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Migration'),
    }

    @classmethod
    @base.remotable
    def get_by_filters(cls, context, filters, sort_keys=None, sort_dirs=None, limit=None,
                       marker=None):
        """Migrations matching ``filters``: status, migration_type, instance_uuid,
        source_compute, dest_compute, source_node, dest_node, hidden, user_id, project_id,
        uuid (each a value or a list), host / node (source or destination), in_progress,
        deleted, changes-since / changes-before. Default order: created_at descending;
        ``marker`` is a migration uuid."""
        return cls._from_rows(context, db.migration_get_all_by_filters(
            context, filters, sort_keys=sort_keys, sort_dirs=sort_dirs, limit=limit,
            marker=marker))

    @classmethod
    @base.remotable
    def get_in_progress_by_host_and_node(cls, context, host, node):
        """Unfinished migrations from or to (host, node)."""
        return cls._from_rows(context, db.migration_get_in_progress_by_host_and_node(
            context, host, node))

    @classmethod
    @base.remotable
    def get_in_progress_by_instance(cls, context, instance_uuid, migration_type=None):
        return cls._from_rows(context, db.migration_get_in_progress_by_instance(
            context, instance_uuid, migration_type=migration_type))

    @classmethod
    @base.remotable
    def get_unconfirmed_by_dest_compute(cls, context, confirm_window, dest_compute):
        """'finished' resizes to ``dest_compute`` older than ``confirm_window`` seconds."""
        return cls._from_rows(context, db.migration_get_unconfirmed_by_dest_compute(
            context, confirm_window, dest_compute))
