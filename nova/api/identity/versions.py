"""The version documents: GET /identity (300, the list) and GET /identity/v3 (200).

keystoneauth discovers the API from them: it reads ``versions.values`` (or ``version``),
takes each entry's ``id`` ("v3.14": major 3) and its ``self`` link as the endpoint.
"""

from nova.api.identity import wsgi

VERSION_ID = 'v3.14'  # the Keystone v3 minor whose calls this API answers
UPDATED = '2020-04-07T00:00:00Z'
MEDIA_TYPE = 'application/vnd.openstack.identity-v3+json'


def v3_document(req):
    return {'id': VERSION_ID, 'status': 'stable', 'updated': UPDATED,
            'links': [{'rel': 'self', 'href': req.application_url.rstrip('/') + '/v3/'}],
            'media-types': [{'base': 'application/json', 'type': MEDIA_TYPE}]}


def index(req):
    return wsgi.json_response({'versions': {'values': [v3_document(req)]}}, status=300)


def show(req):
    return wsgi.json_response({'version': v3_document(req)})
