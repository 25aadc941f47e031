"""BlockDeviceMapping: one disk of an instance (image, volume, snapshot, blank, swap...)."""

from oslo_utils import uuidutils

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

SOURCE_TYPES = ('image', 'volume', 'snapshot', 'blank')
DESTINATION_TYPES = ('local', 'volume')


@base.NovaObjectRegistry.register
class BlockDeviceMapping(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'instance_uuid': fields.UUIDField(),
        'source_type': fields.EnumField(SOURCE_TYPES, nullable=True),
        'destination_type': fields.EnumField(DESTINATION_TYPES, nullable=True),
        'guest_format': fields.StringField(nullable=True),
        'device_type': fields.StringField(nullable=True),
        'disk_bus': fields.StringField(nullable=True),
        'boot_index': fields.IntegerField(nullable=True),
        'device_name': fields.StringField(nullable=True),
        'delete_on_termination': fields.BooleanField(default=False),
        'snapshot_id': fields.StringField(nullable=True),
        'volume_id': fields.StringField(nullable=True),
        'volume_size': fields.IntegerField(nullable=True),
        'volume_type': fields.StringField(nullable=True),
        'image_id': fields.StringField(nullable=True),
        'no_device': fields.BooleanField(default=False),
        'connection_info': fields.SensitiveStringField(nullable=True),
        'tag': fields.StringField(nullable=True),
        'attachment_id': fields.UUIDField(nullable=True),
    }

    @property
    def is_volume(self):
        return self.destination_type == 'volume'

    @property
    def is_image(self):
        return self.source_type == 'image'

    @staticmethod
    def _from_db_object(context, bdm, db_bdm):
        for name in bdm.fields:
            value = db_bdm[name]
            if name in ('deleted', 'delete_on_termination', 'no_device'):
                value = bool(value)
            setattr(bdm, name, value)
        bdm._context = context
        bdm.obj_reset_changes()
        return bdm

    @classmethod
    @base.remotable
    def get_by_id(cls, context, bdm_id):
        return cls._from_db_object(context, cls(), db.block_device_mapping_get(context, bdm_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, bdm_uuid):
        return cls._from_db_object(context, cls(),
                                   db.block_device_mapping_get_by_uuid(context, bdm_uuid))

    @classmethod
    @base.remotable
    def get_by_volume_id(cls, context, volume_id, instance_uuid=None):
        return cls._from_db_object(context, cls(), db.block_device_mapping_get_by_volume_id(
            context, volume_id, instance_uuid=instance_uuid))

    @classmethod
    def get_by_volume_and_instance(cls, context, volume_id, instance_uuid):
        return cls.get_by_volume_id(context, volume_id, instance_uuid=instance_uuid)

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('uuid'):
            self.uuid = uuidutils.generate_uuid()
        db_bdm = db.block_device_mapping_create(self._context, self.obj_get_changes())
        self._from_db_object(self._context, self, db_bdm)

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if 'instance_uuid' in updates:
            raise exception.ObjectActionError(action='save',
                                              reason='instance_uuid cannot be changed')
        if not updates:
            return
        db_bdm = db.block_device_mapping_update(self._context, self.id, updates)
        self._from_db_object(self._context, self, db_bdm)

    @base.remotable
    def destroy(self):
        if not self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='destroy', reason='not created')
        db.block_device_mapping_destroy(self._context, self.id)
        self._mark_deleted()


@base.NovaObjectRegistry.register
class BlockDeviceMappingList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('BlockDeviceMapping'),
    }

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        rows = db.block_device_mapping_get_all_by_instance_uuids(context, [instance_uuid])
        return cls._from_rows(context, rows)

    @classmethod
    @base.remotable
    def get_by_instance_uuids(cls, context, instance_uuids):
        rows = db.block_device_mapping_get_all_by_instance_uuids(context, instance_uuids)
        return cls._from_rows(context, rows)

    def root_bdm(self):
        """The mapping the instance boots from (boot_index 0), or None."""
        return next((bdm for bdm in self if bdm.boot_index == 0), None)
