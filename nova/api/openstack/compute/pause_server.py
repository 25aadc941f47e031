"""pause and unpause a server."""

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas

RULE = 'os_compute_api:os-pause-server:%s'


class PauseServerController(action_base.ActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501))
    @validation.schema(schemas.pause)
    def pause(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'pause')
        with action_base.answers('pause', id):
            self.compute_api.pause(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501))
    @validation.schema(schemas.unpause)
    def unpause(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'unpause')
        with action_base.answers('unpause', id):
            self.compute_api.unpause(context, instance)
