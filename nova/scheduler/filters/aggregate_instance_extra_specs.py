"""AggregateInstanceExtraSpecsFilter: flavor extra specs (unscoped or in the
"aggregate_instance_extra_specs:" scope) against the metadata of the host's aggregates.

As upstream: a flavor without such specs passes everywhere; with them, a host passes only
when its aggregates carry each key with a matching value (a host in no aggregate fails).
"""

from nova.scheduler import filters
from nova.scheduler import utils
from nova.scheduler.filters import extra_specs_ops

_SCOPE = 'aggregate_instance_extra_specs'


class AggregateInstanceExtraSpecsFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        metadata = None
        for key, requirement in utils.extra_specs(spec_obj).items():
            scope, _colon, name = key.partition(':')
            if name:
                if scope != _SCOPE:
                    continue  # another filter's (or the driver's) extra spec
            else:
                name = scope
            if metadata is None:
                metadata = host_state.aggregate_metadata
            values = metadata.get(name)
            if not values or not any(extra_specs_ops.match(value, requirement)
                                     for value in values):
                return False
        return True
