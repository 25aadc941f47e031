"""Flavor and FlavorList against a real (SQLite) API database."""

from oslo_utils import uuidutils
import pytest

from nova import exception
from nova.objects import base
from nova.objects import flavor as flavor_obj


def _flavor(ctx, name='m1.small', **kwargs):
    values = {'name': name, 'memory_mb': 2048, 'vcpus': 1, 'root_gb': 20}
    values.update(kwargs)
    flavor = flavor_obj.Flavor(ctx, **values)
    flavor.create()
    return flavor


def _flavor_ids(flavors):
    return [flavor.flavorid for flavor in flavors]


def test_create_fills_defaults_and_generates_a_uuid_flavorid(admin_ctx):
    flavor = _flavor(admin_ctx)
    assert uuidutils.is_uuid_like(flavor.flavorid)
    assert (flavor.swap, flavor.ephemeral_gb, flavor.rxtx_factor) == (0, 0, 1.0)
    assert flavor.is_public is True and flavor.disabled is False
    assert flavor.extra_specs == {} and flavor.projects == []
    assert flavor.created_at is not None
    assert flavor.obj_what_changed() == set()


def test_create_keeps_given_flavorid_specs_and_projects(admin_ctx):
    _flavor(admin_ctx, flavorid='42', extra_specs={'hw:cpu_policy': 'dedicated'},
            projects=['p2', 'p1'], is_public=False, description='small one')
    loaded = flavor_obj.Flavor.get_by_flavor_id(admin_ctx, '42')
    assert loaded.extra_specs == {'hw:cpu_policy': 'dedicated'}
    assert loaded.projects == ['p1', 'p2']
    assert loaded.description == 'small one'
    assert loaded.is_public is False


def test_duplicate_name_and_flavorid_are_refused(admin_ctx):
    _flavor(admin_ctx, flavorid='1')
    with pytest.raises(exception.FlavorExists):
        _flavor(admin_ctx, flavorid='2')
    with pytest.raises(exception.FlavorIdExists):
        _flavor(admin_ctx, name='other', flavorid='1')
    assert _flavor_ids(flavor_obj.FlavorList.get_all(admin_ctx)) == ['1']


def test_create_twice_and_bad_input_are_refused(admin_ctx):
    flavor = _flavor(admin_ctx)
    with pytest.raises(exception.ObjectActionError):
        flavor.create()
    with pytest.raises(exception.InvalidInput):
        flavor_obj.Flavor(admin_ctx, memory_mb=1, vcpus=1).create()
    with pytest.raises(exception.InvalidInput):
        flavor_obj.Flavor(admin_ctx, name='zero', memory_mb=0, vcpus=1).create()
    with pytest.raises(exception.InvalidInput):
        flavor_obj.Flavor(admin_ctx, name='x' * 256, memory_mb=1, vcpus=1).create()
    with pytest.raises(exception.InvalidInput):
        _flavor(admin_ctx, name='specs', extra_specs={'k': 'v' * 256})
    with pytest.raises(ValueError):
        flavor_obj.Flavor(admin_ctx, name='neg', memory_mb=1, vcpus=1, root_gb=-1)
    assert len(flavor_obj.FlavorList.get_all(admin_ctx)) == 1


def test_lookups_and_not_found(admin_ctx):
    flavor = _flavor(admin_ctx, flavorid='abc')
    assert flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id).flavorid == 'abc'
    assert flavor_obj.Flavor.get_by_name(admin_ctx, 'm1.small').id == flavor.id
    with pytest.raises(exception.FlavorNotFound):
        flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id + 100)
    with pytest.raises(exception.FlavorNotFound):
        flavor_obj.Flavor.get_by_flavor_id(admin_ctx, 'nope')
    with pytest.raises(exception.FlavorNotFoundByName):
        flavor_obj.Flavor.get_by_name(admin_ctx, 'nope')


def test_private_flavors_are_visible_to_admins_and_sharing_projects_only(
        admin_ctx, user_ctx, other_ctx):
    _flavor(admin_ctx, 'public', flavorid='pub')
    _flavor(admin_ctx, 'shared', flavorid='shared', is_public=False, projects=['p1'])
    _flavor(admin_ctx, 'hidden', flavorid='hidden', is_public=False)
    assert flavor_obj.Flavor.get_by_flavor_id(user_ctx, 'shared').name == 'shared'
    with pytest.raises(exception.FlavorNotFound):
        flavor_obj.Flavor.get_by_flavor_id(other_ctx, 'shared')
    with pytest.raises(exception.FlavorNotFoundByName):
        flavor_obj.Flavor.get_by_name(user_ctx, 'hidden')
    assert _flavor_ids(flavor_obj.FlavorList.get_all(admin_ctx)) == ['hidden', 'pub', 'shared']
    assert _flavor_ids(flavor_obj.FlavorList.get_all(user_ctx)) == ['pub', 'shared']
    assert _flavor_ids(flavor_obj.FlavorList.get_all(other_ctx)) == ['pub']


