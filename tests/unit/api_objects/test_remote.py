"""The API-database objects work through an indirection API, as they do in every daemon
other than conductor: arguments, objects and results all cross a JSON round trip."""

from oslo_serialization import jsonutils
from oslo_utils import uuidutils
import pytest

from nova import exception
from nova.objects import base
from nova.objects import cell_mapping as cell_mapping_obj
from nova.objects import flavor as flavor_obj
from nova.objects import host_mapping as host_mapping_obj
from nova.objects import image as image_obj
from nova.objects import keypair as keypair_obj
from nova.objects import quotas as quotas_obj
from nova.objects import request_spec as request_spec_obj


class _LoopbackConductor:
    """Plays conductor: serialises everything like RPC, then runs the method locally."""

    def __init__(self):
        self.serializer = base.NovaObjectSerializer()
        self.calls = []

    def _wire(self, context, value):
        return self.serializer.deserialize_entity(context, jsonutils.loads(jsonutils.dumps(
            self.serializer.serialize_entity(context, value))))

    def _run_locally(self, function, *args, **kwargs):
        saved, base.NovaObject.indirection_api = base.NovaObject.indirection_api, None
        try:
            return function(*args, **kwargs)
        finally:
            base.NovaObject.indirection_api = saved

    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        self.calls.append(objname + '.' + objmethod)
        cls = base.NovaObjectRegistry.obj_classes()[objname][0]
        args, kwargs = self._wire(context, args), self._wire(context, kwargs)
        result = self._run_locally(getattr(cls, objmethod), context, *args, **kwargs)
        return self._wire(context, result)

    def object_action(self, context, objinst, objmethod, args, kwargs):
        self.calls.append(objinst.obj_name() + '.' + objmethod)
        objinst = self._wire(context, objinst)
        args, kwargs = self._wire(context, args), self._wire(context, kwargs)
        before = objinst.obj_clone()
        result = self._run_locally(getattr(objinst, objmethod), *args, **kwargs)
        updates = {}
        for name, field in objinst.fields.items():
            if name in objinst and (name not in before or
                                    getattr(before, name) != getattr(objinst, name)):
                updates[name] = field.to_primitive(objinst, name, getattr(objinst, name))
        updates['obj_what_changed'] = objinst.obj_what_changed()
        return updates, self._wire(context, result)


@pytest.fixture
def conductor(database):
    loopback = _LoopbackConductor()
    base.NovaObject.indirection_api = loopback
    yield loopback
    base.NovaObject.indirection_api = None


def test_flavor_through_conductor(conductor, admin_ctx):
    flavor = flavor_obj.Flavor(admin_ctx, name='m1.tiny', memory_mb=512, vcpus=1,
                               extra_specs={'a': '1', 'b': '2'}, is_public=False)
    flavor.create()
    assert flavor.id and flavor.obj_what_changed() == set()
    loaded = flavor_obj.Flavor.get_by_flavor_id(admin_ctx, flavor.flavorid)
    del loaded.extra_specs['a']  # deletions in place must survive the trip
    loaded.extra_specs['c'] = '3'
    loaded.projects.append('p1')
    loaded.description = 'remote'
    loaded.save()
    loaded.add_access('p2')
    with pytest.raises(exception.FlavorAccessExists):
        loaded.add_access('p2')
    assert loaded.projects == ['p1', 'p2']
    again = flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id)
    assert again.extra_specs == {'b': '2', 'c': '3'}
    assert (again.projects, again.description) == (['p1', 'p2'], 'remote')
    assert [f.flavorid for f in flavor_obj.FlavorList.get_all(admin_ctx)] == [flavor.flavorid]
    assert 'Flavor.save_extra_specs' in conductor.calls
    again.destroy()


def test_other_objects_through_conductor(conductor, admin_ctx, user_ctx):
    keypair_obj.KeyPair(user_ctx, name='k', user_id='u1', public_key='ssh-ed25519 A').create()
    assert [k.name for k in keypair_obj.KeyPairList.get_by_user(user_ctx, 'u1')] == ['k']
    assert keypair_obj.KeyPairList.get_count_by_user(user_ctx, 'u1') == 1

    cell = cell_mapping_obj.CellMapping(admin_ctx, uuid=uuidutils.generate_uuid(), name='c1',
                                        transport_url='rabbit://', database_connection='x')
    cell.create()
    host_mapping_obj.HostMapping(admin_ctx, host='h1', cell_mapping=cell).create()
    assert host_mapping_obj.HostMapping.get_by_host(admin_ctx, 'h1').cell_mapping.name == 'c1'

    spec = request_spec_obj.RequestSpec(admin_ctx, instance_uuid=uuidutils.generate_uuid(),
                                        image={'properties': {'os': 'linux'}},
                                        scheduler_hints={'group': ['g']})
    spec.create()
    loaded = request_spec_obj.RequestSpec.get_by_instance_uuid(admin_ctx, spec.instance_uuid)
    assert loaded.image == {'properties': {'os': 'linux'}}

    quotas_obj.Quotas.create_limit(admin_ctx, 'p1', 'cores', 8)
    assert quotas_obj.Quotas.get_all_by_project(admin_ctx, 'p1') == \
        {'project_id': 'p1', 'cores': 8}
    assert quotas_obj.Quotas.get_default_class(admin_ctx)['ram'] == 51200
    assert 'Quotas.get_default_class' in conductor.calls


def test_image_members_through_conductor(conductor, user_ctx, other_ctx):
    image = image_obj.ImageRecord.create_image(user_ctx, {
        'id': uuidutils.generate_uuid(), 'name': 'img', 'status': 'queued',
        'visibility': 'shared', 'owner': 'p1', 'min_disk': 0, 'min_ram': 0,
        'protected': False, 'os_hidden': False}, {}, [])
    member = image_obj.ImageMember.create_member(user_ctx, image.id, 'p2', limit=1)
    assert (member.member_id, member.status) == ('p2', 'pending')
    assert member.created_at == member.updated_at
    with pytest.raises(exception.ImageMemberExists):
        image_obj.ImageMember.create_member(user_ctx, image.id, 'p2')
    with pytest.raises(exception.ImageMemberLimitExceeded):
        image_obj.ImageMember.create_member(user_ctx, image.id, 'p3', limit=1)
    with pytest.raises(exception.InvalidImageMemberStatus):
        image_obj.ImageMember.update_status(other_ctx, image.id, 'p2', 'maybe')
    accepted = image_obj.ImageMember.update_status(other_ctx, image.id, 'p2', 'accepted')
    assert accepted.status == 'accepted'
    assert image_obj.ImageMember.get(other_ctx, image.id, 'p2').status == 'accepted'
    assert [m.member_id for m in image_obj.ImageMemberList.get_all(user_ctx, image.id)] == \
        ['p2']
    listed = image_obj.ImageRecordList.get_all(other_ctx, {}, ['created_at'], ['desc'])
    assert [i.id for i in listed] == [image.id]
    image_obj.ImageMember.destroy_member(user_ctx, image.id, 'p2')
    with pytest.raises(exception.ImageMemberNotFound):
        image_obj.ImageMember.get(user_ctx, image.id, 'p2')
    assert 'ImageMember.create_member' in conductor.calls
