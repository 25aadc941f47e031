"""RequestSpec: stored as its own JSON primitive and read back intact."""

import json

from oslo_utils import uuidutils
import pytest
import sqlalchemy as sa

from nova import exception
from nova.db import engines
from nova.objects import flavor as flavor_obj
from nova.objects import request_spec as request_spec_obj


@pytest.fixture
def flavor(admin_ctx):
    flavor = flavor_obj.Flavor(admin_ctx, name='m1.small', flavorid='2', memory_mb=2048,
                               vcpus=1, root_gb=20, extra_specs={'hw:cpu_policy': 'dedicated'})
    flavor.create()
    return flavor


def _full_spec(ctx, flavor, instance_uuid=None):
    return request_spec_obj.RequestSpec(
        ctx, instance_uuid=instance_uuid or uuidutils.generate_uuid(), project_id='p1',
        user_id='u1', flavor=flavor, num_instances=2, availability_zone='edge-a',
        image={'id': 'img-1', 'min_ram': 0, 'properties': {'hw_disk_bus': 'virtio',
                                                          'tags': ['a', 'b']}},
        scheduler_hints={'group': ['g1'], 'same_host': ['i1', 'i2']},
        ignore_hosts=['h9'], force_hosts=['h1'], force_nodes=['n1'],
        retry={'num_attempts': 1, 'hosts': [['h2', 'n2']]},
        instance_group={'uuid': 'grp', 'policies': ['anti-affinity'], 'members': []},
        security_groups=['default', 'web'], is_bfv=True,
        requested_destination={'host': 'h1', 'node': None})


def _stored_row(instance_uuid):
    with engines.get_engine('api_database').connect() as connection:
        return connection.execute(sa.text(
            'SELECT instance_uuid, spec FROM request_specs WHERE instance_uuid = :uuid'),
            {'uuid': instance_uuid}).one()


def test_round_trip_keeps_every_field(admin_ctx, flavor):
    spec = _full_spec(admin_ctx, flavor)
    spec.create()
    loaded = request_spec_obj.RequestSpec.get_by_instance_uuid(admin_ctx, spec.instance_uuid)
    for name in spec.fields:
        if name == 'flavor':
            continue
        assert getattr(loaded, name) == getattr(spec, name), name
    assert loaded.flavor.flavorid == '2'
    assert loaded.flavor.extra_specs == {'hw:cpu_policy': 'dedicated'}
    assert loaded.obj_what_changed() == set()


def test_stored_as_the_objects_json_primitive(admin_ctx, flavor):
    spec = _full_spec(admin_ctx, flavor)
    spec.create()
    row = _stored_row(spec.instance_uuid)
    primitive = json.loads(row.spec)
    assert primitive['nova_object.name'] == 'RequestSpec'
    assert primitive['nova_object.version'] == '1.0'
    data = primitive['nova_object.data']
    assert data['instance_uuid'] == spec.instance_uuid
    assert data['flavor']['nova_object.name'] == 'Flavor'
    assert data['image']['properties']['tags'] == ['a', 'b']
    assert 'id' not in data and 'created_at' not in data


def test_unset_fields_read_back_as_defaults(admin_ctx):
    spec = request_spec_obj.RequestSpec(admin_ctx, instance_uuid=uuidutils.generate_uuid())
    spec.create()
    loaded = request_spec_obj.RequestSpec.get_by_instance_uuid(admin_ctx, spec.instance_uuid)
    assert loaded.flavor is None and loaded.image is None and loaded.retry is None
    assert (loaded.num_instances, loaded.is_bfv, loaded.security_groups) == (1, False, [])
    assert loaded.scheduler_hints == {}
    assert loaded.get_scheduler_hint('group', 'none') == 'none'


