"""Guest NICs from network_info; the host side (privsep's ip commands) is the faked edge."""

import json
from xml.etree import ElementTree as etree

import pytest

from nova import exception
from nova import objects
from nova.privsep import linux_net
from nova.virt.libvirt import vif as vif_mod

VIF_ID = '5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f'


def _vif(kind='bridge', **values):
    vif = {'id': VIF_ID, 'address': 'fa:16:3e:11:22:33', 'type': kind,
           'network': {'bridge': 'br-test', 'meta': {'mtu': 1450}}}
    vif.update(values)
    return vif


def _instance(info_cache=None):
    instance = objects.Instance(uuid='a4f0c0b6-1111-4222-8333-444455556666')
    if info_cache is not None:
        instance.info_cache = objects.InstanceInfoCache(
            instance_uuid=instance.uuid, network_info=info_cache)
    return instance


def test_bridge_vif_interface():
    nic = etree.fromstring(vif_mod.interface_config(_vif(), 'virtio').to_xml())
    assert nic.get('type') == 'bridge'
    assert nic.find('mac').get('address') == 'fa:16:3e:11:22:33'
    assert nic.find('source').get('bridge') == 'br-test'
    # tap + the first 11 characters of the VIF id, as upstream names them
    assert nic.find('target').get('dev') == 'tap5f0c1d2e-3a'
    assert nic.find('model').get('type') == 'virtio'
    assert nic.find('mtu').get('size') == '1450'


@pytest.mark.parametrize('kind', ['tap', 'ethernet'])
def test_tap_vif_interface_uses_devname(kind):
    nic = etree.fromstring(vif_mod.interface_config(
        _vif(kind, devname='tapcustom', network={'mtu': 1400}), 'e1000').to_xml())
    assert nic.get('type') == 'ethernet'
    assert nic.find('target').attrib == {'dev': 'tapcustom', 'managed': 'no'}
    assert nic.find('model').get('type') == 'e1000'
    assert nic.find('mtu').get('size') == '1400'


@pytest.mark.parametrize('vif', [
    _vif('ovs'), _vif(address=None), _vif(network={}), {'type': 'bridge'}])
def test_unsupported_or_incomplete_vifs_fail_clearly(vif):
    with pytest.raises(exception.NovaException):
        vif_mod.check(vif)


def test_network_info_from_arguments_then_info_cache():
    cached = [_vif(id='cached-vif-0000')]
    instance = _instance(json.dumps(cached))
    assert vif_mod.network_info_of(instance, [_vif()]) == [_vif()]
    assert vif_mod.network_info_of(instance, []) == cached
    assert vif_mod.network_info_of(instance, None) == cached
    assert vif_mod.network_info_of(_instance(), []) == []
    assert vif_mod.network_info_of(_instance(''), []) == []


@pytest.fixture
def host(monkeypatch):
    """The host's network devices: {name: {'alias':, 'ports': []}}; privsep calls
    recorded."""
    devices, calls = {}, []

    def add_bridge(name, mtu=None, alias=None):
        calls.append(('add_bridge', name, mtu, alias))
        devices[name] = {'alias': alias or '', 'ports': []}

    def add_tap(name, mtu=None, mac=None):
        calls.append(('add_tap', name, mtu, mac))
        devices[name] = {'alias': '', 'ports': []}

    def delete_device(name):
        calls.append(('delete', name))
        del devices[name]

    monkeypatch.setattr(linux_net, 'add_bridge', add_bridge)
    monkeypatch.setattr(linux_net, 'add_tap', add_tap)
    monkeypatch.setattr(linux_net, 'set_mtu', lambda n, m: calls.append(('mtu', n, m)))
    monkeypatch.setattr(linux_net, 'delete_device', delete_device)
    monkeypatch.setattr(vif_mod, '_exists', lambda name: name in devices)
    monkeypatch.setattr(vif_mod, '_alias', lambda name: devices[name]['alias'])
    monkeypatch.setattr(vif_mod, '_bridge_ports', lambda name: devices[name]['ports'])
    return devices, calls


def test_plug_creates_a_missing_bridge_and_unplug_removes_it_once_empty(host):
    devices, calls = host
    vif_mod.plug(_instance(), _vif())
    assert calls == [('add_bridge', 'br-test', 1450, vif_mod.CREATED_BRIDGE_ALIAS)]
    vif_mod.plug(_instance(), _vif())  # exists now: nothing more
    assert len(calls) == 1
    devices['br-test']['ports'].append('tapother')
    vif_mod.unplug(_instance(), _vif())
    assert 'br-test' in devices  # another guest still uses it
    devices['br-test']['ports'].clear()
    vif_mod.unplug(_instance(), _vif())
    assert 'br-test' not in devices


def test_unplug_keeps_a_bridge_nova_did_not_create(host):
    devices, calls = host
    devices['br-test'] = {'alias': '', 'ports': []}
    vif_mod.plug(_instance(), _vif())
    vif_mod.unplug(_instance(), _vif())
    assert calls == [] and 'br-test' in devices


def test_tap_vifs_get_their_own_device(host):
    devices, calls = host
    vif = _vif('tap', details={'tap_mac_address': 'fe:16:3e:11:22:33'})
    vif_mod.plug(_instance(), vif)
    assert calls == [('add_tap', 'tap5f0c1d2e-3a', 1450, 'fe:16:3e:11:22:33')]
    vif_mod.plug(_instance(), vif)
    assert calls[-1] == ('mtu', 'tap5f0c1d2e-3a', 1450)
    vif_mod.unplug(_instance(), vif)
    assert devices == {}


def test_unplug_failures_are_logged_not_raised(host, monkeypatch, caplog):
    devices, _calls = host
    devices['tap5f0c1d2e-3a'] = {'alias': '', 'ports': []}

    def broken(name):
        raise RuntimeError('ip link delete failed')
    monkeypatch.setattr(linux_net, 'delete_device', broken)
    vif_mod.unplug(_instance(), _vif('tap'))
    assert 'Could not unplug' in caplog.text
