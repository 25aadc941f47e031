"""Linux network devices for guests' NICs: bridges and tap devices (CAP_NET_ADMIN)."""

import subprocess

import nova.privsep


def _ip(*args):
    result = subprocess.run(('ip',) + args, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError('ip %s failed: %s' % (' '.join(args), result.stderr.strip()))
    return result.stdout


@nova.privsep.sys_admin_pctxt.entrypoint
def add_bridge(name, mtu=None, alias=None):
    """Create bridge ``name`` (up), labelled with ``alias`` so its creator knows it."""
    _ip('link', 'add', 'name', name, 'type', 'bridge')
    if alias:
        _ip('link', 'set', 'dev', name, 'alias', alias)
    if mtu:
        _ip('link', 'set', 'dev', name, 'mtu', str(mtu))
    _ip('link', 'set', 'dev', name, 'up')


@nova.privsep.sys_admin_pctxt.entrypoint
def add_tap(name, mtu=None, mac=None):
    """Create tap device ``name`` (up) for a guest NIC libvirt does not manage."""
    _ip('tuntap', 'add', 'dev', name, 'mode', 'tap')
    if mac:
        _ip('link', 'set', 'dev', name, 'address', mac)
    if mtu:
        _ip('link', 'set', 'dev', name, 'mtu', str(mtu))
    _ip('link', 'set', 'dev', name, 'up')


@nova.privsep.sys_admin_pctxt.entrypoint
def set_mtu(name, mtu):
    _ip('link', 'set', 'dev', name, 'mtu', str(mtu))


@nova.privsep.sys_admin_pctxt.entrypoint
def delete_device(name):
    _ip('link', 'delete', 'dev', name)