def test_save_rewrites_the_spec(admin_ctx, flavor):
    spec = _full_spec(admin_ctx, flavor)
    spec.create()
    spec.ignore_hosts = ['h9', 'h8']
    spec.retry = {'num_attempts': 2, 'hosts': []}
    spec.image['properties']['hw_disk_bus'] = 'scsi'
    spec.save()
    loaded = request_spec_obj.RequestSpec.get_by_instance_uuid(admin_ctx, spec.instance_uuid)
    assert loaded.ignore_hosts == ['h9', 'h8']
    assert loaded.retry == {'num_attempts': 2, 'hosts': []}
    assert loaded.image['properties']['hw_disk_bus'] == 'scsi'
    assert loaded.updated_at is not None


def test_not_found_duplicate_and_destroy(admin_ctx, flavor):
    missing = uuidutils.generate_uuid()
    with pytest.raises(exception.RequestSpecNotFound):
        request_spec_obj.RequestSpec.get_by_instance_uuid(admin_ctx, missing)
    spec = _full_spec(admin_ctx, flavor)
    spec.create()
    with pytest.raises(exception.RequestSpecExists):
        _full_spec(admin_ctx, flavor, instance_uuid=spec.instance_uuid).create()
    with pytest.raises(exception.ObjectActionError):
        spec.create()
    spec.destroy()
    with pytest.raises(exception.RequestSpecNotFound):
        spec.destroy()
    with pytest.raises(exception.ObjectActionError):
        request_spec_obj.RequestSpec(admin_ctx).create()


def test_scheduler_hints_and_json_fields_validate(admin_ctx):
    spec = request_spec_obj.RequestSpec(
        admin_ctx, scheduler_hints={'group': ['g1'], 'different_host': ['a', 'b']})
    assert spec.get_scheduler_hint('group') == 'g1'
    assert spec.get_scheduler_hint('different_host') == ['a', 'b']
    with pytest.raises(ValueError):
        spec.image = ['not', 'a', 'dict']
    with pytest.raises(ValueError):
        spec.retry = {'hosts': {object()}}


def test_primitive_round_trip_over_rpc(admin_ctx, flavor):
    spec = _full_spec(admin_ctx, flavor)
    copy = request_spec_obj.RequestSpec.obj_from_primitive(spec.obj_to_primitive())
    assert copy.scheduler_hints == spec.scheduler_hints
    assert copy.image == spec.image
    assert copy.flavor.extra_specs == flavor.extra_specs


def test_specs_of_many_instances_at_once(admin_ctx, flavor):
    specs = [_full_spec(admin_ctx, flavor) for _ in range(3)]
    for spec in specs[:2]:
        spec.create()
    wanted = [spec.instance_uuid for spec in specs]
    found = request_spec_obj.RequestSpec.get_by_instance_uuids(admin_ctx, wanted)
    assert set(found) == set(wanted[:2])
    assert found[wanted[0]].availability_zone == 'edge-a'
    assert found[wanted[1]].scheduler_hints == {'group': ['g1'], 'same_host': ['i1', 'i2']}


def test_zones_and_hints_of_many_instances_at_once(admin_ctx, flavor):
    specs = [_full_spec(admin_ctx, flavor) for _ in range(3)]
    for spec in specs[:2]:
        spec.create()
    wanted = [spec.instance_uuid for spec in specs]
    found = request_spec_obj.RequestSpec.get_zones_and_hints(admin_ctx, wanted)
    assert set(found) == set(wanted[:2])
    assert found[wanted[0]] == ('edge-a', {'group': ['g1'], 'same_host': ['i1', 'i2']})


def test_zones_and_hints_follow_every_save(admin_ctx, flavor):
    spec = _full_spec(admin_ctx, flavor)
    spec.create()
    spec.availability_zone = 'edge-b'  # as an unshelve to another zone does
    spec.scheduler_hints = {}
    spec.save()
    found = request_spec_obj.RequestSpec.get_zones_and_hints(admin_ctx,
                                                             [spec.instance_uuid])
    assert found == {spec.instance_uuid: ('edge-b', {})}
    assert request_spec_obj.RequestSpec.get_by_instance_uuid(
        admin_ctx, spec.instance_uuid).availability_zone == 'edge-b'
