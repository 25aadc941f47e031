"""Instance, InstanceList and InstanceFault against a real (SQLite) database."""

import datetime

from oslo_utils import timeutils
from oslo_utils import uuidutils
import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import flavor as flavor_obj
from nova.objects import instance as instance_obj
from nova.objects import instance_fault as fault_obj

Instance = instance_obj.Instance
InstanceList = instance_obj.InstanceList


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_flavor(**kwargs):
    values = dict(id=1, name='m1.small', memory_mb=2048, vcpus=1, root_gb=20, ephemeral_gb=0,
                  flavorid='2', swap=0, rxtx_factor=1.0, vcpu_weight=None, disabled=False,
                  is_public=True, extra_specs={'hw:cpu_policy': 'shared'})
    values.update(kwargs)
    return flavor_obj.Flavor(**values)


def make_instance(ctx, **kwargs):
    values = dict(project_id='p1', user_id='u1', host='h1', node='n1', vm_state='active',
                  task_state=None, vcpus=1, memory_mb=512, display_name='vm')
    values.update(kwargs)
    instance = Instance(context=ctx, **values)
    instance.create()
    return instance


def test_create_with_children_and_read_back(ctx):
    instance = make_instance(ctx, metadata={'role': 'db'},
                             system_metadata={'image_min_ram': '0'}, flavor=make_flavor(),
                             access_ip_v4='192.0.2.5')
    assert uuidutils.is_uuid_like(instance.uuid)
    assert instance.obj_what_changed() == set()
    again = Instance.get_by_uuid(ctx, instance.uuid)
    assert again.id == instance.id
    assert again.metadata == {'role': 'db'}
    assert again.system_metadata == {'image_min_ram': '0'}
    assert again.flavor.name == 'm1.small'
    assert again.flavor.extra_specs == {'hw:cpu_policy': 'shared'}
    assert again.old_flavor is None and again.new_flavor is None
    assert str(again.access_ip_v4) == '192.0.2.5'
    assert again.info_cache.network_info is None
    assert again.deleted is False
    assert Instance.get_by_id(ctx, instance.id).uuid == instance.uuid


def test_name_uses_the_id(ctx):
    instance = make_instance(ctx)
    assert instance.name == 'instance-%08x' % instance.id


def test_not_found(ctx):
    with pytest.raises(exception.InstanceNotFound):
        Instance.get_by_uuid(ctx, uuidutils.generate_uuid())
    with pytest.raises(exception.InstanceNotFound):
        Instance.get_by_id(ctx, 4242)


def test_duplicate_uuid_refused(ctx):
    instance = make_instance(ctx)
    with pytest.raises(exception.InstanceExists):
        make_instance(ctx, uuid=instance.uuid)


def test_bad_metadata_refused_and_nothing_written(ctx):
    with pytest.raises(exception.InvalidInput):
        make_instance(ctx, metadata={'k': 'x' * 256})
    assert len(InstanceList.get_by_filters(ctx, {})) == 0


def test_save_changes_fields_and_metadata(ctx):
    instance = make_instance(ctx, metadata={'a': '1', 'b': '2'})
    instance.display_name = 'renamed'
    instance.metadata = {'b': '3', 'c': '4'}
    instance.save()
    again = Instance.get_by_uuid(ctx, instance.uuid)
    assert again.display_name == 'renamed'
    assert again.metadata == {'b': '3', 'c': '4'}
    assert again.updated_at is not None


def test_save_flavor_and_info_cache(ctx):
    instance = make_instance(ctx, flavor=make_flavor())
    instance.new_flavor = make_flavor(id=2, name='m1.large', memory_mb=8192)
    instance.info_cache.network_info = '[{"address": "fa:16:3e:00:00:01"}]'
    instance.save()
    again = Instance.get_by_uuid(ctx, instance.uuid)
    assert again.flavor.name == 'm1.small'
    assert again.new_flavor.name == 'm1.large'
    assert again.info_cache.network_info == '[{"address": "fa:16:3e:00:00:01"}]'


def test_save_compare_and_swap_on_task_state(ctx):
    instance = make_instance(ctx)
    # Two workers hold copies; both try to move the instance from no task to a task.
    first = Instance.get_by_uuid(ctx, instance.uuid)
    second = Instance.get_by_uuid(ctx, instance.uuid)
    first.task_state = 'rebooting'
    first.save(expected_task_state=[None])
    second.task_state = 'rebuilding'
    second.display_name = 'must not be written'
    with pytest.raises(exception.UnexpectedTaskStateError) as raised:
        second.save(expected_task_state=[None])
    assert raised.value.kwargs['actual'] == 'rebooting'
    current = Instance.get_by_uuid(ctx, instance.uuid)
    assert current.task_state == 'rebooting' and current.display_name == 'vm'
    # A single expected value works as well as a list.
    current.task_state = None
    current.save(expected_task_state='rebooting')
    assert Instance.get_by_uuid(ctx, instance.uuid).task_state is None


def test_save_reports_deleting(ctx):
    instance = make_instance(ctx, task_state='deleting')
    instance.task_state = 'rebooting'
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        instance.save(expected_task_state=[None])


