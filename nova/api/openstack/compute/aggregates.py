"""/os-aggregates: host aggregates (admin): create, list, show, update, delete, add and
remove hosts, set metadata; 2.41 shows their uuid; 2.81 pre-caches images on their hosts.

The metadata key ``availability_zone`` is the hosts' availability zone; a host may be in
one zone only (409 when adding it, 400 when updating, as upstream).
"""

import webob

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import aggregates as schemas
from nova.compute import aggregates as aggregates_api
from nova.i18n import _
from nova.policy import authorize

RULE = 'os_compute_api:os-aggregates:%s'


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value is not None else None


def _view(req, aggregate, full=True):
    body = {
        'availability_zone': aggregate.availability_zone,
        'created_at': _time(aggregate.created_at),
        'deleted': False,
        'deleted_at': None,
        'id': aggregate.id,
        'name': aggregate.name,
        'updated_at': _time(aggregate.updated_at),
    }
    if full:
        body['hosts'] = list(aggregate.hosts)
        body['metadata'] = dict(aggregate.metadata)
    if api_version_request.is_supported(req, '2.41'):
        body['uuid'] = aggregate.uuid
    return {'aggregate': body}


def _id(id):
    try:
        return int(str(id))
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation=_(
            'Invalid input received: id must be an integer'))


def _context(req, action):
    context = req.environ['nova.context']
    authorize(context, RULE % action, target={})
    return context


class AggregateController:

    def __init__(self):
        self.api = aggregates_api.AggregateAPI()

    @wsgi.expected_errors(())
    def index(self, req):
        context = _context(req, 'index')
        return {'aggregates': [_view(req, a)['aggregate']
                               for a in self.api.get_aggregate_list(context)]}

    @wsgi.expected_errors((400, 409))
    @validation.schema(schemas.create)
    def create(self, req, body):
        context = _context(req, 'create')
        values = body['aggregate']
        try:
            aggregate = self.api.create_aggregate(context, values['name'],
                                                  values.get('availability_zone'))
        except (exception.AggregateNameExists, exception.InvalidAggregateAction) as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        return _view(req, aggregate, full=False)

    @wsgi.expected_errors((400, 404))
    def show(self, req, id):
        context = _context(req, 'show')
        return _view(req, self.api.get_aggregate(context, _id(id)))

    @wsgi.expected_errors((400, 404, 409))
    @validation.schema(schemas.update)
    def update(self, req, id, body):
        context = _context(req, 'update')
        aggregate_id = _id(id)
        try:
            aggregate = self.api.update_aggregate(context, aggregate_id, body['aggregate'])
        except exception.AggregateNameExists as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        return _view(req, aggregate)

    @wsgi.expected_errors((400, 404))
    def delete(self, req, id):
        context = _context(req, 'delete')
        self.api.delete_aggregate(context, _id(id))

    # -- actions (POST /os-aggregates/{id}/action) -------------------------------------------

    @wsgi.expected_errors((400, 404, 409))
    @validation.schema(schemas.add_host)
    def add_host(self, req, id, body):
        context = _context(req, 'add_host')
        try:
            aggregate = self.api.add_host_to_aggregate(context, _id(id),
                                                       body['add_host']['host'])
        except (exception.AggregateHostExists, exception.InvalidAggregateAction) as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        return _view(req, aggregate)

    @wsgi.expected_errors((400, 404, 409))
    @validation.schema(schemas.remove_host)
    def remove_host(self, req, id, body):
        context = _context(req, 'remove_host')
        try:
            aggregate = self.api.remove_host_from_aggregate(context, _id(id),
                                                            body['remove_host']['host'])
        except exception.InvalidAggregateAction as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        return _view(req, aggregate)

    @wsgi.expected_errors((400, 404))
    @validation.schema(schemas.set_metadata)
    def set_metadata(self, req, id, body):
        context = _context(req, 'set_metadata')
        aggregate = self.api.update_aggregate_metadata(
            context, _id(id), body['set_metadata']['metadata'])
        return _view(req, aggregate)

    # -- 2.81: POST /os-aggregates/{id}/images -----------------------------------------------

    @wsgi.api_version('2.81')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 404))
    @validation.schema(schemas.images)
    def images(self, req, id, body):
        context = _context(req, 'images')
        image_ids = [entry['id'] for entry in body['cache']]
        if len(set(image_ids)) != len(image_ids):
            raise webob.exc.HTTPBadRequest(explanation=_('Duplicate images in request'))
        aggregate_id = _id(id)
        try:
            self.api.cache_images(context, aggregate_id, image_ids)
        except exception.ImageNotFound as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())


class AggregateActionController(wsgi.ActionDispatcher):
    """POST /os-aggregates/{id}/action."""

    ACTIONS = {
        'add_host': (AggregateController, 'add_host'),
        'remove_host': (AggregateController, 'remove_host'),
        'set_metadata': (AggregateController, 'set_metadata'),
    }
