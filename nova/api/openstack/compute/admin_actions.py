"""Administrators' server actions: os-resetState, injectNetworkInfo, and resetNetwork,
which upstream removed in 23.0.0 (Wallaby) with the Xen driver and answers 410 Gone."""

import webob.exc

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas
from nova.compute import vm_states
from nova.i18n import _

RULE = 'os_compute_api:os-admin-actions:%s'

STATES = {'active': vm_states.ACTIVE, 'error': vm_states.ERROR}


class AdminActionsController(action_base.ActionController):

    @wsgi.response(202)
    @wsgi.expected_errors(404)
    @validation.schema(schemas.reset_state)
    def reset_state(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'reset_state')
        self.compute_api.reset_state(context, instance,
                                     STATES[body['os-resetState']['state']])

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409))
    @validation.schema(schemas.inject_network_info)
    def inject_network_info(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'inject_network_info')
        with action_base.answers('injectNetworkInfo', id):
            self.compute_api.inject_network_info(context, instance)

    @wsgi.expected_errors(410)
    @validation.schema(schemas.reset_network)
    def reset_network(self, req, id, body):
        raise webob.exc.HTTPGone(explanation=_(
            'resetNetwork only worked with the Xen virt driver; upstream removed it in '
            'the 23.0.0 (Wallaby) release.'))
