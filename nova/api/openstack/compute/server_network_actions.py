"""addFloatingIp/removeFloatingIp (2.1-2.43) and addSecurityGroup/removeSecurityGroup.

This cloud has no network service yet, so none of them can be done: they answer a clear
error and change nothing, rather than pretend. From 2.44 upstream removed the floating IP
actions (404)."""

import webob.exc

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas
from nova.i18n import _

_NO_FLOATING_IPS = _('Floating IP %s cannot be associated or disassociated: this cloud has '
                     'no network service providing floating IPs.')
_NO_SECURITY_GROUPS = _('Security group %s cannot be added to or removed from a server: this '
                        'cloud has no network service enforcing security groups.')


class ServerNetworkActionsController(action_base.ActionController):

    @wsgi.api_version('2.1', '2.43')
    @wsgi.expected_errors((400, 403, 404))
    @validation.schema(schemas.add_floating_ip)
    def add_floating_ip(self, req, id, body):
        self.instance(req, id, 'os_compute_api:os-floating-ips:add')
        raise webob.exc.HTTPBadRequest(
            explanation=_NO_FLOATING_IPS % body['addFloatingIp']['address'])

    @wsgi.api_version('2.1', '2.43')
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.remove_floating_ip)
    def remove_floating_ip(self, req, id, body):
        self.instance(req, id, 'os_compute_api:os-floating-ips:remove')
        raise webob.exc.HTTPBadRequest(
            explanation=_NO_FLOATING_IPS % body['removeFloatingIp']['address'])

    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.add_security_group)
    def add_security_group(self, req, id, body):
        self.instance(req, id, 'os_compute_api:os-security-groups:add')
        raise webob.exc.HTTPConflict(
            explanation=_NO_SECURITY_GROUPS % body['addSecurityGroup']['name'])

    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.remove_security_group)
    def remove_security_group(self, req, id, body):
        self.instance(req, id, 'os_compute_api:os-security-groups:remove')
        raise webob.exc.HTTPConflict(
            explanation=_NO_SECURITY_GROUPS % body['removeSecurityGroup']['name'])
