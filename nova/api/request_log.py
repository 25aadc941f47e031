"""One INFO log line per API request: method, path, status, length, microversion, time."""

import logging
import time

import webob.dec

from nova.api import middleware
from nova.api.openstack import wsgi

LOG = logging.getLogger(__name__)


class RequestLog(middleware.Middleware):

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        start = time.monotonic()
        resp = req.get_response(self.application)
        version = req.environ.get(wsgi.ENV_API_VERSION)
        LOG.info('%(remote)s "%(method)s %(path)s" status: %(status)s len: %(len)s '
                 'microversion: %(version)s time: %(time).6f',
                 {'remote': req.remote_addr, 'method': req.method,
                  'path': req.path_qs, 'status': resp.status_int,
                  'len': resp.content_length or 0,
                  'version': version.get_string() if version and not version.is_null()
                  else '-',
                  'time': time.monotonic() - start})
        return resp
