"""ComputeFilter: only hosts whose nova-compute service is up and enabled."""

import logging

from nova.scheduler import filters

LOG = logging.getLogger(__name__)


class ComputeFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        if not host_state.enabled:
            LOG.debug('%s: compute service disabled or missing', host_state)
            return False
        if not host_state.is_up:
            LOG.debug('%s: compute service is down', host_state)
            return False
        return True
