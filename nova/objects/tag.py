"""Tag and TagList: the tags of a server (API microversion 2.26).

A tag is a non-empty string of at most 60 characters without '/' or ',' (tags travel in
URLs and comma-separated filters); a server has at most 50 of them.
"""

from nova import exception
from nova.db.main import tags as db
from nova.objects import base
from nova.objects import fields

MAX_TAG_LENGTH = 60
MAX_TAG_COUNT = db.MAX_TAG_COUNT


def check_tag(tag):
    """Raise InvalidTag unless ``tag`` follows the tag rules."""
    if (not isinstance(tag, str) or not tag or len(tag) > MAX_TAG_LENGTH
            or '/' in tag or ',' in tag):
        raise exception.InvalidTag(tag=tag, max_length=MAX_TAG_LENGTH)


@base.NovaObjectRegistry.register
class Tag(base.NovaObject):
    VERSION = '1.0'

    fields = {
        'resource_id': fields.StringField(),
        'tag': fields.StringField(),
    }

    @staticmethod
    def _from_db_object(context, tag, db_tag):
        tag.resource_id = db_tag.resource_id
        tag.tag = db_tag.tag
        tag._context = context
        tag.obj_reset_changes()
        return tag

    @base.remotable
    def create(self):
        """Add this tag to its server (nothing happens if it is there already)."""
        check_tag(self.tag)
        self._from_db_object(self._context, self,
                             db.instance_tag_add(self._context, self.resource_id, self.tag))

    @classmethod
    @base.remotable
    def destroy(cls, context, resource_id, name):
        """Remove one tag; TagNotFound if the server does not have it."""
        db.instance_tag_delete(context, resource_id, name)

    @classmethod
    @base.remotable
    def exists(cls, context, resource_id, name):
        return db.instance_tag_exists(context, resource_id, name)


@base.NovaObjectRegistry.register
class TagList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Tag'),
    }

    @classmethod
    @base.remotable
    def get_by_resource_id(cls, context, resource_id):
        return cls._from_rows(context, db.instance_tag_get_by_instance_uuid(context,
                                                                            resource_id))

    @classmethod
    @base.remotable
    def create(cls, context, resource_id, tags):
        """Replace the server's tags with ``tags``; the new list."""
        tags = list(tags)
        for tag in tags:
            check_tag(tag)
        if len(set(tags)) > MAX_TAG_COUNT:
            raise exception.TooManyTags(limit=MAX_TAG_COUNT)
        return cls._from_rows(context, db.instance_tag_set(context, resource_id, tags))

    @classmethod
    @base.remotable
    def destroy_all(cls, context, resource_id):
        db.instance_tag_delete_all(context, resource_id)

    # upstream's name for destroy_all
    destroy = destroy_all

    @classmethod
    @base.remotable
    def get_names_by_resource_ids(cls, context, resource_ids):
        """{resource id: [tag names]} for many servers (list views), in one query."""
        return db.instance_tag_get_by_instance_uuids(context, list(resource_ids))
