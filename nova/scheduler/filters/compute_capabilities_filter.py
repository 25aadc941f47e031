"""ComputeCapabilitiesFilter: flavor extra specs in the "capabilities:" scope (and
unscoped ones, as upstream) against the host state's attributes and stats.

A key walks into the host state: ``capabilities:cpu_info:arch`` reads
host_state.cpu_info['arch'], ``capabilities:hypervisor_type`` an attribute, and a key
that is no attribute is looked up in the node's stats.
"""

from oslo_serialization import jsonutils

from nova.scheduler import filters
from nova.scheduler import utils
from nova.scheduler.filters import extra_specs_ops

_SCOPE = 'capabilities'


def _capability(host_state, path):
    value = host_state
    for index, name in enumerate(path):
        if isinstance(value, str):
            try:
                value = jsonutils.loads(value)  # e.g. a JSON document inside the stats
            except ValueError:
                return None
        if isinstance(value, dict):
            value = value.get(name)
        elif index == 0:
            found = getattr(value, name, None)
            value = found if found is not None else host_state.stats.get(name)
        else:
            value = getattr(value, name, None)
        if value is None:
            return None
    return value


class ComputeCapabilitiesFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        for key, requirement in utils.extra_specs(spec_obj).items():
            path = key.split(':')
            if len(path) > 1:
                if path[0] != _SCOPE:
                    continue  # another filter's (or the driver's) extra spec
                path = path[1:]
            capability = _capability(host_state, path)
            if capability is None or not extra_specs_ops.match(str(capability),
                                                                requirement):
                return False
        return True
