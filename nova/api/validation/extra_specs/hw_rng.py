"""``hw_rng:``: the guest's virtio random number generator."""

from nova.api.validation.extra_specs.base import boolean
from nova.api.validation.extra_specs.base import integer

SPECS = (
    boolean('hw_rng:allowed'),
    integer('hw_rng:rate_bytes', min=0),
    integer('hw_rng:rate_period', min=0),
)
