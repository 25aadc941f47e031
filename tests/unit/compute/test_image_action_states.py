"""The task states a snapshot walks through (createImage/createBackup and shelving name
them differently), and the state checks of the image actions in compute.api."""

import pytest

from nova import context as nova_context
from nova import exception
from nova.compute import api as compute_api
from nova.compute import manager
from nova.compute import task_states


class RecordingInstance:
    """Stands in for an Instance: records each save's task state and expectation."""

    uuid = '11111111-2222-3333-4444-555555555555'

    def __init__(self, task_state, vm_state='active', locked=False):
        self.launched_at = '2026-12-06T00:00:00Z'
        self.task_state = task_state
        self.vm_state = vm_state
        self.locked = locked
        self.saves = []

    def save(self, expected_task_state=None):
        self.saves.append((self.task_state, expected_task_state))


def _drive_snapshot(update_task_state):
    """What every driver's snapshot does with the callback (see virt.driver)."""
    update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
    update_task_state(task_state=task_states.IMAGE_UPLOADING,
                      expected_state=task_states.IMAGE_PENDING_UPLOAD)


def test_snapshot_task_states():
    instance = RecordingInstance(task_states.IMAGE_SNAPSHOT_PENDING)
    _drive_snapshot(manager.ComputeManager._task_updater(
        instance, task_states.IMAGE_SNAPSHOT_PENDING))
    assert instance.saves == [
        ('image_pending_upload', 'image_snapshot_pending'),
        ('image_uploading', 'image_pending_upload')]


def test_shelving_names_the_snapshot_states_its_own_way():
    instance = RecordingInstance(task_states.SHELVING)
    _drive_snapshot(manager.ComputeManager._task_updater(
        instance, task_states.SHELVING, manager.ComputeManager._SHELVING_TASK_NAMES))
    assert instance.saves == [
        ('shelving_image_pending_upload', 'shelving'),
        ('shelving_image_uploading', 'shelving_image_pending_upload')]


@pytest.mark.parametrize('instance, attr, state', [
    (RecordingInstance(None, vm_state='shelved'), 'vm_state', 'shelved'),
    (RecordingInstance('rebuilding'), 'task_state', 'rebuilding'),
])
def test_state_checks_name_what_is_wrong(instance, attr, state):
    context = nova_context.RequestContext('alice', 'p1')
    with pytest.raises(exception.InstanceInvalidState) as caught:
        compute_api.API._check_lock_and_state(context, instance, 'createImage',
                                              compute_api.API.SNAPSHOT_VM_STATES)
    assert caught.value.kwargs['attr'] == attr
    assert caught.value.kwargs['state'] == state


def test_a_lock_stops_all_but_admins():
    context = nova_context.RequestContext('alice', 'p1')
    locked = RecordingInstance(None, locked=True)
    with pytest.raises(exception.InstanceIsLocked):
        compute_api.API._check_lock_and_state(context, locked, 'shelve',
                                              compute_api.API.SHELVE_VM_STATES)
    compute_api.API._check_lock_and_state(nova_context.get_admin_context(), locked,
                                          'shelve', compute_api.API.SHELVE_VM_STATES)
