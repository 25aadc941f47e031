"""The small framework every Compute API resource is written with.

A controller is a plain class whose methods take ``(self, req, **route_args)`` (plus ``body``
for requests that carry one) and return a dict (serialised as JSON), None (no body) or a
:class:`ResponseObject`. Decorators describe the rest:

- ``@api_version('2.1', '2.52')`` / ``@method.add_version('2.53')``: one implementation per
  microversion range (outermost decorator);
- ``@response(204)``: the status code of a success;
- ``@expected_errors((400, 404))``: the error codes a method may answer with; anything else
  becomes a 500 with a logged traceback;
- ``nova.api.validation.schema`` / ``query_schema``: JSON-schema checks per range.

Handlers may raise ``webob.exc.HTTP*`` errors or NovaException subclasses; both become fault
bodies such as ``{"itemNotFound": {"code": 404, "message": "..."}}``.
"""

import functools
import inspect
import logging
import types

import orjson
from oslo_serialization import jsonutils
import webob
import webob.dec
import webob.exc

from nova import exception
from nova.api.openstack import api_version_request
from nova.i18n import _

LOG = logging.getLogger(__name__)

API_VERSION_REQUEST_HEADER = 'OpenStack-API-Version'
LEGACY_API_VERSION_REQUEST_HEADER = 'X-OpenStack-Nova-API-Version'
SERVICE_TYPE = 'compute'

ENV_API_VERSION = 'nova.api_version_request'
ENV_LEGACY_V2 = 'openstack.legacy_v2'

JSON_CONTENT_TYPES = ('application/json', 'application/vnd.openstack.compute+json')

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}

_UNEXPECTED_ERROR = _('Unexpected API Error. Please report this to the operators of this '
                      'cloud with the request id; the API log has the details.\n%s')


class Request(webob.Request):
    """A request that knows its microversion (kept in the environ, so every layer sees it)."""

    @property
    def api_version_request(self):
        return self.environ.get(ENV_API_VERSION) or api_version_request.APIVersionRequest()

    @api_version_request.setter
    def api_version_request(self, version):
        self.environ[ENV_API_VERSION] = version

    def is_legacy_v2(self):
        return bool(self.environ.get(ENV_LEGACY_V2))

    def set_legacy_v2(self):
        self.environ[ENV_LEGACY_V2] = True

    def requested_version(self):
        """The version string the client asked for, or None. The standard header wins."""
        standard = self.headers.get(API_VERSION_REQUEST_HEADER)
        if standard:
            # "compute 2.53, placement 1.10": the last entry for compute counts.
            for entry in reversed(standard.split(',')):
                parts = entry.split(None, 1)
                if len(parts) == 2 and parts[0].lower() == SERVICE_TYPE:
                    return parts[1].strip()
        legacy = self.headers.get(LEGACY_API_VERSION_REQUEST_HEADER)
        return legacy.strip() if legacy else None

    def set_api_version_request(self):
        """Negotiate the microversion; raises InvalidAPIVersionString (400) or
        InvalidGlobalAPIVersion (406)."""
        if self.is_legacy_v2():
            self.api_version_request = api_version_request.APIVersionRequest(
                api_version_request.MIN_API_VERSION)
            return
        self.api_version_request = api_version_request.from_header_value(self.requested_version())


def add_version_headers(req, resp):
    """Echo the negotiated microversion, and say that responses vary with it."""
    version = req.environ.get(ENV_API_VERSION)
    if version is None or version.is_null():
        return
    resp.headers[API_VERSION_REQUEST_HEADER] = '%s %s' % (SERVICE_TYPE, version.get_string())
    resp.headers[LEGACY_API_VERSION_REQUEST_HEADER] = version.get_string()
    vary = [v.strip() for v in resp.headers.get('Vary', '').split(',') if v.strip()]
    for header in (API_VERSION_REQUEST_HEADER, LEGACY_API_VERSION_REQUEST_HEADER):
        if header not in vary:
            vary.append(header)
    resp.headers['Vary'] = ', '.join(vary)


# Datetimes and dataclasses go to jsonutils' to_primitive, as they did before orjson.
_ORJSON_OPTIONS = (orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME |
                   orjson.OPT_PASSTHROUGH_DATACLASS)


