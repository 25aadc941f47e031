"""RamFilter: only hosts with room for the flavor's RAM under the node's ram ratio."""

from nova.scheduler import filters
from nova.scheduler import utils


class RamFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        memory_mb = utils.requested_resources(spec_obj)[1]
        limit = host_state.total_usable_ram_mb * host_state.ram_allocation_ratio
        used = host_state.total_usable_ram_mb - host_state.free_ram_mb
        if limit - used < memory_mb:
            return False
        host_state.limits['memory_mb'] = limit
        return True
