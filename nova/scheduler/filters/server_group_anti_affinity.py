"""ServerGroupAntiAffinityFilter: members of an "anti-affinity" group go to hosts with
fewer than max_server_per_host (rule; default 1) members already."""

from nova.scheduler import filters
from nova.scheduler import utils


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        group = utils.server_group(spec_obj)
        if group is None or group.policy != 'anti-affinity':
            return True
        limit = int(group.rules.get('max_server_per_host', 1))
        members_here = len(host_state.instances & group.members)
        if host_state.host in group.hosts:
            members_here = max(members_here, 1)
        return members_here < limit
