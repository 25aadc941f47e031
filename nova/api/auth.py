"""Authentication for the Compute API: the pipeline chosen by ``[api] auth_strategy`` and
the noauth2 middleware.

noauth2 trusts the caller. ``X-Auth-Token: user:project`` (or just ``user``, which is then
also the project) becomes the request context; the user ``admin`` gets the admin role. A
request without a token gets a 204 handing out such a token, as a v1.1 auth server did;
except version discovery (a GET of the API root with no X-Auth-User), which keystoneauth
sends without credentials and which gets the version document.
"""

import webob
import webob.dec

from nova import context
from nova.api import middleware
from nova.api.openstack import wsgi
import nova.conf

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


class NoAuthMiddleware(middleware.Middleware):
    """The noauth2 strategy (see the module docstring)."""

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        if 'X-Auth-Token' not in req.headers:
            if self._is_version_discovery(req):
                return self.application
            return self._hand_out_token(req)
        user_id, _sep, project_id = req.headers['X-Auth-Token'].partition(':')
        project_id = project_id or user_id
        is_admin = user_id == 'admin'
        remote_address = req.remote_addr or '127.0.0.1'
        if CONF.api.use_forwarded_for:
            remote_address = req.headers.get('X-Forwarded-For', remote_address)
        # The token travels with the context, so services acting for the caller (a
        # compute host fetching an image) can present it in turn.
        req.environ['nova.context'] = context.RequestContext(
            user_id=user_id, project_id=project_id, is_admin=is_admin,
            auth_token=req.headers['X-Auth-Token'],
            roles=['admin'] if is_admin else [],
            request_id=req.environ.get('openstack.request_id'),
            global_request_id=req.environ.get('openstack.global_request_id'),
            remote_address=remote_address)
        return self.application

    @staticmethod
    def _is_version_discovery(req):
        return (req.method in ('GET', 'HEAD') and req.path_info in ('', '/')
                and 'X-Auth-User' not in req.headers)

    @staticmethod
    def _hand_out_token(req):
        user_id = req.headers.get('X-Auth-User', 'admin')
        project_id = req.headers.get('X-Auth-Project-Id', 'admin')
        resp = webob.Response(status=204)
        resp.headers['X-Auth-Token'] = '%s:%s' % (user_id, project_id)
        resp.headers['X-Server-Management-Url'] = '/'.join([req.url.rstrip('/'), project_id])
        resp.content_type = 'text/plain'
        return resp