def test_is_public_filter(admin_ctx, user_ctx):
    _flavor(admin_ctx, 'public', flavorid='pub')
    _flavor(admin_ctx, 'shared', flavorid='shared', is_public=False, projects=['p1'])
    _flavor(admin_ctx, 'hidden', flavorid='hidden', is_public=False)

    def listed(ctx, is_public):
        return _flavor_ids(flavor_obj.FlavorList.get_all(ctx, filters={'is_public': is_public}))

    assert listed(admin_ctx, True) == ['pub']  # the admin context has no project
    assert listed(admin_ctx, False) == ['hidden', 'shared']
    assert listed(admin_ctx, None) == ['hidden', 'pub', 'shared']
    assert listed(user_ctx, True) == ['pub', 'shared']
    assert listed(user_ctx, False) == ['shared']


def test_other_filters(admin_ctx):
    _flavor(admin_ctx, 'small', flavorid='s', memory_mb=512, root_gb=1)
    _flavor(admin_ctx, 'big', flavorid='b', memory_mb=8192, root_gb=80)
    _flavor(admin_ctx, 'off', flavorid='o', memory_mb=8192, root_gb=1, disabled=True)

    def listed(**filters):
        return _flavor_ids(flavor_obj.FlavorList.get_all(admin_ctx, filters=filters))

    assert listed(min_memory_mb=1024) == ['b', 'o']
    assert listed(min_root_gb=10) == ['b']
    assert listed(disabled=False) == ['b', 's']
    assert listed(disabled=True) == ['o']
    with pytest.raises(exception.InvalidInput):
        listed(flavor_type='gpu')


def test_sorting_and_paging_with_markers(admin_ctx, user_ctx):
    for number in range(1, 8):
        _flavor(admin_ctx, 'f%d' % number, flavorid=str(number), memory_mb=100 * (8 - number))
    _flavor(admin_ctx, 'secret', flavorid='9', is_public=False)

    def page(ctx, **kwargs):
        return _flavor_ids(flavor_obj.FlavorList.get_all(ctx, **kwargs))

    assert page(user_ctx, sort_key='memory_mb') == ['7', '6', '5', '4', '3', '2', '1']
    assert page(user_ctx, sort_key='name', sort_dir='desc') == \
        ['7', '6', '5', '4', '3', '2', '1']
    collected, marker = [], None
    while True:
        ids = page(user_ctx, limit=3, marker=marker)
        if not ids:
            break
        collected.extend(ids)
        marker = ids[-1]
    assert collected == ['1', '2', '3', '4', '5', '6', '7']
    assert page(user_ctx, sort_key='memory_mb', sort_dir='desc', limit=2, marker='3') == \
        ['4', '5']
    assert page(user_ctx, limit=0) == []
    with pytest.raises(exception.MarkerNotFound):
        page(user_ctx, marker='nope')
    with pytest.raises(exception.MarkerNotFound):  # not visible to this project
        page(user_ctx, marker='9')
    assert page(admin_ctx, marker='7') == ['9']
    with pytest.raises(exception.InvalidSortKey):
        page(user_ctx, sort_key='extra_specs')
    with pytest.raises(exception.InvalidInput):
        page(user_ctx, sort_dir='sideways')
    with pytest.raises(exception.InvalidInput):
        page(user_ctx, limit=-1)


def test_save_changes_description_specs_and_projects(admin_ctx):
    flavor = _flavor(admin_ctx, is_public=False, extra_specs={'a': '1', 'b': '2'},
                     projects=['p1'])
    flavor.description = 'new words'
    flavor.extra_specs['a'] = 'changed'  # in place: tracked against what was loaded
    del flavor.extra_specs['b']
    flavor.extra_specs['c'] = '3'
    flavor.projects.append('p2')
    flavor.projects.remove('p1')
    flavor.save()
    assert flavor.obj_what_changed() == set()
    loaded = flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id)
    assert loaded.description == 'new words'
    assert loaded.extra_specs == {'a': 'changed', 'c': '3'}
    assert loaded.projects == ['p2']
    assert loaded.updated_at is not None


