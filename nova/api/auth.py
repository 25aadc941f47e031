"""Authentication for the Compute and image APIs: the pipeline chosen by
``[api] auth_strategy`` and the middleware of each strategy.

noauth2 trusts the caller. ``X-Auth-Token: user:project`` (or just ``user``, which is then
also the project) becomes the request context; the user ``admin`` gets the admin role and
everyone else the member and reader roles (``X-Roles: reader`` narrows that, to try the
policy's personas). A
request without a token gets a 204 handing out such a token, as a v1.1 auth server did;
except version discovery (a GET of the API root with no X-Auth-User), which keystoneauth
sends without credentials and which gets the version document.

local validates X-Auth-Token as a token of the built-in identity service (nova.identity)
and takes user, project and roles from it. keystone leaves validation to keystonemiddleware's
auth_token filter, which runs before NovaKeystoneContext and sets the X-User-Id,
X-Project-Id and X-Roles headers that filter turns into the context. Both answer a missing
or invalid token with keystonemiddleware's 401.
"""

import logging

from oslo_serialization import jsonutils
import webob
import webob.dec
import webob.exc

from nova import context
from nova import exception
from nova.api import middleware
from nova.api.openstack import wsgi
import nova.conf
from nova.i18n import _
from nova.identity import auth as identity_auth

LOG = logging.getLogger(__name__)

CONF = nova.conf.CONF


def pipeline_factory_v21(loader, global_conf, **local_conf):
    """paste composite: the pipeline named after the configured auth strategy."""
    strategy = CONF.api.auth_strategy
    if strategy not in local_conf:
        raise LookupError('api-paste.ini has no "%s" pipeline for auth_strategy %s'
                          % (strategy, strategy))
    names = local_conf[strategy].split()
    app = loader.get_app(names[-1])
    for name in reversed(names[:-1]):
        app = loader.get_filter(name)(app)
    return app


def _request_context(req, **kwargs):
    """The RequestContext of ``req`` for the identity ``kwargs`` describe."""
    remote_address = req.remote_addr or '127.0.0.1'
    if CONF.api.use_forwarded_for:
        remote_address = req.headers.get('X-Forwarded-For', remote_address)
    return context.RequestContext(
        request_id=req.environ.get('openstack.request_id'),
        global_request_id=req.environ.get('openstack.global_request_id'),
        remote_address=remote_address, **kwargs)


def _is_version_discovery(req):
    return (req.method in ('GET', 'HEAD') and req.path_info in ('', '/')
            and 'X-Auth-User' not in req.headers)


def unauthorized(req, message=None):
    """keystonemiddleware's 401, naming the identity service to authenticate with."""
    message = message or _('The request you have made requires authentication.')
    resp = webob.Response(status=401, content_type='application/json', charset='UTF-8')
    resp.body = jsonutils.dump_as_bytes({'error': {'code': 401, 'title': 'Unauthorized',
                                                   'message': message}})
    resp.headers['WWW-Authenticate'] = 'Keystone uri="%s/identity"' % req.host_url
    return resp


class NoAuthMiddleware(middleware.Middleware):
    """The noauth2 strategy (see the module docstring)."""

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        if 'X-Auth-Token' not in req.headers:
            if _is_version_discovery(req):
                return self.application
            return self._hand_out_token(req)
        user_id, _sep, project_id = req.headers['X-Auth-Token'].partition(':')
        project_id = project_id or user_id
        roles = [r.strip() for r in req.headers.get('X-Roles', '').split(',') if r.strip()]
        if not roles:
            roles = ['admin', 'member', 'reader'] if user_id == 'admin' else ['member', 'reader']
        is_admin = 'admin' in roles
        # The token travels with the context, so services acting for the caller (a
        # compute host fetching an image) can present it in turn.
        req.environ['nova.context'] = _request_context(
            req, user_id=user_id, project_id=project_id, is_admin=is_admin,
            auth_token=req.headers['X-Auth-Token'], roles=roles)
        return self.application

    @staticmethod
    def _hand_out_token(req):
        user_id = req.headers.get('X-Auth-User', 'admin')
        project_id = req.headers.get('X-Auth-Project-Id', 'admin')
        resp = webob.Response(status=204)
        resp.headers['X-Auth-Token'] = '%s:%s' % (user_id, project_id)
        resp.headers['X-Server-Management-Url'] = '/'.join([req.url.rstrip('/'), project_id])
        resp.content_type = 'text/plain'
        return resp


class LocalAuthMiddleware(middleware.Middleware):
    """The local strategy: X-Auth-Token is a token of the built-in identity service.

    The token must be valid now (signature, expiry, revocation, user and project enabled,
    a role on the project) and scoped to a project: the APIs behind this act on a
    project's resources. ``is_admin`` follows the admin role.
    """

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        token_id = req.headers.get('X-Auth-Token')
        if not token_id:
            if _is_version_discovery(req):
                return self.application
            return unauthorized(req)
        try:
            payload, data = identity_auth.validate(_request_context(req, is_admin=False),
                                                   token_id, with_catalog=False)
        except exception.IdentityTokenInvalid:
            return unauthorized(req)
        if data['project'] is None:
            return unauthorized(req, _('A project-scoped token is required.'))
        project = data['project']
        req.environ['nova.context'] = _request_context(
            req, user_id=payload.user_id, project_id=project['id'],
            user_name=data['user']['name'], project_name=project['name'],
            user_domain_id=data['user']['domain']['id'],
            project_domain_id=project['domain']['id'],
            roles=[role['name'] for role in data['roles']], auth_token=token_id)
        return self.application


class NovaKeystoneContext(middleware.Middleware):
    """The keystone strategy's second half: the context from auth_token's headers."""

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        if req.headers.get('X-Identity-Status', 'Invalid') != 'Confirmed':
            return unauthorized(req)
        user_id = req.headers.get('X-User-Id') or req.headers.get('X-User')
        if not user_id:
            LOG.debug('Neither X-User-Id nor X-User found in request')
            return unauthorized(req)
        roles = [role.strip() for role in req.headers.get('X-Roles', '').split(',')
                 if role.strip()]
        catalog = []
        if req.headers.get('X-Service-Catalog'):
            try:
                catalog = jsonutils.loads(req.headers['X-Service-Catalog'])
            except ValueError:
                return webob.exc.HTTPInternalServerError(
                    explanation=_('Invalid service catalog json.'))
        req.environ['nova.context'] = _request_context(
            req, user_id=user_id, project_id=req.headers.get('X-Project-Id'),
            user_name=req.headers.get('X-User-Name'),
            project_name=req.headers.get('X-Project-Name'),
            user_domain_id=req.headers.get('X-User-Domain-Id'),
            project_domain_id=req.headers.get('X-Project-Domain-Id'),
            roles=roles, auth_token=req.headers.get('X-Auth-Token'),
            service_catalog=catalog)
        return self.application
