"""/servers/{server_id}/diagnostics: what the hypervisor says about a server's guest.

Administrators only. Before 2.48 the body is the driver's own flat dict of counters; from
2.48 it is the standardized form (views/server_diagnostics.py). 409 when the server has no
host yet or is in no state to answer (its vm_state, or its guest not running), 501 when the
host's driver cannot tell.
"""

import webob.exc

from nova import exception
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.views import server_diagnostics as views
from nova.compute import api as compute_api
from nova.i18n import _
from nova.policy import authorize

RULE = 'os_compute_api:os-server-diagnostics'
STANDARDIZED_VERSION = '2.48'


class ServerDiagnosticsController:

    def __init__(self):
        self.compute_api = compute_api.API()

    @wsgi.expected_errors((403, 404, 409, 501))
    def index(self, req, server_id):
        context = req.environ['nova.context']
        instance = servers.get_instance(self.compute_api, context, server_id)
        authorize(context, RULE, target={'project_id': instance.project_id})
        standardized = api_version_request.is_supported(req, STANDARDIZED_VERSION)
        try:
            if standardized:
                return views.standardized(
                    self.compute_api.get_instance_diagnostics(context, instance))
            return self.compute_api.get_diagnostics(context, instance)
        except exception.InstanceInvalidState as exc:
            servers.conflict_for_state(exc, 'get_diagnostics', server_id)
        except exception.InstanceNotReady as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation=_('The requested functionality is not supported.'))
