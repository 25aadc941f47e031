"""DiskWeigher: free local disk (disk_weight_multiplier)."""

import nova.conf
from nova.scheduler import weights

CONF = nova.conf.CONF


class DiskWeigher(weights.BaseHostWeigher):
    def weight_multiplier(self, host_state):
        return CONF.filter_scheduler.disk_weight_multiplier

    def _weigh_object(self, host_state, spec_obj):
        return host_state.free_disk_mb
