"""``quota:``: CPU, disk and network limits applied by the virt driver."""

from nova.api.validation.extra_specs.base import integer
from nova.api.validation.extra_specs.base import string

# Shares, limits and reservations per resource (the VMware driver's names).
_SHARED = tuple(
    spec
    for resource in ('cpu', 'memory', 'disk_io', 'vif')
    for spec in (integer('quota:%s_limit' % resource),
                 integer('quota:%s_reservation' % resource),
                 string('quota:%s_shares_level' % resource),
                 integer('quota:%s_shares_share' % resource)))

# CPU bandwidth control (libvirt cputune).
_CPU = tuple(integer('quota:cpu_%s' % name, min=0) for name in ('shares', 'period', 'quota'))

# Disk I/O throttling (libvirt iotune).
_DISK = tuple(integer('quota:disk_%s_%s_sec' % (stat, metric), min=0)
              for stat in ('read', 'write', 'total') for metric in ('bytes', 'iops'))

# Interface bandwidth (libvirt).
_VIF = tuple(integer('quota:vif_%s_%s' % (direction, metric), min=0)
             for direction in ('inbound', 'outbound')
             for metric in ('average', 'peak', 'burst'))

SPECS = _SHARED + _CPU + _DISK + _VIF
