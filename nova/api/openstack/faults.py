"""The fault wrapper: the last line of defence of every API pipeline.

An exception nothing else handled becomes a fault body with a logged traceback. A
NovaException answers with its own code; its message is shown only when the exception is
marked ``safe``, since an arbitrary error may carry internals (hosts, SQL, paths). Anything
else answers ``{"computeFault": {"code": 500, ...}}``.
"""

import logging

import webob.dec
import webob.exc

from nova import exception
from nova.api import middleware
from nova.api.openstack import wsgi

LOG = logging.getLogger(__name__)


class FaultWrapper(middleware.Middleware):

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception as exc:
            return self._error(req, exc)

    @staticmethod
    def _error(req, exc):
        LOG.exception('Caught error: %s', exc)
        if isinstance(exc, webob.exc.HTTPException):  # raised on purpose, message and all
            return wsgi.fault_from_exception(req, exc)
        is_nova = isinstance(exc, exception.NovaException)
        code = exc.code if is_nova and 400 <= exc.code <= 599 else 500
        LOG.info('%s returned with HTTP %d', req.url, code)
        if is_nova and exc.safe:
            message = '%s: %s' % (type(exc).__name__, exc.format_message())
        else:
            default = webob.exc.status_map.get(code, webob.exc.HTTPInternalServerError)
            message = default.explanation
        return wsgi.fault_response(req, code, message, exc.headers if is_nova else None)
