"""nova-compute's hooks for drivers: lifecycle events sync that instance at once, and the
periodic image cache pass reaches drivers that cache images (fake driver, stand-in
objects: no bus, no DB)."""

import pytest

from nova import exception
from nova import objects
from nova.compute import manager as compute_manager
from nova.compute import power_state
from nova.compute import vm_states


class _Instance:
    def __init__(self, host='h1', vm_state=vm_states.ACTIVE):
        self.uuid = '00000000-0000-4000-8000-000000000001'
        self.host, self.vm_state, self.task_state = host, vm_state, None
        self.power_state = power_state.RUNNING
        self.saves = 0

    def save(self, expected_task_state=None):
        self.saves += 1


class _ComputeAPI:
    def __init__(self):
        self.stopped = []

    def stop(self, context, instance):
        self.stopped.append(instance.uuid)

    force_stop = stop


@pytest.fixture
def compute():
    manager = compute_manager.ComputeManager(host='h1', compute_driver='fake.FakeDriver')
    manager.init_host()
    manager._compute_api = _ComputeAPI()
    return manager


def _found(monkeypatch, instance):
    def get_by_uuid(context, uuid):
        if instance is None or uuid != instance.uuid:
            raise exception.InstanceNotFound(instance_id=uuid)
        return instance
    monkeypatch.setattr(objects.Instance, 'get_by_uuid', staticmethod(get_by_uuid))


def test_a_guest_that_shut_itself_down_stops_its_server(compute, monkeypatch):
    instance = _Instance()
    _found(monkeypatch, instance)
    compute.driver.guests[instance.uuid] = {'state': power_state.SHUTDOWN}
    compute.handle_lifecycle_event(instance.uuid, power_state.SHUTDOWN)
    assert instance.power_state == power_state.SHUTDOWN and instance.saves == 1
    assert compute.compute_api.stopped == [instance.uuid]


def test_events_of_other_hosts_or_unknown_instances_change_nothing(compute, monkeypatch):
    elsewhere = _Instance(host='h2')
    _found(monkeypatch, elsewhere)
    compute.driver.guests[elsewhere.uuid] = {'state': power_state.SHUTDOWN}
    compute.handle_lifecycle_event(elsewhere.uuid, power_state.SHUTDOWN)
    compute.handle_lifecycle_event('00000000-0000-4000-8000-00000000ffff',
                                   power_state.SHUTDOWN)
    assert elsewhere.saves == 0 and compute.compute_api.stopped == []


def test_an_event_during_an_action_waits_for_the_action(compute, monkeypatch):
    instance = _Instance()
    instance.task_state = 'rebooting'
    _found(monkeypatch, instance)
    compute.driver.guests[instance.uuid] = {'state': power_state.SHUTDOWN}
    compute.handle_lifecycle_event(instance.uuid, power_state.SHUTDOWN)
    assert instance.saves == 0 and compute.compute_api.stopped == []


def test_image_cache_pass_reaches_caching_drivers_only(compute, monkeypatch):
    calls = []
    monkeypatch.setattr(objects.InstanceList, 'get_by_host',
                        staticmethod(lambda context, host: ['i-%s' % host]))
    monkeypatch.setattr(compute.driver, 'manage_image_cache',
                        lambda context, instances: calls.append(instances))
    compute.run_image_cache_manager_pass(None)
    assert calls == []  # the fake driver caches nothing
    monkeypatch.setattr(compute.driver, 'capabilities',
                        dict(compute.driver.capabilities, has_imagecache=True))
    compute.run_image_cache_manager_pass(None)
    assert calls == [['i-h1']]
