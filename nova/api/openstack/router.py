"""Routing: a table of paths and methods to controller actions, built on routes.Mapper.

Each route is registered twice, as ``/path`` and as ``/{project_id}/path``: the project id
in the URL is optional (since 2.18 upstream) and, when given, must be the caller's.
"""

import routes
import routes.middleware
import webob.dec

from nova import exception
from nova.api.openstack import wsgi
import nova.conf
from nova.i18n import _

CONF = nova.conf.CONF

DEFAULT_PROJECT_ID_REGEX = r'[0-9a-f\-]+'


class APIRouter:
    """A WSGI app dispatching to :class:`wsgi.Resource` apps by path and method.

    ``route_table`` is a sequence of ``(path, {METHOD: (controller_class, action)})``;
    each controller class is instantiated once.
    """

    def __init__(self, route_table):
        self.mapper = routes.Mapper()
        resources = {}
        project_token = '/{project_id:%s}' % (CONF.osapi_v21.project_id_regex or
                                              DEFAULT_PROJECT_ID_REGEX)
        # Plain paths first, so "/os-services/x" never reads "os-services" as a project.
        for prefix in ('', project_token):
            for path, methods in route_table:
                for method, (controller_class, action) in methods.items():
                    if controller_class not in resources:
                        resources[controller_class] = wsgi.Resource(controller_class())
                    self.mapper.connect(prefix + path,
                                        controller=resources[controller_class],
                                        action=action,
                                        conditions={'method': [method]})
        self._app = routes.middleware.RoutesMiddleware(
            self._dispatch, self.mapper, use_method_override=False, singleton=False)

    @classmethod
    def factory(cls, global_config, **local_config):
        """paste.app_factory."""
        return cls()

    def __call__(self, environ, start_response):
        return self._app(environ, start_response)

    @staticmethod
    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def _dispatch(req):
        match = req.environ['wsgiorg.routing_args'][1]
        if not match:
            try:  # so that the 404 carries the version headers like any other answer
                req.set_api_version_request()
            except (exception.InvalidAPIVersionString, exception.InvalidGlobalAPIVersion):
                pass
            return wsgi.fault_response(req, 404, _('The resource could not be found.'))
        return match['controller']
