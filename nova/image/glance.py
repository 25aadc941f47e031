"""The image backend over HTTP: a Glance v2 image API (an external Glance, or the built-in
/image API of the host running nova-api) at ``[glance] api_servers``.

This is how a compute host with no local store and no database reaches images in
distributed mode. Requests carry the caller's token (X-Auth-Token) and request id
(X-OpenStack-Request-ID), so the image API applies the caller's visibility and its logs
line up with ours. Reads are retried on the next server after a connection failure; image
data is streamed, never held in memory.
"""

import logging
import random

from oslo_utils import timeutils
import requests

from nova import exception
import nova.conf
from nova.i18n import _
from nova.image import api

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

PATCH_TYPE = 'application/openstack-images-v2.1-json-patch'
# Keys of Glance's image body that are neither core attributes nor extra properties.
NOT_PROPERTIES = frozenset(('tags', 'self', 'file', 'schema', 'locations', 'direct_url',
                            'stores'))
RETRIED_METHODS = ('GET', 'HEAD')


def _datetime(value):
    if not value:
        return None
    return timeutils.normalize_time(timeutils.parse_isotime(value))


def _image_from_body(body):
    """Glance's image JSON as the dict nova.image.api describes."""
    image = {name: body.get(name) for name in api.CORE_ATTRIBUTES}
    image['created_at'] = _datetime(body.get('created_at'))
    image['updated_at'] = _datetime(body.get('updated_at'))
    image['protected'] = bool(image['protected'])
    image['os_hidden'] = bool(image['os_hidden'])
    image['min_disk'] = image['min_disk'] or 0
    image['min_ram'] = image['min_ram'] or 0
    image['tags'] = sorted(body.get('tags') or ())
    image['properties'] = {
        name: value for name, value in body.items()
        if name not in api.CORE_ATTRIBUTES and name not in NOT_PROPERTIES
        and (value is None or isinstance(value, str))}
    return image


def _member_from_body(body):
    return {'image_id': body['image_id'], 'member_id': body['member_id'],
            'status': body['status'], 'created_at': _datetime(body.get('created_at')),
            'updated_at': _datetime(body.get('updated_at'))}


def _pointer(name):
    """The JSON pointer of a top-level attribute (RFC 6901 escaping)."""
    return '/' + name.replace('~', '~0').replace('/', '~1')


def _patch(current, values, properties, tags):
    """The v2.1 JSON patch turning ``current`` into the requested image."""
    ops = [{'op': 'replace', 'path': _pointer(name), 'value': value}
           for name, value in (values or {}).items()]
    if properties is not None:
        old = current['properties']
        ops += [{'op': 'remove', 'path': _pointer(name)}
                for name in sorted(set(old) - set(properties))]
        ops += [{'op': 'replace' if name in old else 'add', 'path': _pointer(name),
                 'value': value}
                for name, value in sorted(properties.items())
                if name not in old or old[name] != value]
    if tags is not None:
        ops.append({'op': 'replace', 'path': '/tags', 'value': sorted(set(tags))})
    return ops


def _list_value(values):
    values = list(values)
    return values[0] if len(values) == 1 else 'in:' + ','.join(values)


def _query(filters, sort_keys, sort_dirs, limit, marker):
    """Glance's list query parameters for nova.db.api.images-style filters."""
    params = []
    filters = dict(filters or {})
    for name in ('min_ram', 'min_disk'):
        if filters.get(name) is not None:
            raise exception.Invalid(
                _('The Glance v2 API cannot list images with at least some %s.') % name)
    for name in ('id', 'name', 'status', 'disk_format', 'container_format'):
        if filters.get(name) is not None:
            params.append((name, _list_value(filters[name])))
    for name in ('visibility', 'member_status', 'owner', 'size_min', 'size_max'):
        if filters.get(name) is not None:
            params.append((name, str(filters[name])))
    for name in ('protected', 'os_hidden'):
        if filters.get(name) is not None:
            params.append((name, 'true' if filters[name] else 'false'))
    if filters.get('updated_since') is not None:
        params.append(('updated_at', 'gte:%s' % filters['updated_since'].strftime(
            '%Y-%m-%dT%H:%M:%SZ')))
    params += [('tag', tag) for tag in filters.get('tags') or ()]
    params += sorted((filters.get('properties') or {}).items())
    if sort_keys:
        dirs = list(sort_dirs or ['desc'] * len(sort_keys))
        params.append(('sort', ','.join('%s:%s' % pair for pair in zip(sort_keys, dirs))))
    if limit is not None:
        params.append(('limit', str(limit)))
    if marker is not None:
        params.append(('marker', marker))
    return params


