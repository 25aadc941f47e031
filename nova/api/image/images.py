"""/v2/images and /v2/schemas: the Glance v2 image calls clients use."""

from oslo_utils import strutils
import webob
import webob.exc

from nova import exception
from nova.api.image import patch
from nova.api.image import policy as image_policy
from nova.api.image import schemas
from nova.api.image import views
from nova.api.image import wsgi
import nova.conf
from nova.db.api import images as db_images
from nova.i18n import _
from nova.image import api as image_api

CONF = nova.conf.CONF

MEMBER_STATUSES = ('accepted', 'pending', 'rejected', 'all')
VISIBILITY_FILTERS = ('public', 'private', 'shared', 'community', 'all')
# Query parameters that are not property filters.
RESERVED_PARAMS = ('limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'visibility',
                   'member_status', 'tag', 'owner', 'protected', 'os_hidden', 'size_min',
                   'size_max', 'created_at', 'updated_at') + db_images.LIST_FILTERS


def _bad(message):
    return webob.exc.HTTPBadRequest(explanation=message)


def _int_param(params, name, minimum=0):
    value = params.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        raise _bad(_('%s param must be an integer') % name)
    if number < minimum:
        raise _bad(_('%(name)s param must be at least %(min)d') % {'name': name,
                                                                  'min': minimum})
    return number


def _bool_param(params, name):
    value = params.get(name)
    if value is None:
        return None
    if value.lower() not in ('true', 'false'):
        raise _bad(_('Invalid value for %(name)s: %(value)s; use true or false')
                   % {'name': name, 'value': value})
    return strutils.bool_from_string(value)


def _list_param(value):
    """``in:a,b`` (or a plain value) as a list of accepted values."""
    if value.startswith('in:'):
        return [item.strip('"') for item in value[3:].split(',')]
    return [value]


def _sorting(params):
    if 'sort' in params and ('sort_key' in params or 'sort_dir' in params):
        raise _bad(_('The "sort" parameter cannot be combined with sort_key or sort_dir.'))
    keys, dirs = [], []
    if 'sort' in params:
        for item in params['sort'].split(','):
            key, _sep, direction = item.strip().partition(':')
            keys.append(key)
            dirs.append(direction or 'desc')
    else:
        keys = params.getall('sort_key') or ['created_at']
        dirs = params.getall('sort_dir') or ['desc']
        if len(dirs) == 1:
            dirs = dirs * len(keys)
        elif len(dirs) != len(keys):
            raise _bad(_('Number of sort dirs does not match the number of sort keys'))
    for key in keys:
        if key not in db_images.SORT_KEYS:
            raise _bad(_('Invalid sort key: %s.') % key)
    for direction in dirs:
        if direction not in ('asc', 'desc'):
            raise _bad(_('Invalid sort direction: %s') % direction)
    return keys, dirs


def _filters(params):
    filters = {}
    visibility = params.get('visibility')
    if visibility is not None:
        if visibility not in VISIBILITY_FILTERS:
            raise _bad(_('Invalid visibility value: %s') % visibility)
        filters['visibility'] = visibility
    member_status = params.get('member_status')
    if member_status is not None:
        if member_status not in MEMBER_STATUSES:
            raise _bad(_('Invalid status: %s') % member_status)
        filters['member_status'] = member_status
    for name in db_images.LIST_FILTERS:
        if params.get(name) is not None:
            filters[name] = _list_param(params[name])
    if params.get('owner') is not None:
        filters['owner'] = params['owner']
    filters['tags'] = params.getall('tag')
    filters['protected'] = _bool_param(params, 'protected')
    hidden = _bool_param(params, 'os_hidden')
    filters['os_hidden'] = False if hidden is None else hidden
    filters['size_min'] = _int_param(params, 'size_min')
    filters['size_max'] = _int_param(params, 'size_max')
    filters['properties'] = {name: params[name] for name in params
                             if name not in RESERVED_PARAMS}
    return filters


def _check_create_body(body):
    if not isinstance(body, dict):
        raise _bad(_('Request body must be a JSON object.'))
    for name in body:
        if name in schemas.READ_ONLY:
            raise webob.exc.HTTPForbidden(explanation=_("Attribute '%s' is read-only.")
                                          % name)
        if name in schemas.RESERVED:
            raise webob.exc.HTTPForbidden(explanation=_("Attribute '%s' is reserved.")
                                          % name)
    patch.check(body)


