"""The small framework of the built-in image API: routing, JSON bodies and Glance's errors.

Errors are webob HTTP exceptions rendered as Glance renders them (webob's own bodies: HTML,
JSON ``{"code": "404 Not Found", "title": .., "message": ..}`` or text, as the Accept
header asks), not Nova's fault bodies. NovaExceptions become the webob error of their code.
"""

import logging

from oslo_serialization import jsonutils
import routes
import webob
import webob.dec
import webob.exc

from nova import exception
from nova.api import middleware
from nova.i18n import _

LOG = logging.getLogger(__name__)


def http_error(code, message, headers=None):
    cls = webob.exc.status_map.get(code, webob.exc.HTTPInternalServerError)
    return cls(explanation=message, headers=headers or {})


def from_nova_exception(exc):
    if exc.code >= 500 and not exc.safe:
        raise exc
    return http_error(exc.code, exc.format_message())


def read_json(req, content_types=('application/json',)):
    """The JSON body of ``req``, whose Content-Type must be one of ``content_types``."""
    if req.content_type not in content_types:
        raise webob.exc.HTTPUnsupportedMediaType(
            explanation=_('Unsupported Content-Type %s') % (req.content_type or '(none)'))
    try:
        return jsonutils.loads(req.body)
    except ValueError:
        raise webob.exc.HTTPBadRequest(explanation=_('Body must be valid JSON'))


def json_response(body, status=200, headers=None):
    resp = webob.Response(status=status, content_type='application/json', charset='UTF-8',
                          headers=headers or {})
    resp.body = jsonutils.dump_as_bytes(body)
    return resp


class Router:
    """``(path, {METHOD: handler})`` routes; an unknown path is 404, a known path with
    another method 405 with an Allow header.

    A handler takes ``(req, **route_args)`` and returns a webob Response; it may raise
    webob HTTP errors or NovaExceptions.
    """

    def __init__(self, route_table):
        self.mapper = routes.Mapper()
        self.any_method = routes.Mapper()
        for path, methods in route_table:
            for method, handler in methods.items():
                self.mapper.connect(path, handler=handler, conditions={'method': [method]})
            self.any_method.connect(path, allowed=', '.join(sorted(methods)))

    @webob.dec.wsgify
    def __call__(self, req):
        match = self.mapper.match(environ=req.environ)
        if match is None:
            other = self.any_method.match(req.path_info)
            if other is not None:
                return webob.exc.HTTPMethodNotAllowed(headers={'Allow': other['allowed']})
            return webob.exc.HTTPNotFound()
        args = dict(match)
        handler = args.pop('handler')
        try:
            return handler(req, **args)
        except webob.exc.HTTPException as exc:
            return exc
        except exception.NovaException as exc:
            return from_nova_exception(exc)


class FaultWrapper(middleware.Middleware):
    """The last line of defence: an unexpected error is logged and answers a bare 500."""

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception:
            LOG.exception('Unexpected error in the image API: %s %s', req.method, req.path)
            return webob.exc.HTTPInternalServerError()
