"""The Glance version document: GET /image and /image/ (and /image/versions)."""

from nova.api.image import wsgi

# Glance v2.7 (Rocky) brought the multihash this API returns; older minors are the same API.
CURRENT = '2.7'
SUPPORTED = ('2.6', '2.5', '2.4', '2.3', '2.2', '2.1', '2.0')


def versions_document(req):
    base = req.application_url.rstrip('/')
    href = base + '/v2/'
    versions = [{'id': 'v%s' % CURRENT, 'status': 'CURRENT',
                 'links': [{'rel': 'self', 'href': href}]}]
    versions += [{'id': 'v%s' % version, 'status': 'SUPPORTED',
                  'links': [{'rel': 'self', 'href': href}]} for version in SUPPORTED]
    return {'versions': versions}


class VersionsController:

    def index(self, req):
        # Glance answers the root with 300 Multiple Choices; /versions with 200.
        status = 200 if req.path_info.rstrip('/').endswith('versions') else 300
        return wsgi.json_response(versions_document(req), status=status)
