"""GET /servers/{id}/diagnostics: the legacy body before 2.48 and the standardized one from
2.48 (checked against tempest's schemas), from a guest booted on the fake driver through the
whole system; and the 403/404/409/501 answers."""

from tempest.lib.api_schema.response.compute.v2_1 import servers as schema_v21
from tempest.lib.api_schema.response.compute.v2_48 import servers as schema_v248
from tempest.lib.common import rest_client

from nova.compute import power_state
from nova.virt import driver as virt_driver
from tests.functional.api.test_servers import ALICE
from tests.functional.api.test_servers import EVE
from tests.functional.api.test_servers import make_flavor
from tests.functional.api.test_servers import make_server
from tests.functional.api.test_servers_boot import _wait_for
from tests.functional.api.test_servers_boot import cloud  # noqa: F401 (fixture)
from tests.unit.api.client import call
from tests.unit.api.client import fault


def _validate(schema, status, body):
    assert status in schema['status_code'], body
    rest_client.RestClient.validate_response(schema, type('R', (), {'status': status})(),
                                             body)


def _boot(nova, image_id):
    status, _h, body = nova.request('POST', '/v2.1/servers', {'server': {
        'name': 'probe', 'imageRef': image_id, 'flavorRef': '1', 'networks': 'none',
        'config_drive': True}}, version='2.37')
    assert status == 202, body
    return _wait_for(nova, body['server']['id'], ('ACTIVE', 'ERROR'))


def test_both_formats_from_a_running_guest(cloud):  # noqa: F811
    nova, image_id = cloud
    server = _boot(nova, image_id)
    assert server['status'] == 'ACTIVE', server
    url = '/v2.1/servers/%s/diagnostics' % server['id']

    for version in (None, '2.47'):
        status, _h, legacy = nova.request('GET', url, version=version)
        _validate(schema_v21.show_server_diagnostics, status, legacy)
        assert legacy == {'cpu0_time': 0, 'memory': 64 * 1024, 'memory-actual': 64 * 1024,
                          'memory-rss': 0, 'vda_read': 0, 'vda_read_req': 0, 'vda_write': 0,
                          'vda_write_req': 0, 'vda_errors': 0}

    for version in ('2.48', '2.104'):
        status, _h, body = nova.request('GET', url, version=version)
        _validate(schema_v248.show_server_diagnostics, status, body)
        assert body['state'] == 'running' and body['driver'] == 'libvirt'
        assert body['hypervisor'] == 'fake' and body['hypervisor_os'] == 'linux'
        assert body['config_drive'] is True
        assert 0 <= body['uptime'] < 60
        assert body['num_cpus'] == 1 and body['cpu_details'] == [
            {'id': 0, 'time': 0, 'utilisation': 0}]
        assert body['memory_details'] == {'maximum': 64, 'used': 0}
        assert body['num_disks'] == 1 and len(body['disk_details']) == 1   # the root disk
        assert body['num_nics'] == 0 and body['nic_details'] == []         # networks: none


def test_a_stopped_guest_or_a_driver_that_cannot_tell(cloud, monkeypatch):  # noqa: F811
    nova, image_id = cloud
    server = _boot(nova, image_id)
    url = '/v2.1/servers/%s/diagnostics' % server['id']
    driver = nova.rpc_service('nova-compute').manager.driver

    driver.guests[server['id']]['state'] = power_state.SHUTDOWN
    status, _h, body = nova.request('GET', url, version='2.48')
    assert status == 409, body
    assert body['conflictingRequest']['message'] == (
        "Cannot 'get_diagnostics' instance %s while it is in power state shutdown"
        % server['id'])
    driver.guests[server['id']]['state'] = power_state.RUNNING

    # the base driver's answer: not implemented
    monkeypatch.setattr(driver, 'get_instance_diagnostics',
                        virt_driver.ComputeDriver.get_instance_diagnostics.__get__(driver))
    monkeypatch.setattr(driver, 'get_diagnostics',
                        virt_driver.ComputeDriver.get_diagnostics.__get__(driver))
    for version in ('2.1', '2.48'):
        status, _h, body = nova.request('GET', url, version=version)
        assert status == 501, body
        assert body['notImplemented']['message'] == \
            'The requested functionality is not supported.'


def test_who_may_ask_and_when(api):
    flavor = make_flavor()
    mine = make_server(flavor)
    url = '/v2.1/servers/%s/diagnostics'
    resp = call(api, url % mine.uuid, token=ALICE)
    assert resp.status_int == 403                     # admins only
    assert call(api, url % mine.uuid, token=EVE).status_int == 404
    assert call(api, url % '00000000-0000-0000-0000-000000000000').status_int == 404

    unplaced = make_server(flavor, host=None, node=None, vm_state='building',
                           task_state='scheduling')
    resp = call(api, url % unplaced.uuid, version='2.48')
    assert resp.status_int == 409
    assert fault(resp)[2] == 'Instance %s is not ready' % unplaced.uuid
    for vm_state in ('building', 'error', 'shelved_offloaded'):
        server = make_server(flavor, vm_state=vm_state)
        resp = call(api, url % server.uuid)
        assert resp.status_int == 409, resp.text
        assert fault(resp)[2] == ("Cannot 'get_diagnostics' instance %s while it is in "
                                  "vm_state %s" % (server.uuid, vm_state))
