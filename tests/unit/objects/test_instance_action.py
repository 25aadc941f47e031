"""InstanceAction and InstanceActionEvent against real databases: SQLite, PostgreSQL and
MariaDB (the statements are Core, with RETURNING)."""

import sys

import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import instance_action as action_obj
from tests.unit.objects.test_instance import make_instance

InstanceAction = action_obj.InstanceAction
InstanceActionEvent = action_obj.InstanceActionEvent


@pytest.fixture
def ctx(any_database):
    return nova_context.RequestContext(user_id='u1', project_id='p1', is_admin=True)


def test_action_lifecycle(ctx):
    instance = make_instance(ctx)
    action = InstanceAction.action_start(ctx, instance.uuid, 'reboot')
    assert action.request_id == ctx.request_id and action.user_id == 'u1'
    assert action.finish_time is None
    found = InstanceAction.get_by_request_id(ctx, instance.uuid, ctx.request_id)
    assert found.id == action.id and found.action == 'reboot'
    finished = InstanceAction.action_finish(ctx, instance.uuid)
    assert finished.finish_time is not None
    assert InstanceAction.get_by_request_id(ctx, instance.uuid, 'req-other') is None


def test_action_for_unknown_instance_refused(ctx):
    with pytest.raises(exception.InstanceNotFound):
        InstanceAction.action_start(ctx, '00000000-0000-0000-0000-000000000000', 'reboot')


def test_events_success_and_failure(ctx):
    instance = make_instance(ctx)
    action = InstanceAction.action_start(ctx, instance.uuid, 'rebuild')
    InstanceActionEvent.event_start(ctx, instance.uuid, 'compute_rebuild', host='h1')
    ok = InstanceActionEvent.event_finish(ctx, instance.uuid, 'compute_rebuild')
    assert ok.result == 'Success' and ok.finish_time is not None and ok.host == 'h1'

    InstanceActionEvent.event_start(ctx, instance.uuid, 'compute_spawn')
    try:
        raise RuntimeError('disk full')
    except RuntimeError as error:
        failed = InstanceActionEvent.event_finish_with_failure(
            ctx, instance.uuid, 'compute_spawn', exc_val=error, exc_tb=sys.exc_info()[2],
            want_result=True)
    assert failed.result == 'Error' and failed.details == 'disk full'
    assert 'raise RuntimeError' in failed.traceback
    assert InstanceAction.get_by_request_id(ctx, instance.uuid,
                                            ctx.request_id).message == 'Error'
    events = action_obj.InstanceActionEventList.get_by_action(ctx, action.id)
    assert sorted(e.event for e in events) == ['compute_rebuild', 'compute_spawn']
    assert InstanceActionEvent.get_by_id(ctx, action.id, failed.id).result == 'Error'


def test_event_without_action_or_start(ctx):
    instance = make_instance(ctx)
    with pytest.raises(exception.InstanceActionNotFound):
        InstanceActionEvent.event_start(ctx, instance.uuid, 'compute_x')
    InstanceAction.action_start(ctx, instance.uuid, 'stop')
    with pytest.raises(exception.InstanceActionEventNotFound):
        InstanceActionEvent.event_finish(ctx, instance.uuid, 'never_started')
    with pytest.raises(exception.InstanceActionEventNotFound):
        InstanceActionEvent.get_by_id(ctx, 1, 999)


def test_list_newest_first_with_paging(ctx):
    instance = make_instance(ctx)
    for index in range(3):
        request = nova_context.RequestContext(user_id='u1', project_id='p1', is_admin=True,
                                              request_id='req-%d' % index)
        InstanceAction.action_start(request, instance.uuid, 'action-%d' % index)
    listed = action_obj.InstanceActionList.get_by_instance_uuid(ctx, instance.uuid)
    assert [a.action for a in listed] == ['action-2', 'action-1', 'action-0']
    page = action_obj.InstanceActionList.get_by_instance_uuid(ctx, instance.uuid, limit=1,
                                                              marker='req-2')
    assert [a.action for a in page] == ['action-1']
    with pytest.raises(exception.MarkerNotFound):
        action_obj.InstanceActionList.get_by_instance_uuid(ctx, instance.uuid,
                                                           marker='req-x')
