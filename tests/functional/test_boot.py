"""The boot path in nova-all: compute API -> conductor -> scheduler (claims) -> compute."""

import threading
import time

import pytest

from nova import context
from nova import exception
from nova import objects
from nova.compute import api as compute_api


def _flavor(name='a1.tiny', memory_mb=64, vcpus=1, root_gb=1):
    flavor = objects.Flavor(context.get_admin_context(), name=name, flavorid=name,
                            memory_mb=memory_mb, vcpus=vcpus, root_gb=root_gb,
                            ephemeral_gb=0, swap=0, rxtx_factor=1.0, vcpu_weight=0,
                            disabled=False, is_public=True)
    flavor.create()
    return flavor


def _user(project='p1'):
    return context.RequestContext('user-' + project, project, roles=['member'])


def _wait(instances, states=('active', 'error'), timeout=30):
    admin = context.get_admin_context()
    deadline = time.monotonic() + timeout
    while True:
        current = [objects.Instance.get_by_uuid(admin, i.uuid, expected_attrs=['fault'])
                   for i in instances]
        if all(i.vm_state in states and i.task_state is None for i in current):
            return current
        if time.monotonic() > deadline:
            raise AssertionError([(i.uuid, i.vm_state, i.task_state) for i in current])
        time.sleep(0.1)


def _node(host):
    return objects.ComputeNode.get_by_host_and_nodename(context.get_admin_context(),
                                                       host, host)


def _wait_deleted(uuids, timeout=30):
    admin = context.get_admin_context()
    deadline = time.monotonic() + timeout
    while objects.InstanceList.get_by_filters(admin, {'uuid': list(uuids)}):
        assert time.monotonic() < deadline, 'instances not deleted'
        time.sleep(0.1)


def test_boot_to_active_and_delete_gives_resources_back(nova):
    api = compute_api.API()
    user = _user()
    instances, reservation_id = api.create(user, _flavor(), None, name='vm', min_count=3,
                                           max_count=3)
    assert reservation_id.startswith('r-') and len(instances) == 3
    active = _wait(instances)
    assert [i.vm_state for i in active] == ['active'] * 3
    assert all(i.host == 'edge1' and i.power_state == 1 and i.launched_at for i in active)
    assert sorted(i.display_name for i in active) == ['vm-1', 'vm-2', 'vm-3']
    node = _node('edge1')
    assert (node.memory_mb_used, node.vcpus_used, node.running_vms) == (512 + 3 * 64, 3, 3)
    events = objects.InstanceActionList.get_by_instance_uuid(
        context.get_admin_context(), active[0].uuid)
    assert [a.action for a in events] == ['create']

    for instance in active:
        api.delete(user, instance)
    _wait_deleted(i.uuid for i in active)
    # compute recounts the node just after each instance's record is gone: wait for it
    deadline = time.monotonic() + 30
    while True:
        node = _node('edge1')
        usage = (node.memory_mb_used, node.vcpus_used, node.running_vms)
        if usage == (512, 0, 0) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert usage == (512, 0, 0)


def test_no_valid_host_is_error_with_a_fault(nova):
    user = _user('big')
    objects.Quotas.create_limit(context.get_admin_context(), 'big', 'ram', -1)
    instances, _rid = compute_api.API().create(
        user, _flavor('huge', memory_mb=10 ** 7), None, name='too-big')
    [instance] = _wait(instances)
    assert instance.vm_state == 'error' and instance.host is None
    assert 'No valid host was found' in instance.fault.message
    assert _node('edge1').memory_mb_used == 512
    compute_api.API().delete(user, instance)  # an ERROR instance without a host goes at once
    _wait_deleted([instance.uuid])


def test_failed_build_is_rescheduled_on_another_host(nova, conf):
    conf.set_override('spawn_failure_hosts', ['edge1'], group='fake_driver')
    nova.add_compute('edge2')
    user = _user()
    instances, _rid = compute_api.API().create(user, _flavor(), None, name='retry')
    [instance] = _wait(instances)
    assert instance.vm_state == 'active' and instance.host == 'edge2'
    assert _node('edge1').memory_mb_used == 512  # the failed claim was given back
    assert _node('edge2').memory_mb_used == 512 + 64
    admin = context.get_admin_context()
    action = objects.InstanceAction.get_by_request_id(admin, instance.uuid, user.request_id)
    builds = sorted((event.host, event.result) for event in
                    objects.InstanceActionEventList.get_by_action(admin, action.id)
                    if event.event == 'compute__do_build_and_run_instance')
    assert builds == [('edge1', 'Error'), ('edge2', 'Success')]


def test_build_failing_everywhere_ends_in_error(nova, conf):
    conf.set_override('spawn_failure_hosts', ['edge1', 'edge2'], group='fake_driver')
    conf.set_override('max_attempts', 2, group='scheduler')
    nova.add_compute('edge2')
    instances, _rid = compute_api.API().create(_user(), _flavor(), None, name='doomed')
    [instance] = _wait(instances, states=('error',))
    assert 'Exceeded maximum number of retries' in instance.fault.message
    assert instance.host is None
    assert _node('edge1').memory_mb_used == 512 and _node('edge2').memory_mb_used == 512


def test_quota_limits_the_count_and_refuses_beyond(nova):
    api = compute_api.API()
    flavor = _flavor()
    with pytest.raises(exception.TooManyInstances, match='Quota exceeded for instances'):
        api.create(_user('q1'), flavor, None, name='x', min_count=11, max_count=11)
    assert len(objects.InstanceList.get_by_filters(context.get_admin_context(),
                                                   {'project_id': 'q1'})) == 0
    instances, _rid = api.create(_user('q1'), flavor, None, name='x', min_count=1,
                                 max_count=20)
    assert len(instances) == 10  # the default instances quota
    _wait(instances)


def test_200_concurrent_boots_fill_exactly_the_capacity(conf, tmp_path):
    """Four hosts with room for exactly 50 instances each: 200 concurrent boots all land,
    none over capacity; the 201st gets No valid host."""
    from tests.functional.conftest import nova_all_in_process
    conf.set_override('memory_mb', 512 + 50 * 64, group='fake_driver')
    with nova_all_in_process(conf, tmp_path, report_interval=5) as nova:
        for host in ('edge2', 'edge3', 'edge4'):
            nova.add_compute(host)
        flavor = _flavor()
        api = compute_api.API()
        created, errors = [], []

        def boot(project):
            try:
                for _ in range(10):
                    created.extend(api.create(_user(project), flavor, None, name='c')[0])
            except Exception as error:
                errors.append(error)

        threads = [threading.Thread(target=boot, args=('proj%02d' % i,)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and len(created) == 200
        final = _wait(created, timeout=120)
        assert [i.vm_state for i in final].count('active') == 200
        for host in ('edge1', 'edge2', 'edge3', 'edge4'):
            node = _node(host)
            assert node.running_vms == 50 and node.memory_mb_used == node.memory_mb
        [extra] = _wait(api.create(_user('proj99'), flavor, None, name='one-more')[0])
        assert extra.vm_state == 'error'
        assert 'No valid host was found' in extra.fault.message
