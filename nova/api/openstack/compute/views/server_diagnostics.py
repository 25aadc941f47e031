"""The body of GET /servers/{id}/diagnostics from microversion 2.48: every field, always.

Before 2.48 the body is whatever the driver reports (a flat dict), shown as it is.
"""

FIELDS = ('state', 'driver', 'hypervisor', 'hypervisor_os', 'uptime', 'config_drive',
          'num_cpus', 'num_nics', 'num_disks', 'memory_details', 'cpu_details',
          'nic_details', 'disk_details')
_MEMORY = ('maximum', 'used')
_CPU = ('id', 'time', 'utilisation')
_NIC = ('mac_address', 'rx_octets', 'rx_errors', 'rx_drop', 'rx_packets', 'rx_rate',
        'tx_octets', 'tx_errors', 'tx_drop', 'tx_packets', 'tx_rate')
_DISK = ('read_bytes', 'read_requests', 'write_bytes', 'write_requests', 'errors_count')


def _pick(values, keys):
    values = values or {}
    return {key: values.get(key) for key in keys}


def standardized(diagnostics):
    """The 2.48 body from a driver's Diagnostics.to_dict(): what it cannot tell is null."""
    body = _pick(diagnostics, FIELDS)
    body['config_drive'] = bool(body['config_drive'])
    body['memory_details'] = _pick(body['memory_details'], _MEMORY)
    for field, keys in (('cpu_details', _CPU), ('nic_details', _NIC),
                        ('disk_details', _DISK)):
        body[field] = [_pick(item, keys) for item in body[field] or []]
    for count, field in (('num_cpus', 'cpu_details'), ('num_nics', 'nic_details'),
                         ('num_disks', 'disk_details')):
        if body[count] is None:
            body[count] = len(body[field])
    return body
