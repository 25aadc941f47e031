"""SameHostFilter: with the scheduler hint same_host (instance uuids), only hosts that
run one of those instances."""

from nova.scheduler import filters
from nova.scheduler import utils


class SameHostFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        wanted = utils.hint_list(spec_obj, 'same_host')
        return not wanted or bool(host_state.instances.intersection(wanted))