class ImagesController:

    def __init__(self):
        self.image_api = image_api.API()

    @staticmethod
    def _context(req):
        return req.environ['nova.context']

    # -- images --------------------------------------------------------------------------

    def index(self, req):
        params = req.GET
        limit = _int_param(params, 'limit')
        limit = min(limit if limit is not None else CONF.image.limit_param_default,
                    CONF.image.api_limit_max)
        sort_keys, sort_dirs = _sorting(params)
        filters = _filters(params)
        image_policy.authorize(self._context(req), 'get_images')
        try:
            images = self.image_api.list(self._context(req), filters=filters,
                                         sort_keys=sort_keys, sort_dirs=sort_dirs,
                                         limit=limit, marker=params.get('marker'))
        except exception.ImageNotFound:
            raise _bad(_('Invalid marker. Image %s could not be found.')
                       % params.get('marker'))
        next_marker = images[-1]['id'] if images and len(images) == limit else None
        return wsgi.json_response(views.images_view(images, list(params.items()),
                                                     next_marker))

    def create(self, req):
        body = wsgi.read_json(req)
        _check_create_body(body)
        values = {name: body[name] for name in image_api.WRITABLE_ATTRIBUTES if name in body}
        properties = {name: value for name, value in body.items()
                      if name not in image_api.WRITABLE_ATTRIBUTES and name != 'tags'}
        context = self._context(req)
        owner = values.get('owner') or context.project_id
        image_policy.authorize(context, 'add_image', {
            'owner': owner, 'visibility': values.get('visibility', 'shared')})
        image_policy.authorize_visibility(context, values.get('visibility'))
        image = self.image_api.create(context, values, properties,
                                      body.get('tags') or [])
        return wsgi.json_response(views.image_view(image), status=201,
                                  headers={'Location': '%s/v2/images/%s' % (
                                      req.application_url, image['id'])})

    def _get(self, context, image_id, rule='get_image'):
        """The image if the caller may see it and ``rule`` it (404 otherwise)."""
        image = self.image_api.get(context, image_id)
        image_policy.authorize(context, 'get_image', image, hidden=True)
        if rule != 'get_image':
            image_policy.authorize(context, rule, image)
        return image

    def show(self, req, image_id):
        image = self._get(self._context(req), image_id)
        return wsgi.json_response(views.image_view(image))

    def update(self, req, image_id):
        content_type = req.content_type
        if content_type not in patch.CONTENT_TYPES:
            raise webob.exc.HTTPUnsupportedMediaType(
                explanation=_('Unsupported Content-Type'),
                headers={'Accept-Patch': ', '.join(patch.CONTENT_TYPES)})
        changes = patch.parse(wsgi.read_json(req, patch.CONTENT_TYPES), content_type)
        context = self._context(req)
        image = self._get(context, image_id, 'modify_image')
        values, properties, tags = patch.apply(image, changes, content_type)
        if values.get('visibility') != image['visibility']:
            image_policy.authorize_visibility(context, values.get('visibility'), image)
        image = self.image_api.update(context, image_id, values, properties, tags)
        return wsgi.json_response(views.image_view(image))

    def delete(self, req, image_id):
        context = self._context(req)
        self._get(context, image_id, 'delete_image')
        self.image_api.delete(context, image_id)
        return webob.Response(status=204)

    # -- data ----------------------------------------------------------------------------

    def upload(self, req, image_id):
        if req.content_type not in ('', 'application/octet-stream'):
            raise webob.exc.HTTPUnsupportedMediaType(
                explanation=_('Image data must be sent as application/octet-stream'))
        context = self._context(req)
        self._get(context, image_id, 'upload_image')
        self.image_api.upload(context, image_id, req.body_file,
                              size=req.content_length)
        return webob.Response(status=204)

    def download(self, req, image_id):
        context = self._context(req)
        image = self._get(context, image_id, 'download_image')
        data = self.image_api.download(context, image_id)
        if data is None:
            return webob.Response(status=204)
        resp = webob.Response(status=200, content_type='application/octet-stream')
        resp.app_iter = data
        resp.content_length = image['size']
        if image['checksum']:
            resp.headers['Content-MD5'] = image['checksum']
        return resp

    # -- tags ----------------------------------------------------------------------------

    def add_tag(self, req, image_id, tag_value):
        if len(tag_value) > 255:
            raise _bad(_('Tag must be at most 255 characters'))
        context = self._context(req)
        image = self._get(context, image_id, 'modify_image')
        if tag_value not in image['tags']:
            self.image_api.update(context, image_id, tags=image['tags'] + [tag_value])
        return webob.Response(status=204)

    def delete_tag(self, req, image_id, tag_value):
        context = self._context(req)
        image = self._get(context, image_id, 'modify_image')
        if tag_value not in image['tags']:
            raise webob.exc.HTTPNotFound(explanation=_('Tag %s not found') % tag_value)
        self.image_api.update(context, image_id,
                              tags=[tag for tag in image['tags'] if tag != tag_value])
        return webob.Response(status=204)


class SchemasController:

    def image(self, req):
        return wsgi.json_response(schemas.IMAGE_SCHEMA)

    def images(self, req):
        return wsgi.json_response(schemas.IMAGES_SCHEMA)

    def member(self, req):
        return wsgi.json_response(schemas.MEMBER_SCHEMA)

    def members(self, req):
        return wsgi.json_response(schemas.MEMBERS_SCHEMA)
