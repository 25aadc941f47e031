"""BuildRequest: an instance the API accepted that is not in a cell yet (API database).

The instance (and its block device mappings) are stored as their object primitives and
restored through the object registry, so this module never imports nova.objects.instance
itself: the classes are looked up by name when a row is read.
"""

import importlib
import operator
import re

from oslo_serialization import jsonutils

from nova import exception
from nova.db.api import api as api_db
from nova.i18n import _
from nova.objects import base
from nova.objects import fields

# Object modules whose classes a stored primitive may name.
_STORED_OBJECT_MODULES = {'Instance': 'nova.objects.instance',
                          'BlockDeviceMappingList': 'nova.objects.block_device'}
# Filters that never match a build request: it has no host yet and is never deleted.
_NEVER_MATCH = ('host', 'node', 'cell_name')


def _to_json(value):
    return None if value is None else jsonutils.dumps(value.obj_to_primitive())


def _from_json(context, text):
    if text is None:
        return None
    primitive = jsonutils.loads(text)
    module = _STORED_OBJECT_MODULES.get(primitive.get('nova_object.name'))
    if module:
        importlib.import_module(module)  # registers the class on first use
    return base.NovaObject.obj_from_primitive(primitive, context=context)


@base.NovaObjectRegistry.register
class BuildRequest(base.NovaTimestampObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'instance_uuid': fields.UUIDField(),
        'project_id': fields.StringField(),
        'instance': fields.ObjectField('Instance'),
        'block_device_mappings': fields.ObjectField('BlockDeviceMappingList', nullable=True),
        'tags': fields.ListOfStringsField(default=[]),
    }

    @staticmethod
    def _from_db_object(context, build_request, db_build_request):
        for name in ('id', 'instance_uuid', 'project_id', 'created_at', 'updated_at'):
            setattr(build_request, name, db_build_request[name])
        build_request.tags = jsonutils.loads(db_build_request.tags or '[]')
        build_request.block_device_mappings = _from_json(
            context, db_build_request.block_device_mappings)
        instance = _from_json(context, db_build_request.instance)
        if instance is None:
            raise exception.BuildRequestNotFound(uuid=db_build_request.instance_uuid)
        # The instance was never stored in a cell, so it has no timestamps of its own.
        for name in ('created_at', 'updated_at'):
            if name in instance.fields and name not in instance:
                setattr(instance, name, getattr(build_request, name))
        instance.obj_reset_changes(recursive=True)
        build_request.instance = instance
        build_request._context = context
        build_request.obj_reset_changes()
        return build_request

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid):
        return cls._from_db_object(
            context, cls(), api_db.build_request_get_by_instance_uuid(context, instance_uuid))

    @base.remotable
    def create(self):
        if 'id' in self:
            raise exception.ObjectActionError(action='create', reason='already created')
        if 'instance' not in self or self.instance is None:
            raise exception.ObjectActionError(action='create', reason='instance is required')
        if 'instance_uuid' not in self and 'uuid' in self.instance:
            self.instance_uuid = self.instance.uuid
        if 'project_id' not in self and 'project_id' in self.instance:
            self.project_id = self.instance.project_id
        if 'instance_uuid' not in self or 'project_id' not in self:
            raise exception.ObjectActionError(
                action='create', reason='instance_uuid and project_id are required')
        self.obj_set_defaults('tags')
        values = {
            'instance_uuid': self.instance_uuid,
            'project_id': self.project_id,
            'instance': _to_json(self.instance),
            'block_device_mappings': _to_json(self.block_device_mappings
                                              if 'block_device_mappings' in self else None),
            'tags': jsonutils.dumps(list(self.tags)),
        }
        db_build_request = api_db.build_request_create(self._context, values)
        self._from_db_object(self._context, self, db_build_request)

    @base.remotable
    def destroy(self):
        api_db.build_request_destroy(self._context, self.instance_uuid)


def _matches(instance, filters):
    for key, wanted in filters.items():
        if key in _NEVER_MATCH:
            return False
        if key == 'name':
            # As for instances: a regular expression searched in the display name.
            name = getattr(instance, 'display_name', None) if 'display_name' in instance \
                else None
            if name is None or not re.search(wanted, name):
                return False
            continue
        if key not in instance.fields or key not in instance:
            return False
        value = getattr(instance, key)
        if isinstance(wanted, (list, tuple, set, frozenset)):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


def _sort(build_requests, sort_keys, sort_dirs):
    # Stable sorts from the least to the most significant key; None sorts first. The row
    # id breaks ties (timestamps can be equal), in the direction of the first key.
    build_requests.sort(key=operator.attrgetter('id'), reverse=sort_dirs[0] == 'desc')
    for key, direction in reversed(list(zip(sort_keys, sort_dirs))):
        def sort_value(build_request, key=key):
            instance = build_request.instance
            value = getattr(instance, key) if key in instance.fields and key in instance \
                else None
            return (value is not None, value)
        build_requests.sort(key=sort_value, reverse=direction == 'desc')
    return build_requests


@base.NovaObjectRegistry.register
class BuildRequestList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('BuildRequest'),
    }

    @classmethod
    def _of(cls, context, build_requests):
        result = cls(context, objects=build_requests)
        result.obj_reset_changes()
        return result

    @staticmethod
    def _project_of(context, filters):
        if not context.is_admin:
            return context.project_id
        return filters.get('project_id')

    @classmethod
    @base.remotable
    def get_all(cls, context):
        """Every build request of the context's project (of all projects for admins)."""
        db_build_requests = api_db.build_request_get_all(context, cls._project_of(context, {}))
        return cls._from_rows(context, db_build_requests)

    @classmethod
    @base.remotable
    def get_by_filters(cls, context, filters, limit=None, marker=None, sort_keys=None,
                       sort_dirs=None):
        """Build requests whose instance matches ``filters``, sorted by instance fields.

        filters: project_id (ignored for non-admins, who only see their own project),
        ``name`` (a regular expression on display_name), and any instance field (an exact
        value or a list of accepted values). ``deleted``/``cleaned`` true, host and node
        match nothing. ``marker`` is an instance uuid to start after (MarkerNotFound if it
        is not a build request: the caller then looks in the cells).
        """
        filters = dict(filters or {})
        if filters.pop('deleted', False) or filters.pop('cleaned', False):
            return cls._of(context, [])
        project_id = cls._project_of(context, filters)
        filters.pop('project_id', None)
        sort_keys = list(sort_keys or ['created_at'])
        sort_dirs = list(sort_dirs or ['desc'] * len(sort_keys))
        if len(sort_dirs) != len(sort_keys) or \
                any(d not in ('asc', 'desc') for d in sort_dirs):
            raise exception.InvalidInput(reason=_("sort_dirs must be 'asc' or 'desc', one "
                                                  "per sort key"))
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise exception.InvalidInput(reason=_('limit must be a non-negative integer'))
        build_requests = [
            BuildRequest._from_db_object(context, BuildRequest(), db_build_request)
            for db_build_request in api_db.build_request_get_all(context, project_id)]
        build_requests = _sort([br for br in build_requests if _matches(br.instance, filters)],
                               sort_keys, sort_dirs)
        if marker is not None:
            uuids = list(map(operator.attrgetter('instance_uuid'), build_requests))
            if marker not in uuids:
                raise exception.MarkerNotFound(marker=marker)
            build_requests = build_requests[uuids.index(marker) + 1:]
        if limit is not None:
            build_requests = build_requests[:limit]
        return cls._of(context, build_requests)
