"""AvailabilityZoneFilter: only hosts in the requested availability zone."""

from nova.scheduler import filters


class AvailabilityZoneFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        zone = spec_obj.availability_zone if 'availability_zone' in spec_obj else None
        return not zone or host_state.availability_zone == zone
