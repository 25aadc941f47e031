"""``aggregate_instance_extra_specs:``: matched against host aggregate metadata by the
AggregateInstanceExtraSpecsFilter; any key and value."""

from nova.api.validation.extra_specs.base import string

SPECS = (
    string('aggregate_instance_extra_specs:{key}', key=r'.+'),
)