def json_body(value):
    """A response body's JSON bytes. orjson encodes a list of 50 servers ten times faster
    than the json module (0.07 ms against 0.75); what it refuses (an integer beyond 64
    bits, say) goes through jsonutils instead."""
    try:
        return orjson.dumps(value, default=jsonutils.to_primitive, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return jsonutils.dump_as_bytes(value)


def fault_response(req, code, message, headers=None):
    """The JSON error body clients expect: ``{"<faultName>": {"code": .., "message": ..}}``."""
    name = FAULT_NAMES.get(code, 'computeFault')
    detail = {'code': code, 'message': message}
    headers = dict(headers or {})
    if code in (413, 429) and 'Retry-After' in headers:
        detail['retryAfter'] = headers['Retry-After']
    resp = webob.Response(status=code, content_type='application/json', charset='UTF-8')
    resp.body = json_body({name: detail})
    for key, value in headers.items():
        resp.headers[key] = str(value)
    add_version_headers(req, resp)
    return resp


def fault_from_exception(req, exc):
    """A fault response for a webob HTTP error or a NovaException safe to show."""
    if isinstance(exc, webob.exc.HTTPException):
        headers = {k: v for k, v in exc.headers.items() if k in ('Retry-After', 'Location')}
        return fault_response(req, exc.code, exc.explanation, headers)
    return fault_response(req, exc.code, exc.format_message(), exc.headers)


class ResponseObject:
    """A handler result that needs a status code or headers of its own."""

    def __init__(self, obj, code=None, headers=None):
        self.obj = obj
        self.code = code
        self.headers = dict(headers or {})


def response(code):
    """The success status of a handler (default 200)."""
    def decorator(func):
        func.wsgi_code = code
        return func
    return decorator


def _error_code(exc):
    if isinstance(exc, (webob.exc.HTTPException, exception.NovaException)):
        return exc.code
    return None


def expected_errors(errors):
    """Let through only the listed error codes (plus validation 400s and policy 403s)."""
    expected = (errors,) if isinstance(errors, int) else tuple(errors)

    def decorator(func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                if _error_code(exc) in expected or isinstance(
                        exc, (exception.ValidationError, exception.NotAuthorized)):
                    raise
                LOG.exception('Unexpected exception in API method')
                raise webob.exc.HTTPInternalServerError(
                    explanation=_UNEXPECTED_ERROR % type(exc)) from exc
        return wrapped
    return decorator


class VersionedMethod:
    """A controller method with one implementation per microversion range."""

    def __init__(self, name):
        self.name = name
        self.implementations = []  # (min APIVersionRequest, max APIVersionRequest, func)

    def add(self, min_version, max_version, func):
        low = api_version_request.as_version(min_version)
        high = api_version_request.as_version(max_version)
        for other_low, other_high, _func in self.implementations:
            if _ranges_overlap(low, high, other_low, other_high):
                raise ValueError('%s: microversion ranges %s..%s and %s..%s overlap' % (
                    self.name, min_version, max_version, other_low, other_high))
        self.implementations.append((low, high, func))

    def add_version(self, min_version, max_version=None):
        """Decorator adding another implementation: ``@update.add_version('2.53')``."""
        def decorator(func):
            self.add(min_version, max_version, func)
            return self
        return decorator

    def select(self, version):
        for low, high, func in self.implementations:
            if version.matches(low, high):
                return func
        raise exception.VersionNotFoundForAPIMethod(version=version.get_string())

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return BoundVersionedMethod(self, obj)


class BoundVersionedMethod:
    def __init__(self, versioned, obj):
        self.versioned = versioned
        self.obj = obj

    def for_request(self, req):
        """The bound implementation serving ``req``'s microversion (404 if none)."""
        func = self.versioned.select(req.api_version_request)
        return types.MethodType(func, self.obj)

    def __call__(self, req, *args, **kwargs):
        return self.for_request(req)(req, *args, **kwargs)


def _ranges_overlap(low1, high1, low2, high2):
    """Do two version ranges overlap? A null bound is open-ended."""
    def before(high, low):  # does a range ending at ``high`` end before ``low``?
        return not high.is_null() and not low.is_null() and high < low
    return not (before(high1, low2) or before(high2, low1))


def api_version(min_version, max_version=None):
    """Serve the decorated method only for microversions in [min_version, max_version]."""
    def decorator(func):
        versioned = VersionedMethod(func.__name__)
        versioned.add(min_version, max_version, func)
        return versioned
    return decorator


class ActionDispatcher:
    """``POST .../action``: the body's single key names the action.

    Subclasses list ``ACTIONS = {name: (controller_class, method_name)}``; the handlers take
    ``(req, id, body)`` and keep their own decorators (versions, expected errors, response
    codes), so each action lives in the module of the feature it belongs to.
    """

    ACTIONS = {}

    def __init__(self):
        controllers = {}
        self.handlers = {}
        for name, (controller_class, method_name) in self.ACTIONS.items():
            if controller_class not in controllers:
                controllers[controller_class] = controller_class()
            self.handlers[name] = getattr(controllers[controller_class], method_name)

    def action(self, req, id, body):
        if not isinstance(body, dict) or len(body) != 1:
            raise exception.MalformedRequestBody(
                reason=_('the body must name exactly one action'))
        name = next(iter(body))
        handler = self.handlers.get(name)
        if handler is None:
            raise webob.exc.HTTPBadRequest(explanation=_('There is no such action: %s')
                                           % name)
        if isinstance(handler, BoundVersionedMethod):
            handler = handler.for_request(req)
        result = handler(req, id, body=body)
        if isinstance(result, ResponseObject):
            if result.code is None:
                result.code = getattr(handler, 'wsgi_code', 200)
            return result
        return ResponseObject(result, code=getattr(handler, 'wsgi_code', 200))


def _accepts_body(func):
    try:
        return 'body' in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


class Resource:
    """The WSGI app of one controller: negotiates the microversion, reads the JSON body,
    calls the routed method and turns its result or error into a response."""

    def __init__(self, controller, versioned=True):
        self.controller = controller
        self.versioned = versioned

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        args = dict(req.environ['wsgiorg.routing_args'][1])
        action = args.pop('action')
        args.pop('controller', None)
        args.pop('format', None)
        if self.versioned:
            try:
                req.set_api_version_request()
            except exception.InvalidAPIVersionString as exc:
                return fault_response(req, 400, exc.format_message())
            except exception.InvalidGlobalAPIVersion as exc:
                return fault_response(req, 406, exc.format_message())
        try:
            self._check_project_id(req, args.pop('project_id', None))
            handler = getattr(self.controller, action)
            if isinstance(handler, BoundVersionedMethod):
                handler = handler.for_request(req)
            if _accepts_body(handler):
                args['body'] = self._read_body(req)
            result = handler(req, **args)
        except (webob.exc.HTTPException, exception.NovaException) as exc:
            if isinstance(exc, exception.NovaException) and exc.code >= 500 and not exc.safe:
                raise  # the fault wrapper logs it and hides the details
            if isinstance(exc, webob.exc.HTTPServerError):
                LOG.error('%s %s failed: %s', req.method, req.path, exc.explanation)
            return fault_from_exception(req, exc)
        return self._make_response(req, handler, result)

    @staticmethod
    def _check_project_id(req, project_id):
        context = req.environ.get('nova.context')
        if context is not None and project_id and project_id != context.project_id:
            raise webob.exc.HTTPBadRequest(explanation=_(
                "Malformed request URL: URL's project_id '%(project_id)s' doesn't match "
                "Context's project_id '%(context_project_id)s'") % {
                    'project_id': project_id, 'context_project_id': context.project_id})

    @staticmethod
    def _read_body(req):
        if req.method not in ('POST', 'PUT', 'PATCH') or not req.body:
            return None
        if req.content_type and req.content_type not in JSON_CONTENT_TYPES:
            raise webob.exc.HTTPUnsupportedMediaType(explanation=_('Unsupported Content-Type'))
        try:
            return jsonutils.loads(req.body)
        except ValueError as exc:
            raise exception.MalformedRequestBody(reason=str(exc))

    @staticmethod
    def _make_response(req, handler, result):
        code = getattr(handler, 'wsgi_code', 200)
        headers = {}
        if isinstance(result, ResponseObject):
            code = result.code or code
            headers = result.headers
            result = result.obj
        resp = webob.Response(status=code)
        if result is not None and code != 204:
            resp.content_type = 'application/json'
            resp.body = json_body(result)
        else:
            resp.content_type = None
        for key, value in headers.items():
            resp.headers[key] = str(value)
        add_version_headers(req, resp)
        return resp