def test_save_compare_and_swap_on_vm_state(ctx):
    instance = make_instance(ctx, vm_state='stopped')
    instance.vm_state = 'active'
    with pytest.raises(exception.UnexpectedVMStateError):
        instance.save(expected_vm_state=['error'])
    instance.save(expected_vm_state=['stopped'])
    assert Instance.get_by_uuid(ctx, instance.uuid).vm_state == 'active'


def test_save_of_deleted_instance_not_found(ctx):
    instance = make_instance(ctx)
    stale = Instance.get_by_uuid(ctx, instance.uuid)
    instance.destroy()
    stale.display_name = 'x'
    with pytest.raises(exception.InstanceNotFound):
        stale.save()


def test_destroy_soft_deletes_instance_and_children(ctx):
    instance = make_instance(ctx, metadata={'a': '1'})
    instance.destroy()
    assert instance.deleted is True and instance.deleted_at is not None
    with pytest.raises(exception.InstanceNotFound):
        Instance.get_by_uuid(ctx, instance.uuid)
    gone = Instance.get_by_uuid(nova_context.get_admin_context(read_deleted='yes'),
                                instance.uuid)
    assert gone.deleted is True and gone.metadata == {}
    with pytest.raises(exception.InstanceNotFound):
        instance.destroy()


def test_destroy_refused_when_host_changed(ctx):
    instance = make_instance(ctx, host='h1')
    moved = Instance.get_by_uuid(ctx, instance.uuid)
    moved.host = 'h2'
    moved.save()
    with pytest.raises(exception.ObjectActionError):
        instance.destroy()
    assert Instance.get_by_uuid(ctx, instance.uuid).deleted is False


def test_fault_is_lazy_and_latest(ctx):
    instance = make_instance(ctx)
    assert instance.fault is None
    for code in (500, 409):
        fault_obj.InstanceFault(context=ctx, instance_uuid=instance.uuid, code=code,
                                message='m%d' % code + 'x' * 300, host='h1').create()
    again = Instance.get_by_uuid(ctx, instance.uuid, expected_attrs=['fault'])
    assert again.fault.code == 409
    assert len(again.fault.message) == 255
    lazy = Instance.get_by_uuid(ctx, instance.uuid)
    assert not lazy.obj_attr_is_set('fault')
    assert lazy.fault.code == 409
    faults = fault_obj.InstanceFaultList.get_by_instance_uuids(ctx, [instance.uuid])
    assert [f.code for f in faults] == [409, 500]


def test_fault_for_unknown_instance_refused(ctx):
    with pytest.raises(exception.InstanceNotFound):
        fault_obj.InstanceFault(context=ctx, instance_uuid=uuidutils.generate_uuid(),
                                code=500).create()


# -- InstanceList --------------------------------------------------------------------------

@pytest.fixture
def fleet(ctx):
    made = []
    for index, (project, host, state, name) in enumerate([
            ('p1', 'h1', 'active', 'web-1'), ('p1', 'h1', 'stopped', 'web-2'),
            ('p1', 'h2', 'active', 'db-1'), ('p2', 'h2', 'error', 'db-2'),
            ('p2', 'h3', 'active', 'cache')]):
        made.append(make_instance(ctx, project_id=project, host=host, node=host + '-node',
                                  vm_state=state, display_name=name, vcpus=index + 1,
                                  memory_mb=256 * (index + 1), launch_index=index,
                                  user_id='u%d' % (index % 2)))
    return made


def names(instances):
    return [i.display_name for i in instances]


def test_filters(ctx, fleet):
    get = InstanceList.get_by_filters
    assert len(get(ctx, {})) == 5
    assert sorted(names(get(ctx, {'project_id': 'p2'}))) == ['cache', 'db-2']
    assert sorted(names(get(ctx, {'host': 'h1'}))) == ['web-1', 'web-2']
    assert names(get(ctx, {'node': 'h3-node'})) == ['cache']
    assert sorted(names(get(ctx, {'vm_state': ['stopped', 'error']}))) == ['db-2', 'web-2']
    assert sorted(names(get(ctx, {'name': '^db-'}))) == ['db-1', 'db-2']
    assert names(get(ctx, {'uuid': [fleet[0].uuid, fleet[4].uuid],
                            'vm_state': 'active'}, sort_keys=['id'],
                      sort_dirs=['asc'])) == ['web-1', 'cache']
    assert len(get(ctx, {'task_state': None})) == 5
    assert len(get(ctx, {'user_id': 'u0'})) == 3


def test_deleted_and_changes_since_filters(ctx, fleet):
    before = timeutils.utcnow() - datetime.timedelta(seconds=1)
    fleet[0].destroy()
    fleet[1].display_name = 'touched'
    fleet[1].save()
    assert len(InstanceList.get_by_filters(ctx, {})) == 4
    assert names(InstanceList.get_by_filters(ctx, {'deleted': True})) == ['web-1']
    assert len(InstanceList.get_by_filters(ctx, {'deleted': False})) == 4
    fleet[2].vm_state = 'soft-delete'
    fleet[2].save()
    assert sorted(names(InstanceList.get_by_filters(ctx, {'deleted': True}))) == \
        ['db-1', 'web-1']
    assert len(InstanceList.get_by_filters(ctx, {'deleted': False})) == 3
    assert sorted(names(InstanceList.get_by_filters(ctx, {'changes-since': before}))) == \
        ['db-1', 'touched']


