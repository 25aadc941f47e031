"""/images and /images/{id}/metadata: the deprecated proxy to the image service.

Upstream removed both at 2.36 (images) and 2.39 (image metadata): later microversions
answer 404 and clients talk to the image API (/image here) instead.
"""

import datetime

from oslo_utils import timeutils
import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import images as schemas
from nova.api.openstack.compute.views import images as views
import nova.conf
from nova.i18n import _
from nova.image import api as image_api

CONF = nova.conf.CONF

IMAGES_MAX_VERSION = '2.35'
METADATA_MAX_VERSION = '2.38'
# The Compute API's limit on image metadata items (maxImageMeta in /limits).
MAX_IMAGE_META = 128


def _int_filter(req, name):
    try:
        value = int(req.GET[name])
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation=_('%s must be an integer') % name)
    if value < 0:
        raise webob.exc.HTTPBadRequest(explanation=_('%s must be >= 0') % name)
    return value


def _filters(req):
    filters = {'os_hidden': False}
    if req.GET.get('name'):
        filters['name'] = [req.GET['name']]
    if req.GET.get('status'):
        filters['status'] = views.compute_statuses(req.GET['status'])
    properties = {}
    if req.GET.get('server'):  # the server id, or its URL, a snapshot was taken of
        properties['instance_uuid'] = req.GET['server'].rstrip('/').rsplit('/', 1)[-1]
    if req.GET.get('type'):
        properties['image_type'] = req.GET['type']
    if properties:
        filters['properties'] = properties
    if req.GET.get('minRam'):
        filters['min_ram'] = _int_filter(req, 'minRam')
    if req.GET.get('minDisk'):
        filters['min_disk'] = _int_filter(req, 'minDisk')
    if req.GET.get('changes-since'):
        try:
            since = timeutils.parse_isotime(req.GET['changes-since'])
        except ValueError:
            raise webob.exc.HTTPBadRequest(explanation=_('Invalid changes-since value'))
        filters['updated_since'] = since.astimezone(datetime.timezone.utc).replace(
            tzinfo=None)
    return filters


def _limit(req):
    limit = CONF.api.max_limit
    if req.GET.get('limit'):
        limit = min(_int_filter(req, 'limit'), limit)
    return limit


class ImagesController:

    def __init__(self):
        self.image_api = image_api.API()

    def _list(self, req, detailed):
        context = req.environ['nova.context']
        limit = _limit(req)
        try:
            images = self.image_api.list(context, filters=_filters(req), limit=limit,
                                         marker=req.GET.get('marker'))
        except exception.ImageNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('marker [%s] not found')
                                           % req.GET.get('marker'))
        return views.collection(req, images, detailed, limit)

    @wsgi.api_version('2.1', IMAGES_MAX_VERSION)
    @wsgi.expected_errors(400)
    def index(self, req):
        return self._list(req, detailed=False)

    @wsgi.api_version('2.1', IMAGES_MAX_VERSION)
    @wsgi.expected_errors(400)
    def detail(self, req):
        return self._list(req, detailed=True)

    @wsgi.api_version('2.1', IMAGES_MAX_VERSION)
    @wsgi.expected_errors(404)
    def show(self, req, id):
        image = self.image_api.get(req.environ['nova.context'], id)
        return {'image': views.detail(req, image)}

    @wsgi.api_version('2.1', IMAGES_MAX_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((403, 404))
    def delete(self, req, id):
        self.image_api.delete(req.environ['nova.context'], id)


class ImageMetadataController:
    """The image's extra properties as Compute "metadata"."""

    def __init__(self):
        self.image_api = image_api.API()

    def _image(self, req, image_id):
        return self.image_api.get(req.environ['nova.context'], image_id)

    def _save(self, req, image_id, properties):
        if len(properties) > MAX_IMAGE_META:
            raise webob.exc.HTTPForbidden(explanation=_('Quota exceeded for metadata items: '
                                                        'at most %d are allowed')
                                          % MAX_IMAGE_META)
        image = self.image_api.update(req.environ['nova.context'], image_id,
                                      properties=properties)
        return image['properties']

    @wsgi.api_version('2.1', METADATA_MAX_VERSION)
    @wsgi.expected_errors(404)
    def index(self, req, image_id):
        return {'metadata': self._image(req, image_id)['properties']}

    @wsgi.api_version('2.1', METADATA_MAX_VERSION)
    @wsgi.expected_errors(404)
    def show(self, req, image_id, id):
        properties = self._image(req, image_id)['properties']
        if id not in properties:
            raise webob.exc.HTTPNotFound(explanation=_('Invalid metadata key'))
        return {'meta': {id: properties[id]}}

    @wsgi.api_version('2.1', METADATA_MAX_VERSION)
    @wsgi.expected_errors((400, 403, 404))
    @validation.schema(schemas.metadata)
    def create(self, req, image_id, body):
        properties = dict(self._image(req, image_id)['properties'], **body['metadata'])
        return {'metadata': self._save(req, image_id, properties)}

    @wsgi.api_version('2.1', METADATA_MAX_VERSION)
    @wsgi.expected_errors((400, 403, 404))
    @validation.schema(schemas.metadata_item)
    def update(self, req, image_id, id, body):
        meta = body['meta']
        if id not in meta:
            raise webob.exc.HTTPBadRequest(explanation=_('Request body and URI mismatch'))
        properties = dict(self._image(req, image_id)['properties'], **meta)
        self._save(req, image_id, properties)
        return {'meta': meta}

    @wsgi.api_version('2.1', METADATA_MAX_VERSION)
    @wsgi.expected_errors((400, 403, 404))
    @validation.schema(schemas.metadata)
    def update_all(self, req, image_id, body):
        self._image(req, image_id)
        return {'metadata': self._save(req, image_id, dict(body['metadata']))}

    @wsgi.api_version('2.1', METADATA_MAX_VERSION)
    @wsgi.response(204)
    @wsgi.expected_errors((403, 404))
    def delete(self, req, image_id, id):
        properties = self._image(req, image_id)['properties']
        if id not in properties:
            raise webob.exc.HTTPNotFound(explanation=_('Invalid metadata key'))
        del properties[id]
        self._save(req, image_id, properties)
