"""What the REST API asks of the compute layer.

``HostAPI`` covers services (and later hosts); the instance API joins this module later.
Everything goes through objects, so in nova-api it runs in conductor over RPC.
"""

from oslo_utils import uuidutils

from nova import exception
import nova.conf
from nova.objects import service as service_obj

CONF = nova.conf.CONF

COMPUTE_BINARY = 'nova-compute'


class HostAPI:
    """Services: list, look up, update and delete their records."""

    def service_get_all(self, context, filters=None):
        """Services matching ``filters``: ``host``, ``binary`` (exact) and ``disabled``."""
        filters = dict(filters or {})
        disabled = filters.pop('disabled', None)
        unknown = set(filters) - {'host', 'binary'}
        if unknown:
            raise ValueError('Unknown service filters: %s' % ', '.join(sorted(unknown)))
        services = service_obj.ServiceList.get_all(context, disabled=disabled)
        return [service for service in services
                if all(getattr(service, key) == value for key, value in filters.items())]

    def service_get_by_id_or_uuid(self, context, service_id):
        """A service by its uuid, or its integer id; ServiceNotFound if there is none."""
        if uuidutils.is_uuid_like(service_id):
            return service_obj.Service.get_by_uuid(context, service_id)
        try:
            numeric_id = int(str(service_id))
        except ValueError:
            raise exception.ServiceNotFound(service_id=service_id)
        return service_obj.Service.get_by_id(context, numeric_id)

    def service_get_by_host_and_binary(self, context, host, binary):
        service = service_obj.Service.get_by_host_and_binary(context, host, binary)
        if service is None:
            raise exception.HostBinaryNotFound(host=host, binary=binary)
        return service

    def service_update(self, context, service, values=None):
        """Apply ``values`` (field: value) to ``service`` and save what changed."""
        for key, value in (values or {}).items():
            setattr(service, key, value)
        service.save()
        return service

    def service_delete(self, context, service_id):
        """Delete a service record (a compute service also loses its compute nodes).

        A compute service still hosting instances is refused (ComputeServiceInUse): its
        instances would lose their host's records.
        """
        service = self.service_get_by_id_or_uuid(context, service_id)
        if service.binary == COMPUTE_BINARY:
            # Imported here: the instance objects are not needed for anything else here.
            from nova.objects import instance as instance_obj
            if len(instance_obj.InstanceList.get_by_host(context, service.host)):
                raise exception.ComputeServiceInUse(host=service.host)
        service.destroy()

    @staticmethod
    def availability_zone(service):
        """The zone a service is shown in (host aggregates will refine this for computes)."""
        if service.binary == COMPUTE_BINARY:
            return CONF.default_availability_zone
        return CONF.internal_service_availability_zone
