"""Instance.save from a process without a database: conductor's real client and endpoint,
with a JSON round trip between them, against a real (SQLite) database."""

from unittest import mock

from oslo_messaging.rpc import dispatcher as rpc_dispatcher
from oslo_serialization import jsonutils
import pytest

from nova import context as nova_context
from nova import exception
from nova.conductor import manager as conductor_manager
from nova.conductor import rpcapi as conductor_rpcapi
from nova.objects import base
from nova.objects import instance as instance_obj
from tests.unit.objects.test_instance import make_flavor
from tests.unit.objects.test_instance import make_instance

Instance = instance_obj.Instance


class _Wire:
    """Stands in for the RPC client: serialises like oslo.messaging, runs the call on
    conductor's endpoint in this process (with the database), serialises the answer."""

    def __init__(self):
        self.serializer = base.NovaObjectSerializer()
        self.endpoint = conductor_manager.ConductorManager()
        self.sent = []

    def _wire(self, context, value):
        return self.serializer.deserialize_entity(context, jsonutils.loads(jsonutils.dumps(
            self.serializer.serialize_entity(context, value))))

    def prepare(self, **_kwargs):
        return self

    def call(self, context, method, **kwargs):
        kwargs = {name: self._wire(context, value) for name, value in kwargs.items()}
        objinst = kwargs.get('objinst')
        self.sent.append((method, objinst and {
            n for n in objinst.fields if objinst.obj_attr_is_set(n)}))
        saved, base.NovaObject.indirection_api = base.NovaObject.indirection_api, None
        try:
            result = getattr(self.endpoint, method)(context, **kwargs)
        except rpc_dispatcher.ExpectedException as wrapped:
            raise wrapped.exc_info[1] from None  # as the caller of a real call sees it
        finally:
            base.NovaObject.indirection_api = saved
        return self._wire(context, result)


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


@pytest.fixture
def wire(ctx):
    api = object.__new__(conductor_rpcapi.ConductorAPI)
    api.client = _Wire()
    base.NovaObject.indirection_api = api
    yield api.client
    base.NovaObject.indirection_api = None


def _sent_fields(wire):
    """The fields of the object the last object_action carried."""
    method, fields = wire.sent[-1]
    assert method == 'object_action'
    return fields


def test_state_save_sends_identity_and_changes_only(ctx, wire):
    uuid = make_instance(ctx, metadata={'a': '1'}, flavor=make_flavor(),
                         task_state='scheduling', vm_state='building').uuid
    instance = Instance.get_by_uuid(ctx, uuid)
    before = instance.updated_at
    instance.task_state = 'spawning'
    instance.save(expected_task_state='scheduling')

    assert _sent_fields(wire) == {'uuid', 'id', 'task_state'}
    # The caller's copy: the change kept, updated_at from the write, nothing left to save,
    # and every other field as it was.
    assert instance.task_state == 'spawning' and instance.obj_what_changed() == set()
    assert instance.updated_at is not None and instance.updated_at != before
    assert instance.metadata == {'a': '1'} and instance.flavor.name == 'm1.small'
    base.NovaObject.indirection_api, api = None, base.NovaObject.indirection_api
    again = Instance.get_by_uuid(ctx, uuid)
    base.NovaObject.indirection_api = api
    assert (again.task_state, again.vm_state) == ('spawning', 'building')
    # (DateTimeField crosses the bus to the second, with a re-read or without.)
    assert again.updated_at.replace(microsecond=0) == instance.updated_at
    assert again.metadata == {'a': '1'} and again.flavor.name == 'm1.small'


def test_remote_compare_and_swap_still_refuses(ctx, wire):
    instance = Instance.get_by_uuid(ctx, make_instance(ctx, task_state='deleting').uuid)
    instance.task_state = 'spawning'
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        instance.save(expected_task_state='scheduling')
    assert Instance.get_by_uuid(ctx, instance.uuid).task_state == 'deleting'


def test_flavor_change_sends_all_flavors_and_keeps_them(ctx, wire):
    instance = Instance.get_by_uuid(ctx, make_instance(ctx, flavor=make_flavor()).uuid)
    instance.new_flavor = make_flavor(id=2, name='m1.large', memory_mb=8192)
    instance.save()

    assert _sent_fields(wire) == {'uuid', 'id', 'flavor', 'old_flavor', 'new_flavor'}
    again = Instance.get_by_uuid(ctx, instance.uuid)
    assert (again.flavor.name, again.old_flavor, again.new_flavor.name) == (
        'm1.small', None, 'm1.large')
    assert instance.obj_what_changed() == set()


def test_children_change_reads_the_instance_back(ctx, wire):
    instance = Instance.get_by_uuid(ctx, make_instance(ctx, metadata={'a': '1'}).uuid)
    instance.metadata = {'b': '2'}
    instance.display_name = 'renamed'
    instance.save()
    assert instance.metadata == {'b': '2'} and instance.display_name == 'renamed'
    assert instance.obj_what_changed() == set()
    again = Instance.get_by_uuid(ctx, instance.uuid)
    assert (again.metadata, again.display_name) == ({'b': '2'}, 'renamed')


def test_task_steps_are_guarded_writes_in_one_call(ctx, wire):
    instance = Instance.get_by_uuid(ctx, make_instance(ctx, task_state='scheduling',
                                                        vm_state='building').uuid)
    writes = []
    real_update = instance_obj.db.instance_update

    def spy(context, uuid, values, expected_task_state=None, **kwargs):
        writes.append((values.get('task_state'), expected_task_state))
        return real_update(context, uuid, values, expected_task_state=expected_task_state,
                           **kwargs)

    calls = len(wire.sent)
    with mock.patch.object(instance_obj.db, 'instance_update', side_effect=spy):
        instance.save_task_steps(['networking', 'block_device_mapping', 'spawning'],
                                 'scheduling')
    assert len(wire.sent) == calls + 1
    assert writes == [('networking', ['scheduling']),
                      ('block_device_mapping', ['networking']),
                      ('spawning', ['block_device_mapping'])]
    assert instance.task_state == 'spawning' and instance.obj_what_changed() == set()
    assert Instance.get_by_uuid(ctx, instance.uuid).task_state == 'spawning'


def test_task_steps_stop_at_a_delete(ctx, wire):
    instance = Instance.get_by_uuid(ctx, make_instance(ctx, task_state='deleting').uuid)
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        instance.save_task_steps(['networking', 'spawning'], 'scheduling')
    assert Instance.get_by_uuid(ctx, instance.uuid).task_state == 'deleting'


def test_a_build_event_rides_on_the_first_and_last_saves(ctx, wire):
    from nova.objects import instance_action
    instance = Instance.get_by_uuid(ctx, make_instance(ctx, task_state='scheduling').uuid)
    with mock.patch.object(base.NovaObject, 'indirection_api', None):
        instance_action.InstanceAction.action_start(ctx, instance.uuid, 'create')
    calls = len(wire.sent)
    instance.save_task_steps(['networking', 'spawning'], 'scheduling',
                             start_event=('compute__build', 'host1'))
    instance.task_state = None
    instance.save(expected_task_state='spawning', finish_event='compute__build')
    assert len(wire.sent) == calls + 2  # one round trip each, events included
    with mock.patch.object(base.NovaObject, 'indirection_api', None):
        action = instance_action.InstanceAction.get_by_request_id(
            ctx, instance.uuid, ctx.request_id)
        [event] = instance_action.InstanceActionEventList.get_by_action(ctx, action.id)
    assert (event.event, event.host, event.result) == ('compute__build', 'host1', 'Success')
    assert event.start_time <= event.finish_time
