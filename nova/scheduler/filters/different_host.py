"""DifferentHostFilter: with the scheduler hint different_host (instance uuids), only
hosts that run none of those instances."""

from nova.scheduler import filters
from nova.scheduler import utils


class DifferentHostFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        avoided = utils.hint_list(spec_obj, 'different_host')
        return not host_state.instances.intersection(avoided)