def test_save_sends_only_differences_so_concurrent_edits_survive(admin_ctx):
    flavor = _flavor(admin_ctx, extra_specs={'a': '1'})
    other_copy = flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id)
    flavor.extra_specs['mine'] = 'x'
    other_copy.extra_specs['theirs'] = 'y'
    flavor.save()
    other_copy.save()
    assert flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id).extra_specs == \
        {'a': '1', 'mine': 'x', 'theirs': 'y'}


def test_save_refuses_read_only_fields_and_changes_nothing(admin_ctx):
    flavor = _flavor(admin_ctx)
    flavor.memory_mb = 1
    flavor.description = 'would be saved'
    with pytest.raises(exception.ObjectActionError):
        flavor.save()
    loaded = flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id)
    assert (loaded.memory_mb, loaded.description) == (2048, None)


def test_save_extra_specs_and_delete_one_key(admin_ctx):
    flavor = _flavor(admin_ctx, extra_specs={'a': '1', 'b': '2'})
    flavor.save_extra_specs({'a': '10', 'c': '3'}, ['b', 'already-gone'])
    assert flavor.extra_specs == {'a': '10', 'c': '3'}
    flavor.delete_extra_spec('a')
    assert flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id).extra_specs == {'c': '3'}
    with pytest.raises(exception.FlavorExtraSpecsNotFound):
        flavor.delete_extra_spec('a')
    # Re-adding a deleted key in one call works (no uniqueness clash).
    flavor.save_extra_specs({'c': 'again'}, ['c'])
    assert flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id).extra_specs == {'c': 'again'}


def test_add_and_remove_access(admin_ctx):
    flavor = _flavor(admin_ctx, is_public=False)
    flavor.add_access('p1')
    flavor.add_access('p2')
    assert flavor.projects == ['p1', 'p2']
    with pytest.raises(exception.FlavorAccessExists):
        flavor.add_access('p1')
    flavor.remove_access('p1')
    assert flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id).projects == ['p2']
    with pytest.raises(exception.FlavorAccessNotFound):
        flavor.remove_access('p1')
    flavor.projects.append('p3')
    with pytest.raises(exception.ObjectActionError):
        flavor.add_access('p4')


def test_destroy_removes_specs_and_access(admin_ctx):
    flavor = _flavor(admin_ctx, flavorid='gone', extra_specs={'a': '1'}, projects=['p1'])
    _flavor(admin_ctx, 'kept', flavorid='kept', extra_specs={'a': '1'})
    flavor.destroy()
    with pytest.raises(exception.FlavorNotFound):
        flavor_obj.Flavor.get_by_flavor_id(admin_ctx, 'gone')
    with pytest.raises(exception.FlavorNotFound):
        flavor.destroy()
    # The same name and flavorid can be used again.
    assert _flavor(admin_ctx, flavorid='gone').extra_specs == {}
    assert flavor_obj.Flavor.get_by_flavor_id(admin_ctx, 'kept').extra_specs == {'a': '1'}


def test_destroy_by_flavorid_only(admin_ctx):
    _flavor(admin_ctx, flavorid='7')
    flavor_obj.Flavor(admin_ctx, flavorid='7').destroy()
    assert len(flavor_obj.FlavorList.get_all(admin_ctx)) == 0


def test_primitive_round_trip_keeps_change_tracking(admin_ctx):
    flavor = _flavor(admin_ctx, extra_specs={'a': '1'}, projects=['p1'], is_public=False)
    copy = base.NovaObject.obj_from_primitive(flavor.obj_to_primitive())
    assert copy.obj_what_changed() == set()
    assert copy.extra_specs == {'a': '1'}
    flavor.extra_specs['b'] = '2'
    changed = base.NovaObject.obj_from_primitive(flavor.obj_to_primitive(), context=admin_ctx)
    assert changed.obj_what_changed() == {'extra_specs'}
    changed.save()
    assert flavor_obj.Flavor.get_by_id(admin_ctx, flavor.id).extra_specs == \
        {'a': '1', 'b': '2'}


def test_lazy_load_of_specs_and_projects(admin_ctx):
    flavor = _flavor(admin_ctx, extra_specs={'a': '1'}, projects=['p1'], is_public=False)
    partial = flavor_obj.Flavor(admin_ctx, id=flavor.id, flavorid=flavor.flavorid)
    assert partial.extra_specs == {'a': '1'}
    assert partial.projects == ['p1']
    with pytest.raises(exception.ObjectActionError):
        partial.memory_mb
