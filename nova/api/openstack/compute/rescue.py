"""rescue (answers the rescue adminPass) and unrescue a server."""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import server_actions as schemas
import nova.conf

CONF = nova.conf.CONF


class RescueController(action_base.ActionController):

    @wsgi.response(200)
    @wsgi.expected_errors((400, 404, 409, 501))
    @validation.schema(schemas.rescue)
    def rescue(self, req, id, body):
        context, instance = self.instance(req, id, 'os_compute_api:os-rescue')
        options = body['rescue'] or {}
        password = options.get('adminPass') or servers.generate_password()
        try:
            with action_base.answers('rescue', id):
                self.compute_api.rescue(context, instance, password,
                                        rescue_image_ref=options.get('rescue_image_ref'))
        except exception.ImageNotFound as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        except exception.InstanceNotRescuable as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        return {'adminPass': password} if CONF.api.enable_instance_password else {}

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501))
    @validation.schema(schemas.unrescue)
    def unrescue(self, req, id, body):
        context, instance = self.instance(req, id, 'os_compute_api:os-unrescue')
        with action_base.answers('unrescue', id):
            self.compute_api.unrescue(context, instance)
