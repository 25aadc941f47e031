"""Network, FixedIP, FloatingIP and VirtualInterface against a real (SQLite) database."""

import netaddr
import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import fixed_ip as fixed_obj
from nova.objects import floating_ip as floating_obj
from nova.objects import network as network_obj
from nova.objects import virtual_interface as vif_obj
from tests.unit.objects.test_instance import make_instance

Network = network_obj.Network
FixedIP = fixed_obj.FixedIP
FloatingIP = floating_obj.FloatingIP
VirtualInterface = vif_obj.VirtualInterface


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_network(ctx, vlan=100, cidr='10.0.0.0/29', **kwargs):
    network = Network(context=ctx, label='net%d' % vlan, vlan=vlan, cidr=cidr,
                      gateway=str(netaddr.IPNetwork(cidr)[1]), bridge='br%d' % vlan, **kwargs)
    network.create()
    addresses = [{'address': str(ip), 'network_id': network.id,
                  'reserved': index < 2} for index, ip in enumerate(netaddr.IPNetwork(cidr))]
    fixed_obj.FixedIPList.bulk_create(ctx, addresses)
    return network


def test_network_crud(ctx):
    network = make_network(ctx)
    assert Network.get_by_uuid(ctx, network.uuid).cidr == netaddr.IPNetwork('10.0.0.0/29')
    assert str(Network.get_by_id(ctx, network.id).gateway) == '10.0.0.1'
    with pytest.raises(exception.DuplicateVlan):
        make_network(ctx, vlan=100, cidr='10.1.0.0/29')
    network.host = 'h1'
    network.save()
    assert [n.id for n in network_obj.NetworkList.get_by_host(ctx, 'h1')] == [network.id]
    assert [n.id for n in network_obj.NetworkList.get_by_uuids(ctx, [network.uuid])] == \
        [network.id]
    with pytest.raises(exception.NetworkNotFound):
        Network.get_by_id(ctx, 999)


def test_project_association(ctx):
    first, second = make_network(ctx, 100), make_network(ctx, 101, '10.0.1.0/29')
    assert Network.associate(ctx, 'p1').id == first.id
    assert Network.associate(ctx, 'p1').id == first.id  # keeps its network
    assert Network.associate(ctx, 'p2').id == second.id
    with pytest.raises(exception.NetworkNotFound):
        Network.associate(ctx, 'p3')
    Network.disassociate(ctx, first.id, project=True)
    assert [n.id for n in network_obj.NetworkList.get_by_project(ctx, 'p2')] == [second.id]
    assert Network.associate(ctx, 'p3').id == first.id


def test_fixed_ip_pool_allocation(ctx):
    network = make_network(ctx)
    instance = make_instance(ctx)
    taken = set()
    for _ in range(6):  # 8 addresses, 2 reserved
        taken.add(str(FixedIP.associate_pool(ctx, network.id, instance.uuid, host='h1')
                      .address))
    assert len(taken) == 6 and '10.0.0.0' not in taken
    with pytest.raises(exception.NoMoreFixedIps):
        FixedIP.associate_pool(ctx, network.id, instance.uuid)
    assert len(fixed_obj.FixedIPList.get_by_instance_uuid(ctx, instance.uuid)) == 6
    FixedIP.disassociate_by_address(ctx, '10.0.0.5')
    assert str(FixedIP.associate_pool(ctx, network.id, instance.uuid).address) == '10.0.0.5'


def test_fixed_ip_associate_specific(ctx):
    network = make_network(ctx)
    first, second = make_instance(ctx), make_instance(ctx)
    fixed = FixedIP.associate(ctx, '10.0.0.3', first.uuid, network_id=network.id)
    assert fixed.instance_uuid == first.uuid
    with pytest.raises(exception.FixedIpAlreadyInUse):
        FixedIP.associate(ctx, '10.0.0.3', second.uuid)
    with pytest.raises(exception.FixedIpNotFoundForAddress):
        FixedIP.associate(ctx, '192.0.2.1', second.uuid)
    fixed.disassociate()
    assert FixedIP.get_by_address(ctx, '10.0.0.3').instance_uuid is None


def test_network_in_use_cannot_be_deleted(ctx):
    network = make_network(ctx)
    instance = make_instance(ctx)
    vif = VirtualInterface(context=ctx, address='fa:16:3e:00:00:01', network_id=network.id,
                           instance_uuid=instance.uuid)
    vif.create()
    fixed = FixedIP.associate_pool(ctx, network.id, instance.uuid, vif_id=vif.id)
    assert fixed.allocated
    with pytest.raises(exception.NetworkInUse):
        network.destroy()
    fixed.disassociate()
    network.destroy()
    with pytest.raises(exception.FixedIpNotFoundForAddress):
        FixedIP.get_by_address(ctx, str(fixed.address))


def test_virtual_interfaces(ctx):
    network = make_network(ctx)
    instance = make_instance(ctx)
    vif = VirtualInterface(context=ctx, address='fa:16:3e:00:00:02', network_id=network.id,
                           instance_uuid=instance.uuid)
    vif.create()
    assert VirtualInterface.get_by_address(ctx, 'fa:16:3e:00:00:02').uuid == vif.uuid
    assert VirtualInterface.get_by_instance_and_network(ctx, instance.uuid,
                                                        network.id).id == vif.id
    assert VirtualInterface.get_by_instance_and_network(ctx, instance.uuid, 999) is None
    with pytest.raises(exception.VirtualInterfaceMacAddressException):
        VirtualInterface(context=ctx, address='fa:16:3e:00:00:02',
                         instance_uuid=instance.uuid).create()
    VirtualInterface.delete_by_instance_uuid(ctx, instance.uuid)
    assert len(vif_obj.VirtualInterfaceList.get_by_instance_uuid(ctx, instance.uuid)) == 0
    with pytest.raises(exception.VirtualInterfaceNotFound):
        VirtualInterface.get_by_uuid(ctx, vif.uuid)


def test_floating_ips(ctx):
    network = make_network(ctx)
    instance = make_instance(ctx)
    floating_obj.FloatingIPList.bulk_create(
        ctx, [{'address': '203.0.113.%d' % i, 'pool': 'public'} for i in (1, 2)])
    with pytest.raises(exception.FloatingIpExists):
        FloatingIP(context=ctx, address='203.0.113.1', pool='public').create()
    first = FloatingIP.allocate_address(ctx, 'p1', 'public')
    FloatingIP.allocate_address(ctx, 'p1', 'public')
    with pytest.raises(exception.NoMoreFloatingIps):
        FloatingIP.allocate_address(ctx, 'p1', 'public')
    assert len(floating_obj.FloatingIPList.get_by_project(ctx, 'p1')) == 2

    fixed = FixedIP.associate_pool(ctx, network.id, instance.uuid)
    assert FloatingIP.associate(ctx, first.address, fixed.address, 'h1').id == fixed.id
    assert [f.id for f in floating_obj.FloatingIPList.get_by_fixed_ip_id(ctx, fixed.id)] == \
        [first.id]
    with pytest.raises(exception.FloatingIpAssociated):
        FloatingIP.deallocate(ctx, first.address)
    assert FloatingIP.disassociate(ctx, first.address).id == fixed.id
    with pytest.raises(exception.FloatingIpNotAssociated):
        FloatingIP.disassociate(ctx, first.address)
    FloatingIP.deallocate(ctx, first.address)
    assert FloatingIP.get_by_address(ctx, first.address).project_id is None
    with pytest.raises(exception.FloatingIpNotFoundForAddress):
        FloatingIP.get_by_address(ctx, '198.51.100.1')
