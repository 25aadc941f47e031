"""nova-compute's rules for what a crash left in a task state and for power states that
drifted from the hypervisor's, on the fake driver with stand-in instances (no bus, no DB)."""

import pytest

from nova.compute import manager as compute_manager
from nova.compute import power_state
from nova.compute import task_states
from nova.compute import vm_states


class _Instance:
    """Just enough of objects.Instance: states, and saves checked like the real one."""

    def __init__(self, vm_state, task_state, uuid='0000-1'):
        self.uuid = uuid
        self.name = 'instance-1'
        self.vm_state, self.task_state = vm_state, task_state
        self.power_state = power_state.NOSTATE
        self.node, self.vcpus, self.memory_mb = 'n1', 1, 64
        self.root_gb, self.ephemeral_gb = 1, 0
        self.saved = []

    def save(self, expected_task_state=None, expected_vm_state=None):
        if expected_task_state is not None:
            expected = (expected_task_state if isinstance(expected_task_state, (list, tuple))
                        else [expected_task_state])
            assert self.saved_task_state in expected, (self.saved_task_state, expected)
        self.saved.append((self.vm_state, self.task_state))

    @property
    def saved_task_state(self):
        return self.saved[-1][1] if self.saved else self._initial_task

    def __setattr__(self, name, value):
        if name == 'task_state' and '_initial_task' not in self.__dict__:
            self.__dict__['_initial_task'] = value
        super().__setattr__(name, value)


@pytest.fixture
def compute():
    manager = compute_manager.ComputeManager(host='h1', compute_driver='fake.FakeDriver')
    manager.driver.init_host('h1')
    return manager


def _with_guest(compute, instance, state=power_state.RUNNING):
    compute.driver.spawn(None, instance, {})
    compute.driver.guests[instance.uuid]['state'] = state


@pytest.mark.parametrize('task, guest_state, rebooted, final', [
    # not begun: reboot again
    (task_states.REBOOTING, power_state.RUNNING, 'soft', vm_states.ACTIVE),
    (task_states.REBOOT_PENDING_HARD, power_state.RUNNING, 'hard', vm_states.ACTIVE),
    # begun and the guest is not running (or gone): a hard reboot brings it back
    (task_states.REBOOT_STARTED, power_state.SHUTDOWN, 'hard', vm_states.ACTIVE),
    (task_states.REBOOT_STARTED_HARD, None, 'hard', vm_states.ACTIVE),
    # begun and the guest runs: it rebooted; only the task state is left to clear
    (task_states.REBOOT_STARTED, power_state.RUNNING, None, vm_states.ACTIVE),
])
def test_reboot_left_by_a_crash(compute, task, guest_state, rebooted, final):
    instance = _Instance(vm_states.ACTIVE, task)
    if guest_state is not None:
        _with_guest(compute, instance, guest_state)
    compute._recover_instance(None, instance)
    assert (instance.vm_state, instance.task_state) == (final, None)
    assert compute.driver.guests[instance.uuid]['state'] == power_state.RUNNING
    console = compute.driver.guests[instance.uuid]['console']
    if rebooted:
        assert console[-1] == '%s reboot' % rebooted
    else:
        assert 'reboot' not in console[-1]


def test_stop_and_transitional_tasks_left_by_a_crash(compute):
    stopping = _Instance(vm_states.ACTIVE, task_states.POWERING_OFF, uuid='a')
    _with_guest(compute, stopping)
    compute._recover_instance(None, stopping)
    assert (stopping.vm_state, stopping.task_state) == (vm_states.STOPPED, None)
    assert compute.driver.guests['a']['state'] == power_state.SHUTDOWN

    pausing = _Instance(vm_states.ACTIVE, task_states.PAUSING, uuid='b')
    _with_guest(compute, pausing)
    compute._recover_instance(None, pausing)
    assert (pausing.vm_state, pausing.task_state) == (vm_states.ACTIVE, None)

    unpausing = _Instance(vm_states.PAUSED, task_states.UNPAUSING, uuid='c')
    _with_guest(compute, unpausing, power_state.PAUSED)
    compute._recover_instance(None, unpausing)
    assert (unpausing.vm_state, unpausing.task_state) == (vm_states.ACTIVE, None)
    assert compute.driver.guests['c']['state'] == power_state.RUNNING


class _StopRecorder:
    def __init__(self):
        self.calls = []

    def stop(self, context, instance):
        self.calls.append(('stop', instance.uuid))

    def force_stop(self, context, instance):
        self.calls.append(('force_stop', instance.uuid))


@pytest.mark.parametrize('vm_state, guest_state, call', [
    (vm_states.ACTIVE, power_state.SHUTDOWN, 'stop'),
    (vm_states.ACTIVE, power_state.CRASHED, 'stop'),
    (vm_states.ACTIVE, power_state.RUNNING, None),
    (vm_states.ACTIVE, None, None),  # not found: only logged
    (vm_states.STOPPED, power_state.RUNNING, 'force_stop'),
    (vm_states.STOPPED, power_state.SHUTDOWN, None),
    (vm_states.PAUSED, power_state.SHUTDOWN, 'force_stop'),
    (vm_states.SUSPENDED, power_state.RUNNING, None),
    (vm_states.RESCUED, power_state.SHUTDOWN, None),
])
def test_power_state_sync_rules(compute, vm_state, guest_state, call):
    instance = _Instance(vm_state, None)
    if guest_state is not None:
        _with_guest(compute, instance, guest_state)
    compute._compute_api = recorder = _StopRecorder()
    compute._sync_instance_power_state(None, instance)
    assert recorder.calls == ([(call, instance.uuid)] if call else [])
    assert instance.power_state == (guest_state if guest_state is not None
                                    else power_state.NOSTATE)


def test_power_state_sync_leaves_instances_with_a_task_alone(compute):
    instance = _Instance(vm_states.ACTIVE, task_states.PAUSING)
    _with_guest(compute, instance, power_state.SHUTDOWN)
    compute._compute_api = recorder = _StopRecorder()
    compute._sync_instance_power_state(None, instance)
    assert recorder.calls == [] and instance.saved == []


def test_console_output_tail(compute):
    instance = _Instance(vm_states.ACTIVE, None)
    _with_guest(compute, instance)
    whole = compute.get_console_output(None, instance)
    assert whole == 'fake guest 0000-1 booting\nlogin:\n'
    assert compute.get_console_output(None, instance, tail_length=2) == 'login:\n'
    assert compute.get_console_output(None, instance, tail_length=0) == ''
