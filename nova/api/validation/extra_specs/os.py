"""``os:``: guest firmware features."""

from nova.api.validation.extra_specs.base import enum

SPECS = (
    enum('os:secure_boot', 'disabled', 'required'),
)
