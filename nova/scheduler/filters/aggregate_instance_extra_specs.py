"""AggregateInstanceExtraSpecsFilter: flavor extra specs (unscoped or in the
"aggregate_instance_extra_specs:" scope) against the metadata of the host's aggregates.

Host aggregates do not exist yet: a host with no aggregate metadata passes, so the filter
can be enabled today and starts to bite once aggregates carry metadata.
"""

from nova.scheduler import filters
from nova.scheduler import utils
from nova.scheduler.filters import extra_specs_ops

_SCOPE = 'aggregate_instance_extra_specs'


class AggregateInstanceExtraSpecsFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        metadata = host_state.aggregate_metadata
        if not metadata:
            return True
        for key, requirement in utils.extra_specs(spec_obj).items():
            scope, _colon, name = key.rpartition(':')
            if scope and scope != _SCOPE:
                continue
            values = metadata.get(name)
            if not values or not any(extra_specs_ops.match(value, requirement)
                                     for value in values):
                return False
        return True
