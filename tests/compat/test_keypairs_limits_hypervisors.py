"""tempest.lib's key pair, limits, availability zone and hypervisor clients against a real
nova-all: every response is validated against tempest's JSON schemas for the microversion
in use (tempest has none for hypervisor details from 2.88; those are checked here)."""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import availability_zone_client  # noqa: E402
from tempest.lib.services.compute import hypervisor_client  # noqa: E402
from tempest.lib.services.compute import keypairs_client  # noqa: E402
from tempest.lib.services.compute import limits_client  # noqa: E402

from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402


def _client(cls, nova_all, token='admin:admin'):
    return cls(NoAuth2Provider(nova_all.compute_url, token=token), 'compute', 'RegionOne')


def _version(microversion):
    return tuple(int(x) for x in (microversion or '2.1').split('.'))


def _public_key():
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH,
                            serialization.PublicFormat.OpenSSH).decode()


# -- key pairs ----------------------------------------------------------------------------------

def test_keypair_lifecycle_matches_schema(nova_all, microversion):
    client = _client(keypairs_client.KeyPairsClient, nova_all, token='kp-user:kp-project')
    version = _version(microversion)
    name = 'compat-%s' % (microversion or 'none').replace('.', '-')
    if version < (2, 92):
        created = client.create_keypair(name=name)['keypair']
        assert created['private_key'].startswith('-----BEGIN')
    else:
        with pytest.raises(lib_exc.BadRequest):
            client.create_keypair(name=name)
        created = client.create_keypair(name=name, public_key=_public_key())['keypair']
        assert 'private_key' not in created
    assert created['user_id'] == 'kp-user'
    imported = client.create_keypair(name=name + '-imp', public_key=_public_key())['keypair']
    with pytest.raises(lib_exc.Conflict):
        client.create_keypair(name=name + '-imp', public_key=_public_key())

    listed = {k['keypair']['name']: k['keypair'] for k in client.list_keypairs()['keypairs']}
    assert listed[name]['fingerprint'] == created['fingerprint']
    assert listed[name + '-imp']['fingerprint'] == imported['fingerprint']
    shown = client.show_keypair(name)['keypair']
    assert (shown['name'], shown['user_id'], shown['public_key']) == \
        (name, 'kp-user', created['public_key'])
    if version >= (2, 2):
        assert shown['type'] == 'ssh'

    client.delete_keypair(name)
    client.delete_keypair(name + '-imp')
    with pytest.raises(lib_exc.NotFound):
        client.show_keypair(name)


def test_x509_keypair_matches_schema(nova_all, microversion):
    if _version(microversion) < (2, 2) or _version(microversion) >= (2, 92):
        pytest.skip('generated x509 certificates exist from 2.2 to 2.91')
    client = _client(keypairs_client.KeyPairsClient, nova_all)
    name = 'cert-%s' % microversion.replace('.', '-')
    created = client.create_keypair(name=name, type='x509')['keypair']
    assert created['type'] == 'x509' and 'BEGIN CERTIFICATE' in created['public_key']
    assert client.show_keypair(name)['keypair']['type'] == 'x509'
    client.delete_keypair(name)


def test_admin_manages_another_users_keypairs(nova_all, microversion):
    if _version(microversion) < (2, 10):
        pytest.skip('user_id arrives in 2.10')
    admin = _client(keypairs_client.KeyPairsClient, nova_all)
    user = _client(keypairs_client.KeyPairsClient, nova_all, token='other:kp-project')
    name = 'for-other-%s' % microversion.replace('.', '-')
    admin.create_keypair(name=name, user_id='other', public_key=_public_key())
    assert name in [k['keypair']['name'] for k in user.list_keypairs()['keypairs']]
    assert admin.show_keypair(name, user_id='other')['keypair']['user_id'] == 'other'
    with pytest.raises(lib_exc.Forbidden):
        user.list_keypairs(user_id='admin')
    admin.delete_keypair(name, user_id='other')
    with pytest.raises(lib_exc.NotFound):
        user.show_keypair(name)


