"""restore: bring back a server deleted while [DEFAULT] reclaim_instance_interval > 0
(forceDelete, its companion, is in servers.py)."""

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas


class DeferredDeleteController(action_base.ActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((403, 404, 409))
    @validation.schema(schemas.restore)
    def restore(self, req, id, body):
        context, instance = self.instance(req, id, 'os_compute_api:os-deferred-delete:restore')
        with action_base.answers('restore', id):
            self.compute_api.restore(context, instance)
