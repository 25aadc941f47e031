"""DiskFilter: only hosts with room for the flavor's root and ephemeral disk under the
node's disk ratio."""

from nova.scheduler import filters
from nova.scheduler import utils


class DiskFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        disk_mb = utils.requested_resources(spec_obj)[2] * 1024
        limit_mb = host_state.total_usable_disk_gb * 1024 * host_state.disk_allocation_ratio
        if limit_mb - host_state.disk_mb_used < disk_mb:
            return False
        host_state.limits['disk_gb'] = limit_mb / 1024
        return True