def test_keypair_paging(nova_all, microversion):
    if _version(microversion) < (2, 35):
        pytest.skip('paging arrives in 2.35')
    client = _client(keypairs_client.KeyPairsClient, nova_all, token='pager:kp-project')
    names = ['page-%s-%d' % (microversion.replace('.', '-'), i) for i in range(3)]
    for name in names:
        client.create_keypair(name=name, public_key=_public_key())
    # tempest's schema has no keypairs_links (upstream sends them on full pages too), so
    # through its list call only pages that are not full ...
    page = client.list_keypairs(limit=4)['keypairs']
    assert [k['keypair']['name'] for k in page] == names
    rest = client.list_keypairs(marker=names[1])['keypairs']
    assert [k['keypair']['name'] for k in rest] == names[2:]
    # ... and a full one unvalidated.
    _resp, body = client.get('os-keypairs?limit=2')
    body = json.loads(body)
    assert [k['keypair']['name'] for k in body['keypairs']] == names[:2]
    assert body['keypairs_links'][0]['href'].endswith('marker=%s' % names[1])
    for name in names:
        client.delete_keypair(name)


# -- limits and availability zones ---------------------------------------------------------------

def test_limits_match_schema(nova_all, microversion):
    client = _client(limits_client.LimitsClient, nova_all, token='lim-user:lim-project')
    limits = client.show_limits()['limits']
    assert limits['rate'] == []
    assert limits['absolute']['maxTotalKeypairs'] == 100
    assert limits['absolute']['totalInstancesUsed'] == 0


def test_availability_zones_match_schema(nova_all, microversion):
    user = _client(availability_zone_client.AvailabilityZoneClient, nova_all,
                   token='az-user:az-project')
    zones = user.list_availability_zones()['availabilityZoneInfo']
    assert zones == [{'zoneName': 'nova', 'zoneState': {'available': True}, 'hosts': None}]
    admin = _client(availability_zone_client.AvailabilityZoneClient, nova_all)
    detail = {z['zoneName']: z for z in
              admin.list_availability_zones(detail=True)['availabilityZoneInfo']}
    assert set(detail['nova']['hosts']['edge1']) == {'nova-compute'}
    assert set(detail['internal']['hosts']['edge1']) == {'nova-conductor', 'nova-scheduler'}
    with pytest.raises(lib_exc.Forbidden):
        user.list_availability_zones(detail=True)


# -- hypervisors ----------------------------------------------------------------------------------

def test_hypervisors_match_schema(nova_all, microversion):
    client = _client(hypervisor_client.HypervisorClient, nova_all)
    version = _version(microversion)
    listed = client.list_hypervisors()['hypervisors']
    assert [h['hypervisor_hostname'] for h in listed] == ['edge1']
    hypervisor_id = listed[0]['id']
    assert isinstance(hypervisor_id, str if version >= (2, 53) else int)

    if version < (2, 88):
        detail = client.list_hypervisors(detail=True)['hypervisors'][0]
        assert detail['state'] == 'up' and detail['hypervisor_type'] == 'fake'
        shown = client.show_hypervisor(hypervisor_id)['hypervisor']
        assert shown['service']['host'] == 'edge1'
        stats = client.show_hypervisor_statistics()['hypervisor_statistics']
        assert stats['count'] == 1
        uptime = client.show_hypervisor_uptime(hypervisor_id)['hypervisor']
        assert 'load average' in uptime['uptime']
    else:
        # tempest has no 2.88 schemas: check the shape here.
        _resp, body = client.get('os-hypervisors/%s' % hypervisor_id)
        shown = json.loads(body)['hypervisor']
        assert 'vcpus' not in shown and 'cpu_info' not in shown
        assert 'load average' in shown['uptime']
        for path in ('os-hypervisors/statistics', 'os-hypervisors/%s/uptime' % hypervisor_id):
            with pytest.raises(lib_exc.NotFound):
                client.get(path)

    if version < (2, 53):
        assert client.search_hypervisor('edge')['hypervisors'][0]['id'] == hypervisor_id
        servers = client.list_servers_on_hypervisor('edge')['hypervisors']
        assert servers[0]['hypervisor_hostname'] == 'edge1'
        with pytest.raises(lib_exc.NotFound):
            client.search_hypervisor('nowhere')
    else:
        matched = client.list_hypervisors(hypervisor_hostname_pattern='edge',
                                          with_servers=True)['hypervisors']
        assert [h['id'] for h in matched] == [hypervisor_id]
        with pytest.raises(lib_exc.NotFound):
            client.list_hypervisors(hypervisor_hostname_pattern='nowhere')

    user = _client(hypervisor_client.HypervisorClient, nova_all, token='hv-user:hv-project')
    with pytest.raises(lib_exc.Forbidden):
        user.list_hypervisors()
