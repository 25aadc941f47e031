"""Soft (anti-)affinity weighers: members of a "soft-affinity" group prefer hosts with
more members, of a "soft-anti-affinity" group hosts with fewer. Other requests score 0."""

import nova.conf
from nova.scheduler import utils
from nova.scheduler import weights

CONF = nova.conf.CONF


def _members_on(host_state, group):
    count = len(host_state.instances & group.members)
    return max(count, 1) if host_state.host in group.hosts else count


class _SoftGroupWeigher(weights.BaseHostWeigher):
    policy = None
    sign = 1

    def _weigh_object(self, host_state, spec_obj):
        group = utils.server_group(spec_obj)
        if group is None or group.policy != self.policy:
            return 0
        return self.sign * _members_on(host_state, group)


class ServerGroupSoftAffinityWeigher(_SoftGroupWeigher):
    policy = 'soft-affinity'

    def weight_multiplier(self, host_state):
        return CONF.filter_scheduler.soft_affinity_weight_multiplier


class ServerGroupSoftAntiAffinityWeigher(_SoftGroupWeigher):
    policy = 'soft-anti-affinity'
    sign = -1

    def weight_multiplier(self, host_state):
        return CONF.filter_scheduler.soft_anti_affinity_weight_multiplier
