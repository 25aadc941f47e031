"""RAMWeigher: free RAM. A positive ram_weight_multiplier spreads instances over hosts,
a negative one stacks them."""

import nova.conf
from nova.scheduler import weights

CONF = nova.conf.CONF


class RAMWeigher(weights.BaseHostWeigher):
    def weight_multiplier(self, host_state):
        return CONF.filter_scheduler.ram_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.free_ram_mb
