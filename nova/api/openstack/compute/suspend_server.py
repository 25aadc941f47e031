"""suspend and resume a server."""

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas

RULE = 'os_compute_api:os-suspend-server:%s'


class SuspendServerController(action_base.ActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @validation.schema(schemas.suspend)
    def suspend(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'suspend')
        with action_base.answers('suspend', id):
            self.compute_api.suspend(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @validation.schema(schemas.resume)
    def resume(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'resume')
        with action_base.answers('resume', id):
            self.compute_api.resume(context, instance)
