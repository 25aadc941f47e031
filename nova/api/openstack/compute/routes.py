"""The route table of the Compute API v2.1: ``(path, {METHOD: (Controller, action)})``.

Every path is also reachable under ``/{project_id}``. Keep the table sorted by resource.
"""

from nova.api.openstack import router
from nova.api.openstack.compute import services
from nova.api.openstack.compute import versions

ROUTE_LIST = (
    ('', {'GET': (versions.VersionsController, 'show')}),
    ('/', {'GET': (versions.VersionsController, 'show')}),
    ('/os-services', {'GET': (services.ServiceController, 'index')}),
    ('/os-services/{id}', {'PUT': (services.ServiceController, 'update'),
                           'DELETE': (services.ServiceController, 'delete')}),
)


class APIRouterV21(router.APIRouter):
    """The paste app ``osapi_compute_app_v21``."""

    def __init__(self):
        super().__init__(ROUTE_LIST)
