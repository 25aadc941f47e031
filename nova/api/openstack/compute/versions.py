"""The version documents: ``GET /`` (all versions), ``GET /v2.1`` and ``GET /v2`` (one),
any other path outside a version (300 Multiple Choices), and ``GET /v2.1/`` in the API."""

from oslo_serialization import jsonutils
import webob
import webob.dec

from nova.api.openstack import api_version_request
from nova.api.openstack import common
from nova.api.openstack import wsgi
from nova.api.openstack.compute.views import versions as views

_DESCRIBED_BY = {'rel': 'describedby', 'type': 'text/html',
                 'href': 'http://docs.openstack.org/'}

VERSIONS = {
    'v2.0': {
        'id': 'v2.0',
        'status': 'SUPPORTED',
        'version': '',
        'min_version': '',
        'updated': '2011-01-21T11:33:21Z',
        'links': [_DESCRIBED_BY],
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2'}],
    },
    'v2.1': {
        'id': 'v2.1',
        'status': 'CURRENT',
        'version': api_version_request.MAX_API_VERSION,
        'min_version': api_version_request.MIN_API_VERSION,
        'updated': '2013-07-23T11:33:21Z',
        'links': [_DESCRIBED_BY],
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2.1'}],
    },
}


def _json(obj, code=200):
    resp = webob.Response(status=code, content_type='application/json', charset='UTF-8')
    resp.body = jsonutils.dump_as_bytes(obj)
    return resp


class Versions:
    """The app at ``/``: the version list, or the choices for a path outside a version."""

    @classmethod
    def factory(cls, global_config, **local_config):
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        root_url = common.api_root_url(req)
        if req.path_info in ('', '/'):
            return _json(views.build_versions(VERSIONS, root_url))
        return _json(views.build_choices(VERSIONS, root_url, req.path_info), code=300)


class VersionDocument:
    """The app at exactly ``/v2.1`` or ``/v2`` (``version`` in api-paste.ini): that
    version's document, readable without credentials so clients can discover it."""

    def __init__(self, version):
        if version not in VERSIONS:
            raise ValueError('Unknown API version %r; known: %s'
                             % (version, ', '.join(sorted(VERSIONS))))
        self.version = version

    @classmethod
    def factory(cls, global_config, version='v2.1', **local_config):
        return cls(version)

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        return _json(views.build_version(VERSIONS[self.version], common.api_root_url(req)))


class VersionsController:
    """``GET /v2.1/`` inside the API (authenticated, microversioned like any resource)."""

    def show(self, req):
        version = 'v2.0' if req.is_legacy_v2() else 'v2.1'
        return views.build_version(VERSIONS[version], common.api_root_url(req))
