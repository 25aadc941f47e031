"""nova-all end to end in one process: services register, heartbeat, report compute nodes,
answer on the bus, and show in the Compute API."""

import time

from nova import baserpc
from nova import context
from nova import objects


def test_services_register_heartbeat_and_show_up(nova):
    status, _headers, body = nova.request('GET', '/v2.1/os-services')
    assert status == 200
    by_binary = {s['binary']: s for s in body['services']}
    assert set(by_binary) == {'nova-conductor', 'nova-scheduler', 'nova-compute'}
    assert all(s['host'] == 'edge1' and s['state'] == 'up' for s in body['services'])

    # Heartbeats reach the stored record (read from the database: the in-memory count
    # moves before its save has committed).
    ctxt = context.get_admin_context()

    def stored():
        return objects.Service.get_by_host_and_binary(ctxt, 'edge1', 'nova-compute')

    before = stored().report_count
    deadline = time.monotonic() + 10
    while stored().report_count == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stored().report_count > before and stored().last_seen_up is not None


def test_compute_reports_its_node(nova):
    ctxt = context.get_admin_context()
    node = objects.ComputeNode.get_by_host_and_nodename(ctxt, 'edge1', 'edge1')
    assert node.vcpus == 1000 and node.hypervisor_type == 'fake'
    assert node.memory_mb_used == 512  # reserved_host_memory_mb
    assert node.free_ram_mb == node.memory_mb - 512
    assert node.running_vms == 0 and node.stats['num_instances'] == '0'


def test_every_service_answers_on_the_bus(nova):
    ctxt = context.get_admin_context()
    for topic in ('conductor', 'scheduler', 'compute'):
        reply = baserpc.BaseAPI(topic).ping(ctxt, 'hi', timeout=10)
        assert reply['host'] == 'edge1' and reply['arg'] == 'hi'


def test_scheduler_sees_the_compute_node(nova):
    scheduler = nova.rpc_service('nova-scheduler')
    states = scheduler.manager.host_manager.refresh(context.get_admin_context())
    assert [(s.host, s.nodename) for s in states] == [('edge1', 'edge1')]
    assert states[0].is_up and states[0].enabled


def test_clean_stop_marks_service_down(nova):
    scheduler = nova.rpc_service('nova-scheduler')
    scheduler.stop()
    nova.services.remove(scheduler)
    status, _headers, body = nova.request('GET', '/v2.1/os-services?binary=nova-scheduler')
    assert status == 200
    assert [s['state'] for s in body['services']] == ['down']
