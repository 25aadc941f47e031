"""``hw_video:``: the guest's video device."""

from nova.api.validation.extra_specs.base import integer

SPECS = (
    integer('hw_video:ram_max_mb', min=0),
)
