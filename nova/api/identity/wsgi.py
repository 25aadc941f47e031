"""The small framework of the built-in identity API: routing, JSON bodies, Keystone's errors,
and who is calling.

Errors are Keystone's: ``{"error": {"code": 404, "title": "Not Found", "message": ...}}``,
and a 401 carries ``WWW-Authenticate: Keystone uri="<identity URL>"`` so clients know where
to authenticate. Callers are identified by the token in X-Auth-Token, validated here with
the local token provider.
"""

import logging

import jsonschema
from oslo_serialization import jsonutils
import routes
import webob
import webob.dec
import webob.exc

from nova import context as nova_context
from nova import exception
from nova.api import middleware
from nova.i18n import _
from nova.identity import auth
from nova.identity import roles

LOG = logging.getLogger(__name__)

TITLES = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
          405: 'Method Not Allowed', 409: 'Conflict', 413: 'Request Entity Too Large',
          415: 'Unsupported Media Type', 500: 'Internal Server Error'}
MAX_BODY_BYTES = 112 * 1024  # Keystone's max_request_body_size


class Caller:
    """Who makes a request: the validated token's payload and what it shows."""

    def __init__(self, context, payload, data):
        self.context, self.payload, self.data = context, payload, data
        self.user_id = payload.user_id
        self.project_id = payload.project_id
        self.domain_id = payload.domain_id
        self.role_names = [role['name'] for role in data['roles']]
        self.is_admin = roles.is_admin(self.role_names)


def error_response(req, code, message):
    resp = json_response({'error': {'code': code, 'title': TITLES.get(code, 'Error'),
                                    'message': message}}, status=code)
    if code == 401:
        resp.headers['WWW-Authenticate'] = 'Keystone uri="%s"' % req.application_url
    return resp


def json_response(body, status=200, headers=None):
    resp = webob.Response(status=status, content_type='application/json', charset='UTF-8',
                          headers=headers or {})
    resp.body = jsonutils.dump_as_bytes(body)
    return resp


def no_content(status=204):
    return webob.Response(status=status)


def read_json(req, schema=None):
    """The JSON body of ``req``, checked against ``schema``."""
    too_large = webob.exc.HTTPRequestEntityTooLarge(explanation=_('Request is too large.'))
    if req.content_length and req.content_length > MAX_BODY_BYTES:
        raise too_large
    if req.content_type and req.content_type != 'application/json':
        raise exception.ValidationError(detail=_('Unsupported Content-Type %s')
                                        % req.content_type)
    raw = req.body_file.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise too_large
    try:
        body = jsonutils.loads(raw)
    except ValueError:
        raise exception.ValidationError(detail=_(
            'The request body is not valid JSON. The server could not comply with the '
            'request since it is either malformed or otherwise incorrect. The client is '
            'assumed to be in error.'))
    if schema is not None:
        check(body, schema)
    return body


def check(body, schema):
    try:
        jsonschema.validate(body, schema)
    except jsonschema.ValidationError as error:
        path = '/'.join(str(part) for part in error.path)
        if path:
            detail = _("Invalid input for field '%(path)s': %(message)s") % {
                'path': path, 'message': error.message}
        else:
            detail = error.message
        raise exception.ValidationError(detail=detail)


def request_context(req, caller=None):
    """The RequestContext the object calls of this request carry."""
    if caller is not None:
        return caller.context
    return nova_context.RequestContext(
        request_id=req.environ.get('openstack.request_id'),
        global_request_id=req.environ.get('openstack.global_request_id'),
        remote_address=req.remote_addr, is_admin=False)


def caller(req):
    """The validated caller of ``req`` (401 when its X-Auth-Token is missing or invalid)."""
    cached = req.environ.get('nova.identity.caller')
    if cached is not None:
        return cached
    token_id = req.headers.get('X-Auth-Token')
    if not token_id:
        raise exception.IdentityAuthenticationFailed()
    payload, data = auth.validate(request_context(req), token_id, with_catalog=False)
    context = nova_context.RequestContext(
        user_id=payload.user_id, project_id=payload.project_id,
        domain_id=payload.domain_id,
        user_domain_id=data['user']['domain']['id'],
        roles=[role['name'] for role in data['roles']],
        request_id=req.environ.get('openstack.request_id'),
        global_request_id=req.environ.get('openstack.global_request_id'),
        remote_address=req.remote_addr, auth_token=token_id)
    found = Caller(context, payload, data)
    req.environ['nova.identity.caller'] = found
    return found


def to_error(req, exc):
    """The Keystone error response of a webob error or a NovaException."""
    if isinstance(exc, exception.NovaException):
        if exc.code >= 500 and not exc.safe:
            raise exc
        return error_response(req, exc.code, exc.format_message())
    return error_response(req, exc.code, exc.explanation or exc.title)


class Router:
    """``(path, {METHOD: handler})`` routes; an unknown path is 404, a known path with
    another method 405. A handler takes ``(req, **route_args)`` and returns a Response.
    HEAD is served by the GET handler without a body where no HEAD handler is given.
    """

    def __init__(self, route_table):
        self.mapper = routes.Mapper()
        self.any_method = routes.Mapper()
        for path, methods in route_table:
            methods = dict(methods)
            if 'GET' in methods and 'HEAD' not in methods:
                methods['HEAD'] = methods['GET']
            for method, handler in methods.items():
                self.mapper.connect(path, handler=handler, conditions={'method': [method]})
            self.any_method.connect(path, allowed=', '.join(sorted(methods)))

    @webob.dec.wsgify
    def __call__(self, req):
        match = self.mapper.match(environ=req.environ)
        if match is None:
            other = self.any_method.match(req.path_info)
            if other is not None:
                resp = error_response(req, 405, _('The method is not allowed for the '
                                                  'requested URL.'))
                resp.headers['Allow'] = other['allowed']
                return resp
            return error_response(req, 404, _('The resource could not be found.'))
        args = dict(match)
        handler = args.pop('handler')
        try:
            resp = handler(req, **args)
        except (webob.exc.HTTPException, exception.NovaException) as exc:
            resp = to_error(req, exc)
        if req.method == 'HEAD':
            resp.body = b''
        return resp


class FaultWrapper(middleware.Middleware):
    """The last line of defence: an unexpected error is logged and answers a bare 500."""

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception:
            LOG.exception('Unexpected error in the identity API: %s %s', req.method,
                          req.path)
            return error_response(req, 500, _('An unexpected error prevented the server '
                                              'from fulfilling your request.'))
