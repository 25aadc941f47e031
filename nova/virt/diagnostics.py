"""Standardized guest diagnostics: what a driver reports for GET /servers/{id}/diagnostics
from microversion 2.48 on.

A driver fills a Diagnostics and nova-compute sends ``to_dict()`` back over the bus (plain
JSON types). A value the driver cannot know stays None; the API shows it as null.
"""

import dataclasses

# The API's closed list of driver names.
DRIVERS = ('libvirt', 'xenapi', 'vmwareapi', 'ironic', 'hyperv')


@dataclasses.dataclass
class CpuDiagnostics:
    id: int = None
    time: int = None           # CPU time in nanoseconds
    utilisation: int = None    # percent


@dataclasses.dataclass
class NicDiagnostics:
    mac_address: str = None
    rx_octets: int = None
    rx_errors: int = None
    rx_drop: int = None
    rx_packets: int = None
    rx_rate: int = None
    tx_octets: int = None
    tx_errors: int = None
    tx_drop: int = None
    tx_packets: int = None
    tx_rate: int = None


@dataclasses.dataclass
class DiskDiagnostics:
    read_bytes: int = None
    read_requests: int = None
    write_bytes: int = None
    write_requests: int = None
    errors_count: int = None


@dataclasses.dataclass
class MemoryDiagnostics:
    maximum: int = None        # MiB
    used: int = None           # MiB


@dataclasses.dataclass
class Diagnostics:
    state: str = None          # a power state name: pending, running, paused, shutdown, ...
    driver: str = None         # one of DRIVERS
    hypervisor: str = None
    hypervisor_os: str = None
    uptime: int = None         # seconds the guest has been running
    config_drive: bool = False
    memory_details: MemoryDiagnostics = dataclasses.field(default_factory=MemoryDiagnostics)
    cpu_details: list = dataclasses.field(default_factory=list)
    nic_details: list = dataclasses.field(default_factory=list)
    disk_details: list = dataclasses.field(default_factory=list)

    def __post_init__(self):
        if self.driver is not None and self.driver not in DRIVERS:
            raise ValueError('driver must be one of %s, not %r' % (', '.join(DRIVERS),
                                                                  self.driver))

    def to_dict(self):
        """The API's body: the counts derive from the detail lists."""
        body = dataclasses.asdict(self)
        body['num_cpus'] = len(self.cpu_details)
        body['num_nics'] = len(self.nic_details)
        body['num_disks'] = len(self.disk_details)
        return body
