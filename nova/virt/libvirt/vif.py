"""Guest NICs from network_info: the <interface> of each VIF, and its host side.

A VIF is upstream's network model entry (a dict): ``id``, ``address`` (the guest's MAC),
``type``, ``devname`` (host device name), ``network`` (``bridge``, ``meta.mtu``) and
``details``. Types:

- ``bridge``: libvirt creates the tap and enslaves it to ``network.bridge``; plugging
  makes sure the bridge exists (creating it, labelled as nova's, if missing).
- ``tap`` / ``ethernet``: the guest gets a tap device nova creates (``managed='no'``);
  plugging creates it, unplugging deletes it.
"""

import json
import logging
import os

from nova import exception
import nova.privsep.linux_net
from nova.virt.libvirt import config as vconfig

LOG = logging.getLogger(__name__)

VIF_TYPE_BRIDGE = 'bridge'
VIF_TYPE_TAP = 'tap'
VIF_TYPE_ETHERNET = 'ethernet'
VIF_TYPES = (VIF_TYPE_BRIDGE, VIF_TYPE_TAP, VIF_TYPE_ETHERNET)
# Linux interface names hold 15 characters; upstream uses 'tap' + 11 of the VIF id.
NIC_NAME_LEN = 14
# The alias (ifalias) of bridges nova created, so it removes only those, once empty.
CREATED_BRIDGE_ALIAS = 'nova: created for guest NICs'


def network_info_of(instance, network_info):
    """The VIFs the driver should use: those it was handed, else the instance's cached
    network info (a JSON list), else none."""
    if network_info:
        return list(network_info)
    cache = instance.info_cache if instance.obj_attr_is_set('info_cache') else None
    raw = cache.network_info if cache is not None else None
    if not raw:
        return []
    vifs = json.loads(raw) if isinstance(raw, str) else raw
    return list(vifs or [])


def devname(vif):
    return vif.get('devname') or ('tap' + vif['id'])[:NIC_NAME_LEN]


def mtu(vif):
    network = vif.get('network') or {}
    value = (network.get('meta') or {}).get('mtu') or network.get('mtu') or vif.get('mtu')
    return int(value) if value else None


def bridge(vif):
    return (vif.get('network') or {}).get('bridge')


def check(vif):
    """Raise a clear error for a VIF this driver cannot give a guest."""
    kind = vif.get('type')
    if kind not in VIF_TYPES:
        raise exception.NovaException('VIF %s has type %r; the libvirt driver supports %s'
                                      % (vif.get('id'), kind, ', '.join(VIF_TYPES)))
    if not vif.get('address') or not vif.get('id'):
        raise exception.NovaException('VIF %r has no id or MAC address' % vif)
    if kind == VIF_TYPE_BRIDGE and not bridge(vif):
        raise exception.NovaException('Bridge VIF %s names no network bridge' % vif['id'])


def interface_config(vif, model):
    """The libvirt <interface> of ``vif`` with NIC model ``model`` (hw_vif_model)."""
    check(vif)
    if vif['type'] == VIF_TYPE_BRIDGE:
        return vconfig.GuestInterface(vif['address'], net_type='bridge',
                                      source_dev=bridge(vif), target_dev=devname(vif),
                                      model=model, mtu=mtu(vif))
    return vconfig.GuestInterface(vif['address'], net_type='ethernet',
                                  target_dev=devname(vif), model=model, mtu=mtu(vif))


def _exists(name):
    return os.path.exists(os.path.join('/sys/class/net', name))


def _bridge_ports(name):
    try:
        return os.listdir(os.path.join('/sys/class/net', name, 'brif'))
    except FileNotFoundError:
        return []


def _alias(name):
    try:
        with open(os.path.join('/sys/class/net', name, 'ifalias')) as f:
            return f.read().strip()
    except OSError:
        return ''


def plug(instance, vif):
    check(vif)
    if vif['type'] == VIF_TYPE_BRIDGE:
        name = bridge(vif)
        if not _exists(name):
            LOG.info('Creating bridge %s for VIF %s of %s', name, vif['id'], instance.uuid)
            nova.privsep.linux_net.add_bridge(name, mtu(vif), CREATED_BRIDGE_ALIAS)
        return
    dev = devname(vif)
    if not _exists(dev):
        details = vif.get('details') or {}
        nova.privsep.linux_net.add_tap(dev, mtu(vif), details.get('tap_mac_address'))
    elif mtu(vif):
        nova.privsep.linux_net.set_mtu(dev, mtu(vif))


def unplug(instance, vif):
    """Undo ``plug``: delete nova's tap device, and a bridge nova created once no port is
    left on it. Never fails the caller: a leftover device is logged."""
    try:
        check(vif)
        if vif['type'] == VIF_TYPE_BRIDGE:
            name = bridge(vif)
            if _exists(name) and _alias(name) == CREATED_BRIDGE_ALIAS \
                    and not _bridge_ports(name):
                nova.privsep.linux_net.delete_device(name)
            return
        if _exists(devname(vif)):
            nova.privsep.linux_net.delete_device(devname(vif))
    except Exception:
        LOG.exception('Could not unplug VIF %s of %s', vif.get('id'), instance.uuid)


def plug_all(instance, vifs):
    for vif in vifs:
        plug(instance, vif)


def unplug_all(instance, vifs):
    for vif in vifs:
        unplug(instance, vif)