class GlanceImageBackend(api.ImageBackend):
    remote = True

    def __init__(self, api_servers=None, session=None):
        self.api_servers = [url.rstrip('/') for url in (api_servers or
                                                         CONF.glance.api_servers)]
        if not self.api_servers:
            raise exception.Invalid(_('[glance] api_servers is not set: the Glance image '
                                      'backend has no image API to talk to.'))
        self.session = session or requests.Session()

    # -- HTTP ----------------------------------------------------------------------------

    @staticmethod
    def _headers(context, extra=None):
        headers = {'Accept': 'application/json'}
        if context.auth_token:
            headers['X-Auth-Token'] = context.auth_token
        request_id = context.global_request_id or context.request_id
        if request_id:
            headers['X-OpenStack-Request-ID'] = request_id
        headers.update(extra or {})
        return headers

    def _request(self, context, method, path, errors=None, headers=None, **kwargs):
        """The response of the first server that answers; HTTP errors as nova exceptions
        (``errors`` maps a status to the exception class for this call)."""
        servers = list(self.api_servers)
        random.shuffle(servers)
        attempts = 1 + (CONF.glance.num_retries if method in RETRIED_METHODS else 0)
        verify = False if CONF.glance.insecure else (CONF.glance.cafile or True)
        failure = None
        for attempt in range(attempts):
            url = servers[attempt % len(servers)] + path
            try:
                resp = self.session.request(
                    method, url, headers=self._headers(context, headers),
                    timeout=CONF.glance.timeout, verify=verify, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                LOG.warning('Image API %s %s failed (attempt %d of %d): %s', method, url,
                            attempt + 1, attempts, exc)
                failure = exception.ImageServiceUnavailable(url=url, reason=exc)
                continue
            except requests.RequestException as exc:
                raise exception.ImageServiceUnavailable(url=url, reason=exc)
            if resp.status_code >= 400:
                raise self._error(resp, url, errors or {})
            return resp
        raise failure

    @staticmethod
    def _error(resp, url, errors):
        try:
            # webob's JSON error body (Glance's and ours) ends the message with
            # "<br /><br />" and the detail.
            message = resp.json().get('message', '').split('<br />')[0].strip()
        except (ValueError, AttributeError):
            message = resp.text.strip()
        finally:
            resp.close()
        message = message or resp.reason
        defaults = {400: exception.Invalid, 401: exception.NotAuthorized,
                    403: exception.ImageNotAuthorized, 404: exception.ImageNotFound,
                    409: exception.Conflict, 413: exception.ImageTooLarge,
                    415: exception.Invalid}
        cls = errors.get(resp.status_code) or defaults.get(resp.status_code)
        if cls is None:
            return exception.ImageServiceUnavailable(
                url=url, reason='HTTP %d: %s' % (resp.status_code, message))
        return cls(message=message)

    def _json(self, context, method, path, errors=None, **kwargs):
        resp = self._request(context, method, path, errors=errors, **kwargs)
        return resp.json() if resp.content else None

    # -- images --------------------------------------------------------------------------

    def get(self, context, image_id):
        return _image_from_body(self._json(context, 'GET', '/v2/images/%s' % image_id))

    def list(self, context, filters=None, sort_keys=None, sort_dirs=None, limit=None,
             marker=None):
        body = self._json(context, 'GET', '/v2/images',
                          params=_query(filters, sort_keys, sort_dirs, limit, marker))
        return [_image_from_body(image) for image in body['images']]

    def create(self, context, values, properties=None, tags=None):
        document = dict(properties or {}, **values)
        if tags:
            document['tags'] = sorted(set(tags))
        return _image_from_body(self._json(context, 'POST', '/v2/images', json=document,
                                           errors={409: exception.ImageExists}))

    def update(self, context, image_id, values=None, properties=None, tags=None):
        ops = _patch(self.get(context, image_id), values, properties, tags)
        return _image_from_body(self._json(
            context, 'PATCH', '/v2/images/%s' % image_id, json=ops,
            headers={'Content-Type': PATCH_TYPE}))

    def delete(self, context, image_id):
        self._request(context, 'DELETE', '/v2/images/%s' % image_id).close()

    def upload(self, context, image_id, data, size=None):
        headers = {'Content-Type': 'application/octet-stream'}
        if size is not None:
            headers['Content-Length'] = str(size)
        self._request(context, 'PUT', '/v2/images/%s/file' % image_id, data=data,
                      headers=headers,
                      errors={409: exception.ImageStatusConflict}).close()
        return self.get(context, image_id)

    def download(self, context, image_id, chunk_size=65536):
        resp = self._request(context, 'GET', '/v2/images/%s/file' % image_id, stream=True)
        if resp.status_code == 204:
            resp.close()
            return None
        return _stream(resp, image_id, chunk_size)

    # -- members -------------------------------------------------------------------------

    def _members_path(self, image_id, member_id=None):
        path = '/v2/images/%s/members' % image_id
        return path if member_id is None else '%s/%s' % (path, member_id)

    def list_members(self, context, image_id):
        body = self._json(context, 'GET', self._members_path(image_id))
        return [_member_from_body(member) for member in body['members']]

    def get_member(self, context, image_id, member_id):
        return _member_from_body(self._json(
            context, 'GET', self._members_path(image_id, member_id),
            errors={404: exception.ImageMemberNotFound}))

    def add_member(self, context, image_id, member_id):
        return _member_from_body(self._json(
            context, 'POST', self._members_path(image_id), json={'member': member_id},
            errors={409: exception.ImageMemberExists,
                    413: exception.ImageMemberLimitExceeded}))

    def update_member(self, context, image_id, member_id, status):
        return _member_from_body(self._json(
            context, 'PUT', self._members_path(image_id, member_id), json={'status': status},
            errors={400: exception.InvalidImageMemberStatus}))

    def delete_member(self, context, image_id, member_id):
        self._request(context, 'DELETE', self._members_path(image_id, member_id),
                      errors={404: exception.ImageMemberNotFound}).close()


def _stream(resp, image_id, chunk_size):
    """The body of ``resp`` in chunks; a broken or short stream is ImageDownloadFailed."""
    try:
        for chunk in resp.iter_content(chunk_size):
            yield chunk
    except requests.RequestException as exc:
        raise exception.ImageDownloadFailed(image_id=image_id, reason=exc)
    finally:
        resp.close()
