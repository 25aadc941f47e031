"""The /v2 endpoint: the v2.1 resources behaving as the frozen v2.0 API.

Microversion headers are ignored on the way in (the version is always 2.1) and removed on
the way out; body validation drops unknown properties instead of refusing them.
"""

import webob.dec

from nova.api import middleware
from nova.api.openstack import wsgi

_VERSION_HEADERS = (wsgi.API_VERSION_REQUEST_HEADER, wsgi.LEGACY_API_VERSION_REQUEST_HEADER)


class LegacyV2CompatibleWrapper(middleware.Middleware):

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        req.set_legacy_v2()
        for header in _VERSION_HEADERS:
            req.headers.pop(header, None)
        resp = req.get_response(self.application)
        for header in _VERSION_HEADERS:
            resp.headers.pop(header, None)
        if 'Vary' in resp.headers:
            vary = [v.strip() for v in resp.headers['Vary'].split(',')
                    if v.strip() and v.strip() not in _VERSION_HEADERS]
            if vary:
                resp.headers['Vary'] = ', '.join(vary)
            else:
                del resp.headers['Vary']
        return resp
