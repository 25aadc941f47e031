"""Known extra specs without a namespace (other keys without one are not checked)."""

from nova.api.validation.extra_specs.base import boolean
from nova.api.validation.extra_specs.base import enum

SPECS = (
    boolean('hide_hypervisor_id'),
    # How granular resource groups may share providers.
    enum('group_policy', 'isolate', 'none'),
)
