"""/os-availability-zone: the zones users can boot into, and (for admins) every zone's
hosts and services.

A zone is available when an enabled service is in it; zones only disabled services are in
are listed as not available. The internal zone (of the control services) is shown to admins
in the detailed list only.
"""

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import availability_zone as schemas
from nova.api.openstack.compute.views import availability_zone as views
from nova.compute import api as compute_api
import nova.conf
from nova.policy import authorize

CONF = nova.conf.CONF

LIST_RULE = 'os_compute_api:os-availability-zone:list'
DETAIL_RULE = 'os_compute_api:os-availability-zone:detail'

# API services have no heartbeat, so they would always look dead.
API_BINARIES = ('nova-osapi_compute', 'nova-metadata')


class AvailabilityZoneController:

    def __init__(self):
        self.host_api = compute_api.HostAPI()

    def _zones(self, context):
        """(enabled services, zones with an enabled service, the other zones)."""
        services = self.host_api.service_get_all(context.elevated())
        enabled = [s for s in services if not s.disabled]
        available = sorted({self.host_api.availability_zone(s) for s in enabled})
        unavailable = sorted({self.host_api.availability_zone(s) for s in services
                              if s.disabled} - set(available))
        return enabled, available, unavailable

    @wsgi.expected_errors(())
    @validation.query_schema(schemas.index_query, '2.1', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        context = req.environ['nova.context']
        authorize(context, LIST_RULE)
        _enabled, available, unavailable = self._zones(context)
        internal = CONF.internal_service_availability_zone
        return {'availabilityZoneInfo':
                [views.zone(name, True) for name in available if name != internal] +
                [views.zone(name, False) for name in unavailable if name != internal]}

    @wsgi.expected_errors(())
    @validation.query_schema(schemas.index_query, '2.1', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def detail(self, req):
        context = req.environ['nova.context']
        authorize(context, DETAIL_RULE)
        enabled, available, unavailable = self._zones(context)
        by_zone = {}
        for service in enabled:
            if service.binary in API_BINARIES:
                continue
            zone = by_zone.setdefault(self.host_api.availability_zone(service), {})
            zone.setdefault(service.host, []).append(service)
        return {'availabilityZoneInfo':
                [views.zone(name, True, {host: views.host_services(services)
                                         for host, services in by_zone.get(name, {}).items()})
                 for name in available] +
                [views.zone(name, False) for name in unavailable]}
