"""BuildRequest: an instance stored as its object primitive until a cell takes it."""

from oslo_utils import uuidutils
import pytest

from nova import exception
from nova.objects import build_request as build_request_obj
from nova.objects import flavor as flavor_obj

instance_obj = pytest.importorskip('nova.objects.instance')


def _instance(project_id='p1', name='vm', **kwargs):
    flavor = flavor_obj.Flavor(id=1, flavorid='1', name='m1.tiny', memory_mb=512, vcpus=1,
                               root_gb=1, ephemeral_gb=0, swap=0, rxtx_factor=1.0,
                               vcpu_weight=None, disabled=False, is_public=True,
                               extra_specs={'a': 'b'}, projects=[], description=None)
    kwargs.setdefault('vm_state', 'building')
    return instance_obj.Instance(uuid=uuidutils.generate_uuid(), project_id=project_id,
                                 user_id='u1', display_name=name,
                                 memory_mb=512, vcpus=1, flavor=flavor,
                                 metadata={'role': 'edge'}, **kwargs)


def _build_request(ctx, instance, **kwargs):
    build_request = build_request_obj.BuildRequest(ctx, instance=instance, **kwargs)
    build_request.create()
    return build_request


def test_create_and_read_back_the_instance(user_ctx):
    instance = _instance()
    created = _build_request(user_ctx, instance, tags=['blue', 'green'])
    assert (created.instance_uuid, created.project_id) == (instance.uuid, 'p1')
    loaded = build_request_obj.BuildRequest.get_by_instance_uuid(user_ctx, instance.uuid)
    assert loaded.tags == ['blue', 'green']
    assert loaded.block_device_mappings is None
    assert isinstance(loaded.instance, instance_obj.Instance)
    assert loaded.instance.display_name == 'vm'
    assert loaded.instance.metadata == {'role': 'edge'}
    assert loaded.instance.flavor.extra_specs == {'a': 'b'}
    assert loaded.instance.created_at == loaded.created_at
    assert loaded.instance.obj_what_changed() == set()


def test_not_found_duplicate_and_destroy(user_ctx):
    with pytest.raises(exception.BuildRequestNotFound):
        build_request_obj.BuildRequest.get_by_instance_uuid(user_ctx,
                                                            uuidutils.generate_uuid())
    instance = _instance()
    created = _build_request(user_ctx, instance)
    with pytest.raises(exception.BuildRequestExists):
        _build_request(user_ctx, instance)
    with pytest.raises(exception.ObjectActionError):
        created.create()
    with pytest.raises(exception.ObjectActionError):
        build_request_obj.BuildRequest(user_ctx, project_id='p1').create()
    created.destroy()
    with pytest.raises(exception.BuildRequestNotFound):
        created.destroy()


def test_get_by_filters(admin_ctx, user_ctx, other_ctx):
    mine = [_build_request(user_ctx, _instance(name=name, vm_state=state))
            for name, state in (('web-1', 'building'), ('web-2', 'error'), ('db-1', 'building'))]
    _build_request(other_ctx, _instance(project_id='p2', name='web-3'))

    def names(ctx, filters=None, **kwargs):
        return [br.instance.display_name for br in
                build_request_obj.BuildRequestList.get_by_filters(ctx, filters or {}, **kwargs)]

    # Newest first by default; non-admins see only their project, whatever they ask for.
    assert names(user_ctx) == ['db-1', 'web-2', 'web-1']
    assert sorted(names(user_ctx, {'project_id': 'p2'})) == ['db-1', 'web-1', 'web-2']
    assert sorted(names(admin_ctx)) == ['db-1', 'web-1', 'web-2', 'web-3']
    assert names(admin_ctx, {'project_id': 'p2'}) == ['web-3']
    assert sorted(names(user_ctx, {'name': '^web'})) == ['web-1', 'web-2']
    assert names(user_ctx, {'vm_state': 'error'}) == ['web-2']
    assert sorted(names(user_ctx, {'vm_state': ['error', 'building']})) == \
        ['db-1', 'web-1', 'web-2']
    assert names(user_ctx, {'uuid': mine[0].instance_uuid}) == ['web-1']
    assert names(user_ctx, {'deleted': True}) == []
    assert names(user_ctx, {'host': 'compute1'}) == []
    by_name = ['db-1', 'web-1', 'web-2']
    assert names(user_ctx, sort_keys=['display_name'], sort_dirs=['asc']) == by_name
    assert names(user_ctx, sort_keys=['display_name'], sort_dirs=['desc']) == by_name[::-1]
    first = build_request_obj.BuildRequestList.get_by_filters(
        user_ctx, {}, limit=2, sort_keys=['display_name'], sort_dirs=['asc'])
    assert [br.instance.display_name for br in first] == by_name[:2]
    assert names(user_ctx, limit=2, marker=first[-1].instance_uuid,
                 sort_keys=['display_name'], sort_dirs=['asc']) == by_name[2:]
    with pytest.raises(exception.MarkerNotFound):
        names(user_ctx, marker=uuidutils.generate_uuid())
    with pytest.raises(exception.InvalidInput):
        names(user_ctx, sort_keys=['display_name'], sort_dirs=['up'])


def test_get_all(admin_ctx, user_ctx, other_ctx):
    _build_request(user_ctx, _instance())
    _build_request(other_ctx, _instance(project_id='p2'))
    assert [br.project_id for br in build_request_obj.BuildRequestList.get_all(user_ctx)] == \
        ['p1']
    assert len(build_request_obj.BuildRequestList.get_all(admin_ctx)) == 2
