"""/servers/{server_id}/tags (2.26+): a server's tags.

Reading works in any state; changing needs an ACTIVE, PAUSED, SUSPENDED or STOPPED server
(409 otherwise). PUT /tags/{tag} answers 201 with a Location when it adds the tag and 204
when the server had it already.
"""

import jsonschema
import webob
import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import common
from nova.api.openstack import wsgi
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import server_tags as schemas
from nova.compute import api as compute_api
from nova.i18n import _
from nova.objects import tag as tag_obj

RULE = 'os_compute_api:os-server-tags:%s'
MIN_VERSION = '2.26'
CHANGEABLE_VM_STATES = ('active', 'paused', 'suspended', 'stopped')


def _names(tags):
    return [tag.tag for tag in tags]


class ServerTagsController:

    def __init__(self):
        self.compute_api = compute_api.API()

    def _instance(self, req, server_id, action, changing=False):
        context = req.environ['nova.context']
        instance = servers.get_instance(self.compute_api, context, server_id)
        servers.authorize_owner(context, RULE % action, instance)
        if changing and instance.vm_state not in CHANGEABLE_VM_STATES:
            what = action.replace('_', ' ') + (' tag' if action in ('update', 'delete')
                                               else ' tags')
            servers.conflict_for_state(exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='vm_state', state=instance.vm_state,
                method=what), what, server_id)
        return context, instance

    @staticmethod
    def _not_found(exc):
        return webob.exc.HTTPNotFound(explanation=exc.format_message())

    @wsgi.api_version(MIN_VERSION)
    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        context, _instance = self._instance(req, server_id, 'index')
        try:
            return {'tags': _names(tag_obj.TagList.get_by_resource_id(context, server_id))}
        except exception.InstanceNotFound as exc:
            raise self._not_found(exc)

    @wsgi.api_version(MIN_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        context, _instance = self._instance(req, server_id, 'show')
        try:
            exists = tag_obj.Tag.exists(context, server_id, id)
        except exception.InstanceNotFound as exc:
            raise self._not_found(exc)
        if not exists:
            raise webob.exc.HTTPNotFound(explanation=_(
                "Server %(server_id)s has no tag '%(tag)s'") % {'server_id': server_id,
                                                                 'tag': id})

    @wsgi.api_version(MIN_VERSION)
    @wsgi.expected_errors((400, 404, 409))
    def update(self, req, server_id, id, body=None):
        context, _instance = self._instance(req, server_id, 'update', changing=True)
        try:
            jsonschema.validate(id, schemas.tag)
        except jsonschema.ValidationError as exc:
            raise webob.exc.HTTPBadRequest(explanation=_(
                "Tag '%(tag)s' is invalid. It must be a non empty string without characters "
                "'/' and ','. Validation error message: %(err)s") % {'tag': id,
                                                                      'err': exc.message})
        try:
            tags = _names(tag_obj.TagList.get_by_resource_id(context, server_id))
            if id in tags:
                return wsgi.ResponseObject(None, code=204)
            if len(tags) >= tag_obj.MAX_TAG_COUNT:
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'The number of tags exceeded the per-server limit %d')
                    % tag_obj.MAX_TAG_COUNT)
            tag_obj.Tag(context=context, resource_id=server_id, tag=id).create()
        except exception.InstanceNotFound as exc:
            raise self._not_found(exc)
        except exception.Invalid as exc:  # TooManyTags from a concurrent add
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        location = '%s/servers/%s/tags/%s' % (
            common.compute_link(req.application_url).rstrip('/'), server_id, id)
        return wsgi.ResponseObject(None, code=201, headers={'Location': location})

    @wsgi.api_version(MIN_VERSION)
    @wsgi.expected_errors((400, 404, 409))
    @validation.schema(schemas.update_all)
    def update_all(self, req, server_id, body):
        context, _instance = self._instance(req, server_id, 'update_all', changing=True)
        invalid = []
        for tag in body['tags']:
            try:
                jsonschema.validate(tag, schemas.tag)
            except jsonschema.ValidationError:
                invalid.append(tag)
        if invalid:
            raise webob.exc.HTTPBadRequest(explanation=_(
                "Tags '%s' are invalid. Each tag must be a string without characters '/' "
                "and ','.") % invalid)
        count = len(body['tags'])
        if count > tag_obj.MAX_TAG_COUNT:
            raise webob.exc.HTTPBadRequest(explanation=_(
                'The number of tags exceeded the per-server limit %(max)d. The number of '
                'tags in request is %(count)d.') % {'max': tag_obj.MAX_TAG_COUNT,
                                                     'count': count})
        try:
            tags = tag_obj.TagList.create(context, server_id, body['tags'])
        except exception.InstanceNotFound as exc:
            raise self._not_found(exc)
        return {'tags': _names(tags)}

    @wsgi.api_version(MIN_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete(self, req, server_id, id):
        context, _instance = self._instance(req, server_id, 'delete', changing=True)
        try:
            tag_obj.Tag.destroy(context, server_id, id)
        except (exception.InstanceNotFound, exception.TagNotFound) as exc:
            raise self._not_found(exc)

    @wsgi.api_version(MIN_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete_all(self, req, server_id):
        context, _instance = self._instance(req, server_id, 'delete_all', changing=True)
        try:
            tag_obj.TagList.destroy_all(context, server_id)
        except exception.InstanceNotFound as exc:
            raise self._not_found(exc)
