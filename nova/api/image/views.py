"""Images as Glance v2 shows them: core attributes and extra properties side by side."""

from urllib import parse


def isotime(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value is not None else None


def image_view(image):
    body = dict(image['properties'])
    for name in ('id', 'name', 'status', 'visibility', 'owner', 'protected', 'os_hidden',
                 'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value',
                 'disk_format', 'container_format', 'min_disk', 'min_ram'):
        body[name] = image[name]
    body['created_at'] = isotime(image['created_at'])
    body['updated_at'] = isotime(image['updated_at'])
    body['tags'] = list(image['tags'])
    body['self'] = '/v2/images/%s' % image['id']
    body['file'] = '/v2/images/%s/file' % image['id']
    body['schema'] = '/v2/schemas/image'
    return body


def images_view(images, params, next_marker=None):
    """The list body; ``params`` are the request's query items (marker left out of
    ``first``, replaced in ``next``)."""
    params = [(k, v) for k, v in params if k != 'marker']
    body = {'images': [image_view(image) for image in images],
            'schema': '/v2/schemas/images',
            'first': '/v2/images'}
    if params:
        body['first'] += '?' + parse.urlencode(params)
    if next_marker is not None:
        body['next'] = '/v2/images?' + parse.urlencode(params + [('marker', next_marker)])
    return body


def member_view(member):
    return {'member_id': member['member_id'], 'image_id': member['image_id'],
            'status': member['status'], 'created_at': isotime(member['created_at']),
            'updated_at': isotime(member['updated_at']), 'schema': '/v2/schemas/member'}


def members_view(members):
    return {'members': [member_view(member) for member in members],
            'schema': '/v2/schemas/members'}
