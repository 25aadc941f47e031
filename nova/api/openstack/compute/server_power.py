"""reboot, os-start, os-stop and trigger_crash_dump (2.17+) on a server."""

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas

RULE = 'os_compute_api:servers:%s'


class ServerPowerController(action_base.ActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @validation.schema(schemas.reboot)
    def reboot(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'reboot')
        with action_base.answers('reboot', id):
            self.compute_api.reboot(context, instance, body['reboot']['type'].upper())

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @validation.schema(schemas.start)
    def start(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'start')
        with action_base.answers('start', id):
            self.compute_api.start(context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @validation.schema(schemas.stop)
    def stop(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'stop')
        with action_base.answers('stop', id):
            self.compute_api.stop(context, instance)

    @wsgi.api_version('2.17')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 404, 409))
    @validation.schema(schemas.trigger_crash_dump)
    def trigger_crash_dump(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'trigger_crash_dump')
        with action_base.answers('trigger_crash_dump', id):
            self.compute_api.trigger_crash_dump(context, instance)
