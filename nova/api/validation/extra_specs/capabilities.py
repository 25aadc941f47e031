"""``capabilities:``: matched against host state by the ComputeCapabilitiesFilter.

Values are filter expressions (">= 4", "s== x86_64", "<in> avx", plain values), so any
string is accepted; only the capability names are checked.
"""

from nova.api.validation.extra_specs.base import string

# Attributes of a compute node and of the scheduler's host state.
_FLAT = (
    'id', 'uuid', 'service_id', 'host', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
    'memory_mb_used', 'local_gb_used', 'hypervisor_type', 'hypervisor_version',
    'hypervisor_hostname', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms',
    'disk_available_least', 'host_ip', 'mapped', 'cpu_allocation_ratio',
    'ram_allocation_ratio', 'disk_allocation_ratio', 'total_usable_ram_mb',
    'total_usable_disk_gb', 'disk_mb_used', 'free_disk_mb', 'vcpus_total', 'num_instances',
    'num_io_ops', 'failed_builds', 'aggregates', 'cell_uuid', 'updated',
)
# Attributes holding structures, addressed as capabilities:cpu_info:features and so on.
_NESTED = (
    'cpu_info', 'metrics', 'stats', 'numa_topology', 'supported_hv_specs',
    'pci_device_pools', 'nodename', 'pci_stats', 'supported_instances', 'limits',
    'instances',
)

SPECS = tuple(string('capabilities:%s' % name) for name in _FLAT) + tuple(
    string('capabilities:%s{path}' % name, path=r'(:\w+)*') for name in _NESTED)
