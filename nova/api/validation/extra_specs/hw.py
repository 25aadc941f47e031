"""``hw:``: guest hardware (CPU pinning and topology, NUMA, huge pages, devices)."""

from nova.api.validation.extra_specs.base import boolean
from nova.api.validation.extra_specs.base import enum
from nova.api.validation.extra_specs.base import integer
from nova.api.validation.extra_specs.base import string

# A CPU set such as "0-3,^2,6".
CPU_SET = r'\^?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*'
NODE_ID = r'\d+'

SPECS = (
    # CPU pinning and realtime
    enum('hw:cpu_policy', 'dedicated', 'shared', 'mixed'),
    enum('hw:cpu_thread_policy', 'prefer', 'isolate', 'require'),
    enum('hw:emulator_threads_policy', 'isolate', 'share'),
    string('hw:cpu_dedicated_mask', CPU_SET),
    boolean('hw:cpu_realtime'),
    string('hw:cpu_realtime_mask', CPU_SET),
    boolean('hw:hide_hypervisor_id'),
    # memory
    string('hw:mem_page_size', r'(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)'),
    boolean('hw:locked_memory'),
    boolean('hw:mem_encryption'),
    # NUMA
    integer('hw:numa_nodes', min=1),
    string('hw:numa_cpus.{id}', CPU_SET, id=NODE_ID),
    integer('hw:numa_mem.{id}', min=1, id=NODE_ID),
    enum('hw:pci_numa_affinity_policy', 'required', 'preferred', 'legacy', 'socket'),
    # CPU topology
    integer('hw:cpu_sockets', min=1),
    integer('hw:cpu_cores', min=1),
    integer('hw:cpu_threads', min=1),
    integer('hw:max_cpu_sockets', min=1),
    integer('hw:max_cpu_cores', min=1),
    integer('hw:max_cpu_threads', min=1),
    enum('hw:maxphysaddr_mode', 'passthrough', 'emulate'),
    integer('hw:maxphysaddr_bits', min=1),
    # devices and features
    boolean('hw:boot_menu'),
    string('hw:pmem', r'([a-zA-Z0-9_]+(,)?)+'),
    boolean('hw:pmu'),
    integer('hw:serial_port_count', min=0),
    enum('hw:tpm_model', 'tpm-tis', 'tpm-crb'),
    enum('hw:tpm_version', '1.2', '2.0'),
    enum('hw:watchdog_action', 'none', 'pause', 'poweroff', 'reset', 'disabled'),
    boolean('hw:vif_multiqueue_enabled'),
    boolean('hw:virtio_packed_ring'),
    enum('hw:viommu_model', 'intel', 'smmuv3', 'virtio', 'auto'),
    boolean('hw:ephemeral_encryption'),
    enum('hw:ephemeral_encryption_format', 'luks'),
)
