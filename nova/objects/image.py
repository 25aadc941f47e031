"""ImageRecord (an image's metadata) and ImageMember (who a shared image is shared with),
in the API database.

The local image store (nova/image/local.py) keeps the data files on the host that serves
the image API and reaches the metadata through these remotable methods, so nova-api works
with no database of its own like every other daemon.
"""

from oslo_utils import timeutils

from nova.db.api import images as db
from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class ImageRecord(base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'status': fields.StringField(),
        'visibility': fields.StringField(),
        'owner': fields.StringField(nullable=True),
        'protected': fields.BooleanField(),
        'os_hidden': fields.BooleanField(),
        'size': fields.IntegerField(nullable=True),
        'virtual_size': fields.IntegerField(nullable=True),
        'checksum': fields.StringField(nullable=True),
        'os_hash_algo': fields.StringField(nullable=True),
        'os_hash_value': fields.StringField(nullable=True),
        'disk_format': fields.StringField(nullable=True),
        'container_format': fields.StringField(nullable=True),
        'min_disk': fields.IntegerField(),
        'min_ram': fields.IntegerField(),
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
        'tags': fields.ListOfStringsField(),
        'properties': fields.DictOfNullableStringsField(),
    }

    @classmethod
    def _from_dict(cls, context, image):
        record = cls(context)
        for name in cls.fields:
            setattr(record, name, image[name])
        record.obj_reset_changes()
        return record

    def to_dict(self):
        """The image as nova.image.api describes it."""
        return {name: getattr(self, name) for name in self.fields}

    @classmethod
    @base.remotable
    def get(cls, context, image_id):
        return cls._from_dict(context, db.image_get(context, image_id))

    @classmethod
    @base.remotable
    def create_image(cls, context, values, properties, tags):
        values = dict(values, created_at=timeutils.utcnow())
        values['updated_at'] = values['created_at']
        return cls._from_dict(context, db.image_create(context, values, properties, tags))

    @classmethod
    @base.remotable
    def update_image(cls, context, image_id, values=None, properties=None, tags=None,
                     expected_status=None):
        return cls._from_dict(context, db.image_update(
            context, image_id, values, properties, tags, expected_status=expected_status))

    @classmethod
    @base.remotable
    def destroy_image(cls, context, image_id):
        db.image_destroy(context, image_id)


@base.NovaObjectRegistry.register
class ImageRecordList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('ImageRecord'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, filters, sort_keys, sort_dirs, limit=None, marker=None):
        images = db.image_get_all(context, filters, sort_keys, sort_dirs, limit, marker)
        return cls(context, objects=[ImageRecord._from_dict(context, image)
                                     for image in images])


@base.NovaObjectRegistry.register
class ImageMember(base.NovaObject):
    """A project a shared image is shared with (``member_id``) and its answer."""

    VERSION = '1.0'

    fields = {
        'image_id': fields.StringField(),
        'member_id': fields.StringField(),
        'status': fields.StringField(),
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
    }

    @classmethod
    def _from_dict(cls, context, member):
        record = cls(context, **{name: member[name] for name in cls.fields})
        record.obj_reset_changes()
        return record

    def to_dict(self):
        return {name: getattr(self, name) for name in self.fields}

    @classmethod
    @base.remotable
    def get(cls, context, image_id, member_id):
        return cls._from_dict(context, db.image_member_get(context, image_id, member_id))

    @classmethod
    @base.remotable
    def create_member(cls, context, image_id, member_id, limit=None):
        return cls._from_dict(context, db.image_member_create(context, image_id, member_id,
                                                              limit=limit))

    @classmethod
    @base.remotable
    def update_status(cls, context, image_id, member_id, status):
        return cls._from_dict(context, db.image_member_update(context, image_id, member_id,
                                                              status))

    @classmethod
    @base.remotable
    def destroy_member(cls, context, image_id, member_id):
        db.image_member_delete(context, image_id, member_id)


@base.NovaObjectRegistry.register
class ImageMemberList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('ImageMember'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, image_id):
        return cls(context, objects=[ImageMember._from_dict(context, member)
                                     for member in db.image_member_list(context, image_id)])
