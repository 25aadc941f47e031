"""Host filters: does this host pass for this request?

Each filter is one small class in its own module with ``host_passes(host_state,
spec_obj)``; ``filter_all`` runs it over a list of hosts (a filter that needs one lookup per
request overrides that instead). ``all_filters`` lists every filter shipped here, the
default of [filter_scheduler] available_filters.
"""

from nova.scheduler import loadables

_MODULES = ('aggregate_instance_extra_specs', 'aggregate_multitenancy_isolation',
            'availability_zone_filter',
            'compute_capabilities_filter', 'compute_filter', 'core_filter', 'different_host',
            'disk_filter', 'image_props_filter', 'ram_filter', 'retry_filter', 'same_host',
            'server_group_affinity', 'server_group_anti_affinity')


class BaseHostFilter:
    """A scheduler host filter."""

    def host_passes(self, host_state, spec_obj):
        raise NotImplementedError()

    def filter_all(self, host_states, spec_obj):
        return [host for host in host_states if self.host_passes(host, spec_obj)]


def all_filters():
    """Every filter class shipped in nova.scheduler.filters."""
    return loadables.classes_in_modules(__name__, _MODULES, BaseHostFilter)
