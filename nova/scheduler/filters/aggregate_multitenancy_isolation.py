"""AggregateMultiTenancyIsolation: hosts in aggregates with ``filter_tenant_id`` metadata
(or keys starting with ``filter_tenant_id``; comma-separated project ids) take only those
projects' instances. Hosts outside such aggregates take anyone's."""

from nova.scheduler import filters

_KEY = 'filter_tenant_id'


class AggregateMultiTenancyIsolation(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        allowed = set()
        for key, values in host_state.aggregate_metadata.items():
            if key.startswith(_KEY):
                for value in values:
                    allowed.update(p.strip() for p in value.split(',') if p.strip())
        if not allowed:
            return True
        project_id = spec_obj.project_id if 'project_id' in spec_obj else None
        return project_id in allowed
