"""``accel:``: accelerators managed by Cyborg."""

from nova.api.validation.extra_specs.base import string

SPECS = (
    string('accel:device_profile'),
)
