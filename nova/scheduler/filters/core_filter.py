"""CoreFilter: only hosts with room for the flavor's vCPUs under the node's cpu ratio."""

from nova.scheduler import filters
from nova.scheduler import utils


class CoreFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        vcpus = utils.requested_resources(spec_obj)[0]
        if not host_state.vcpus_total:
            return True  # a driver that does not report vCPUs cannot be judged
        limit = host_state.vcpus_total * host_state.cpu_allocation_ratio
        if limit - host_state.vcpus_used < vcpus:
            return False
        host_state.limits['vcpu'] = limit
        return True
