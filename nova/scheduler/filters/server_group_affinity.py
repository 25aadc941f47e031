"""ServerGroupAffinityFilter: members of an "affinity" group go where the group's
members already are (anywhere for the first)."""

from nova.scheduler import filters
from nova.scheduler import utils


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        group = utils.server_group(spec_obj)
        if group is None or group.policy != 'affinity' or not group.hosts:
            return True
        return host_state.host in group.hosts
