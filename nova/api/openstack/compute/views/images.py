"""Images as the Compute API shows them (Glance's image in Nova's older format)."""

from urllib import parse

from nova.api.openstack import common

# Glance status -> Compute image status, as upstream maps them.
STATUS_MAP = {
    'active': 'ACTIVE',
    'queued': 'SAVING',
    'saving': 'SAVING',
    'deleted': 'DELETED',
    'pending_delete': 'DELETED',
    'killed': 'ERROR',
}
PROGRESS = {'active': 100, 'saving': 25, 'queued': 25}


def compute_statuses(status):
    """The Glance statuses a Compute status filter (ACTIVE, SAVING, ...) stands for."""
    return [glance for glance, nova in STATUS_MAP.items() if nova == status.upper()]


def _isotime(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value is not None else None


def _project_segment(req):
    """The project id when the request URL carried it (so links keep the same form)."""
    context = req.environ.get('nova.context')
    project_id = context.project_id if context is not None else None
    if project_id and '/%s/' % project_id in req.path_url + '/':
        return project_id
    return ''


def _join(*parts):
    return '/'.join(part.strip('/') for part in parts if part)


def _self_base(req):
    return common.compute_link(req.application_url)


def _bookmark_base(req):
    return common.compute_link(common.api_root_url(req))


def _links(req, collection, identifier):
    project = _project_segment(req)
    return [
        {'rel': 'self', 'href': _join(_self_base(req), project, collection, identifier)},
        {'rel': 'bookmark',
         'href': _join(_bookmark_base(req), project, collection, identifier)},
    ]


def _image_links(req, image_id):
    links = _links(req, 'images', image_id)
    # The image itself at the image service (the built-in one under /image).
    links.append({'rel': 'alternate', 'type': 'application/vnd.openstack.image',
                  'href': _join(common.api_root_url(req), 'image', 'v2', 'images',
                                image_id)})
    return links


def basic(req, image):
    return {'id': image['id'], 'name': image['name'],
            'links': _image_links(req, image['id'])}


def detail(req, image):
    body = {
        'id': image['id'],
        'name': image['name'],
        'minRam': image['min_ram'] or 0,
        'minDisk': image['min_disk'] or 0,
        'metadata': dict(image['properties']),
        'created': _isotime(image['created_at']),
        'updated': _isotime(image['updated_at'] or image['created_at']),
        'status': STATUS_MAP.get(image['status'], 'UNKNOWN'),
        'progress': PROGRESS.get(image['status'], 0),
        'OS-EXT-IMG-SIZE:size': image['size'],
        'links': _image_links(req, image['id']),
    }
    server_id = image['properties'].get('instance_uuid')
    if server_id:
        body['server'] = {'id': server_id, 'links': _links(req, 'servers', server_id)}
    return body


def collection(req, images, detailed, limit):
    body = {'images': [(detail if detailed else basic)(req, image) for image in images]}
    if images and limit is not None and len(images) == limit:
        params = [(k, v) for k, v in req.GET.items() if k != 'marker']
        params.append(('marker', images[-1]['id']))
        href = _join(_self_base(req), _project_segment(req), 'images')
        body['images_links'] = [{'rel': 'next',
                                 'href': '%s?%s' % (href, parse.urlencode(params))}]
    return body