def test_unknown_filter_refused(ctx, fleet):
    with pytest.raises(exception.InvalidInput):
        InstanceList.get_by_filters(ctx, {'colour': 'blue'})


def test_non_admin_sees_own_project_only(ctx, fleet):
    user = nova_context.RequestContext(user_id='u1', project_id='p2')
    assert sorted(names(InstanceList.get_by_filters(user, {}))) == ['cache', 'db-2']
    assert sorted(names(InstanceList.get_by_filters(user, {'project_id': 'p1'}))) == \
        ['cache', 'db-2']


def test_sorting(ctx, fleet):
    by_name = InstanceList.get_by_filters(ctx, {}, sort_keys=['display_name'],
                                          sort_dirs=['asc'])
    assert names(by_name) == ['cache', 'db-1', 'db-2', 'web-1', 'web-2']
    multi = InstanceList.get_by_filters(ctx, {}, sort_keys=['host', 'display_name'],
                                        sort_dirs=['desc', 'asc'])
    assert names(multi) == ['cache', 'db-1', 'db-2', 'web-1', 'web-2']
    default = InstanceList.get_by_filters(ctx, {})  # created_at desc, then id desc
    assert names(default) == ['cache', 'db-2', 'db-1', 'web-2', 'web-1']
    with pytest.raises(exception.InvalidSortKey):
        InstanceList.get_by_filters(ctx, {}, sort_keys=['no_such_column'])
    with pytest.raises(exception.InvalidInput):
        InstanceList.get_by_filters(ctx, {}, sort_keys=['host'], sort_dirs=['up'])


def test_paging_with_marker(ctx, fleet):
    seen = []
    marker = None
    while True:
        page = InstanceList.get_by_filters(ctx, {}, sort_keys=['host', 'display_name'],
                                           sort_dirs=['asc', 'desc'], limit=2, marker=marker)
        if not page:
            break
        seen.extend(names(page))
        marker = page[-1].uuid
    assert seen == ['web-2', 'web-1', 'db-2', 'db-1', 'cache']


def test_paging_over_null_sort_values(ctx, fleet):
    fleet[1].launched_at = timeutils.utcnow()
    fleet[1].save()
    for direction in ('asc', 'desc'):
        everything = names(InstanceList.get_by_filters(
            ctx, {}, sort_keys=['launched_at'], sort_dirs=[direction]))
        paged, marker = [], None
        for _ in range(5):
            page = InstanceList.get_by_filters(ctx, {}, sort_keys=['launched_at'],
                                               sort_dirs=[direction], limit=1, marker=marker)
            paged.extend(names(page))
            marker = page[-1].uuid
        assert paged == everything


def test_marker_not_found(ctx, fleet):
    with pytest.raises(exception.MarkerNotFound):
        InstanceList.get_by_filters(ctx, {}, marker=uuidutils.generate_uuid())


def test_by_host_and_node(ctx, fleet):
    assert names(InstanceList.get_by_host(ctx, 'h2')) == ['db-1', 'db-2']
    assert names(InstanceList.get_by_host_and_node(ctx, 'h2', 'h2-node')) == ['db-1', 'db-2']
    assert len(InstanceList.get_by_host_and_node(ctx, 'h2', 'other')) == 0


def test_counts(ctx, fleet):
    counts = InstanceList.get_counts(ctx, 'p1', user_id='u0')
    assert counts['project'] == {'instances': 3, 'cores': 1 + 2 + 3,
                                 'ram': 256 * (1 + 2 + 3)}
    assert counts['user'] == {'instances': 2, 'cores': 1 + 3, 'ram': 256 * (1 + 3)}
    fleet[0].destroy()
    assert InstanceList.get_counts(ctx, 'p1')['project']['instances'] == 2
    assert 'user' not in InstanceList.get_counts(ctx, 'p1')
    assert InstanceList.get_counts(ctx, 'nobody')['project'] == \
        {'instances': 0, 'cores': 0, 'ram': 0}


def test_bookkeeping_fast_paths_keep_ovo_meaning():
    """obj_attr_is_set/obj_what_changed (overridden for speed) answer as ovo's do."""
    inst = instance_obj.Instance(uuid='6e1a1a62-9d6c-4d9b-8e8f-1c2d3e4f5a6b')
    assert inst.obj_attr_is_set('uuid') and not inst.obj_attr_is_set('host')
    with pytest.raises(AttributeError):
        inst.obj_attr_is_set('no_such_field')
    inst.flavor = flavor_obj.Flavor(name='f')
    inst.obj_reset_changes(recursive=True)
    assert inst.obj_what_changed() == set()
    inst.flavor.name = 'g'  # a changed child marks its field changed
    assert inst.obj_what_changed() == {'flavor'}
