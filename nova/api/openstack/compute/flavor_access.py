"""Which projects may use a private flavor: GET /flavors/{flavor_id}/os-flavor-access and
the addTenantAccess / removeTenantAccess actions of POST /flavors/{id}/action (admin).

From 2.7 sharing a public flavor is refused (409): it is visible to everyone already.
"""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import flavors
from nova.api.openstack.compute.schemas import flavor_access as schemas
from nova.i18n import _
from nova.policy import authorize

LIST_RULE = 'os_compute_api:os-flavor-access'
ACTION_RULE = 'os_compute_api:os-flavor-access:%s'
PUBLIC_CONFLICT_MIN_VERSION = '2.7'


def _access_list(flavor):
    return {'flavor_access': [{'flavor_id': flavor.flavorid, 'tenant_id': project_id}
                              for project_id in flavor.projects]}


class FlavorAccessController:

    @wsgi.expected_errors(404)
    def index(self, req, flavor_id):
        context = req.environ['nova.context']
        authorize(context, LIST_RULE)
        flavor = flavors.get_flavor(context, flavor_id)
        if flavor.is_public:
            raise webob.exc.HTTPNotFound(
                explanation=_('Access list not available for public flavors.'))
        return _access_list(flavor)

    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.add_tenant_access)
    def add_tenant_access(self, req, id, body):
        context = req.environ['nova.context']
        authorize(context, ACTION_RULE % 'add_tenant_access')
        tenant = body['addTenantAccess']['tenant']
        flavor = flavors.get_flavor(context, id)
        if flavor.is_public and api_version_request.is_supported(
                req, PUBLIC_CONFLICT_MIN_VERSION):
            raise webob.exc.HTTPConflict(
                explanation=_('Can not add access to a public flavor.'))
        try:
            flavor.add_access(tenant)
        except exception.FlavorAccessExists as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except exception.FlavorNotFound as exc:  # deleted meanwhile
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        return _access_list(flavor)

    @wsgi.expected_errors((400, 403, 404))
    @validation.schema(schemas.remove_tenant_access)
    def remove_tenant_access(self, req, id, body):
        context = req.environ['nova.context']
        authorize(context, ACTION_RULE % 'remove_tenant_access')
        tenant = body['removeTenantAccess']['tenant']
        flavor = flavors.get_flavor(context, id)
        try:
            flavor.remove_access(tenant)
        except (exception.FlavorAccessNotFound, exception.FlavorNotFound) as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        return _access_list(flavor)


class FlavorActionController(wsgi.ActionDispatcher):
    """POST /flavors/{id}/action."""

    ACTIONS = {
        'addTenantAccess': (FlavorAccessController, 'add_tenant_access'),
        'removeTenantAccess': (FlavorAccessController, 'remove_tenant_access'),
    }
