"""``pci_passthrough:``: PCI devices, by the aliases of [pci] alias, to pass through."""

from nova.api.validation.extra_specs.base import string

SPECS = (
    # "alias:count[, alias:count...]"
    string('pci_passthrough:alias', r'[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*'),
)
