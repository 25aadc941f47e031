"""Calling a WSGI app the way a client would, through webob.Request.blank."""

from oslo_serialization import jsonutils
import webob

ADMIN_TOKEN = 'admin:admin'


def call(app, path, method='GET', body=None, token=ADMIN_TOKEN, version=None, headers=None,
         base_url=None):
    """Send one request; ``version`` goes in the OpenStack-API-Version header."""
    all_headers = dict(headers or {})
    if token is not None:
        all_headers['X-Auth-Token'] = token
    if version is not None:
        all_headers['OpenStack-API-Version'] = 'compute %s' % version
    kwargs = {'base_url': base_url} if base_url else {}
    req = webob.Request.blank(path, method=method, headers=all_headers, **kwargs)
    if body is not None:
        req.body = body if isinstance(body, bytes) else jsonutils.dump_as_bytes(body)
        req.content_type = all_headers.get('Content-Type', 'application/json')
    return req.get_response(app)


def fault(resp):
    """(fault name, code, message) of an error response."""
    body = resp.json
    assert len(body) == 1, body
    name, detail = next(iter(body.items()))
    return name, detail['code'], detail['message']
