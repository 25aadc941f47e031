"""Booting through the whole system (nova-all in this process): POST /servers to ACTIVE,
then list, show, tags, actions and delete; create's validation and answers."""

import time
import urllib.request

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import servers as schema_v21
from tempest.lib.common import rest_client


def _upload_image(nova):
    status, _h, image = nova.request('POST', '/image/v2/images', {
        'name': 'cirros', 'disk_format': 'qcow2', 'container_format': 'bare'})
    assert status == 201, image
    req = urllib.request.Request('http://127.0.0.1:%d/image/v2/images/%s/file'
                                 % (nova.api.port, image['id']), data=b'abc', method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 204
    return image['id']


@pytest.fixture
def cloud(nova):
    image_id = _upload_image(nova)
    status, _h, body = nova.request('POST', '/v2.1/flavors', {'flavor': {
        'name': 'tiny', 'ram': 64, 'vcpus': 1, 'disk': 1, 'id': '1'}})
    assert status == 200, body
    return nova, image_id


def _wait_for(nova, server_id, wanted, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, _h, body = nova.request('GET', '/v2.1/servers/%s' % server_id)
        if status == 200 and body['server']['status'] in wanted:
            return body['server']
        time.sleep(0.2)
    raise AssertionError('server %s never reached %s: %s' % (server_id, wanted, body))


def _validate(schema, status, body):
    assert status in schema['status_code'], body
    rest_client.RestClient.validate_response(schema, type('R', (), {'status': status})(),
                                             body)


def test_boot_to_active_and_delete(cloud):
    nova, image_id = cloud
    status, headers, body = nova.request('POST', '/v2.1/servers', {'server': {
        'name': 'vm1', 'imageRef': image_id, 'flavorRef': '1', 'networks': 'none',
        'tags': ['edge'], 'metadata': {'role': 'robot'}}}, version='2.52')
    assert status == 202, body
    _validate(schema_v21.create_server_with_admin_pass, status, body)
    server_id = body['server']['id']
    assert headers['Location'].endswith('/servers/%s' % server_id)
    assert body['server']['security_groups'] == [{'name': 'default'}]
    server = _wait_for(nova, server_id, ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE', server
    assert server['OS-EXT-SRV-ATTR:host'] == 'edge1'
    _status, _h, shown = nova.request('GET', '/v2.1/servers/%s' % server_id, version='2.52')
    assert shown['server']['tags'] == ['edge']
    assert shown['server']['metadata'] == {'role': 'robot'}
    _status, _h, actions = nova.request('GET', '/v2.1/servers/%s/os-instance-actions'
                                        % server_id)
    assert [a['action'] for a in actions['instanceActions']] == ['create']
    status, _h, _b = nova.request('DELETE', '/v2.1/servers/%s' % server_id)
    assert status == 204
    deadline = time.time() + 30
    while time.time() < deadline:
        status, _h, _b = nova.request('GET', '/v2.1/servers/%s' % server_id)
        if status == 404:
            break
        time.sleep(0.2)
    assert status == 404


def test_create_answers(cloud):
    nova, image_id = cloud

    def create(server, version=None, **body):
        return nova.request('POST', '/v2.1/servers', dict({'server': server}, **body),
                            version=version)

    base = {'name': 'vm', 'imageRef': image_id, 'flavorRef': '1'}
    status, _h, body = create(dict(base, return_reservation_id=True))
    assert status == 202 and body['reservation_id'].startswith('r-')
    status, _h, body = create(dict(base, flavorRef='http://x/v2.1/flavors/1'))
    assert status == 202, body
    assert create(dict(base, flavorRef='404'))[0] == 400
    assert create(dict(base, imageRef='00000000-0000-0000-0000-000000000000'))[0] == 400
    assert create(dict(base, key_name='missing'))[0] == 400
    assert create(dict(base, user_data='not base64!'))[0] == 400
    assert create(dict(base, min_count=3, max_count=2))[0] == 400
    assert create(base, version='2.37')[0] == 400  # networks required from 2.37
    assert create(dict(base, networks='auto'), version='2.37')[0] == 202
    assert create(dict(base, description='d'), version='2.18')[0] == 400
    assert create(dict(base, description='d'), version='2.19')[0] == 202
    assert create(dict(base, tags=['a/b'], networks='none'), version='2.52')[0] == 400
    assert create(dict(base, networks='none',
                       trusted_image_certificates=['c']), version='2.63')[0] == 400
    assert create(dict(base, block_device_mapping_v2=[{
        'source_type': 'volume', 'uuid': image_id, 'destination_type': 'volume',
        'boot_index': 0}]))[0] == 400
    status, _h, body = create(dict(base, imageRef='', block_device_mapping_v2=[{
        'source_type': 'image', 'uuid': image_id, 'destination_type': 'local',
        'boot_index': 0}]))
    assert status == 202, body
    status, _h, body = create(dict(base, min_count=20))
    assert status == 403 and 'Quota exceeded for' in body['forbidden']['message']


def test_availability_zone_and_forced_host(cloud):
    nova, image_id = cloud
    nova.add_compute('edge2')

    def create(zone, token='admin:admin'):
        return nova.request('POST', '/v2.1/servers', {'server': {
            'name': 'z', 'imageRef': image_id, 'flavorRef': '1', 'networks': 'none',
            'availability_zone': zone}}, version='2.37', token=token)

    status, _h, body = create('moon')
    assert status == 400, body
    assert body['badRequest']['message'] == 'The requested availability zone is not available'
    # Naming a host is an administrator's request; the server lands there.
    status, _h, body = create('nova:edge2', token='alice:p1')
    assert status == 403, body
    assert 'os_compute_api:servers:create:forced_host' in body['forbidden']['message']
    for zone, host in (('nova:edge2', 'edge2'), ('nova:edge1:edge1', 'edge1'),
                       (':edge2', 'edge2')):
        status, _h, body = create(zone)
        assert status == 202, body
        server = _wait_for(nova, body['server']['id'], ('ACTIVE', 'ERROR'))
        assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == ('ACTIVE', host), zone
        assert server['OS-EXT-AZ:availability_zone'] == 'nova'
    # A host nobody runs: no valid host, the server ends in ERROR.
    status, _h, body = create('nova:edge9')
    assert status == 202, body
    assert _wait_for(nova, body['server']['id'], ('ACTIVE', 'ERROR'))['status'] == 'ERROR'
