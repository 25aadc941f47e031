"""CPUWeigher: free vCPUs under the node's cpu allocation ratio (cpu_weight_multiplier)."""

import nova.conf
from nova.scheduler import weights

CONF = nova.conf.CONF


class CPUWeigher(weights.BaseHostWeigher):
    def weight_multiplier(self, host_state):
        return CONF.filter_scheduler.cpu_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.vcpus_total * host_state.cpu_allocation_ratio - \
            host_state.vcpus_used
