"""Booting (POST /v2.1/servers in nova-all) from images of other projects: shared with the
caller works, private to another project is the upstream 400."""

import time
import urllib.request

import pytest

OWNER = 'olga:p1'
MEMBER = 'alan:p2'
STRANGER = 'sam:p3'


def _image(nova, visibility):
    status, _h, image = nova.request('POST', '/image/v2/images', {
        'name': visibility, 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': visibility}, token=OWNER)
    assert status == 201, image
    req = urllib.request.Request('http://127.0.0.1:%d/image/v2/images/%s/file'
                                 % (nova.api.port, image['id']), data=b'disk', method='PUT')
    req.add_header('X-Auth-Token', OWNER)
    req.add_header('Content-Type', 'application/octet-stream')
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 204
    return image['id']


@pytest.fixture
def cloud(nova):
    status, _h, body = nova.request('POST', '/v2.1/flavors', {'flavor': {
        'name': 'tiny', 'ram': 64, 'vcpus': 1, 'disk': 1, 'id': '1'}})
    assert status == 200, body
    return nova


def _boot(nova, image_id, token):
    return nova.request('POST', '/v2.1/servers', {'server': {
        'name': 'vm', 'imageRef': image_id, 'flavorRef': '1', 'networks': 'none'}},
        token=token, version='2.37')


def _wait_active(nova, server_id, token):
    deadline = time.time() + 30
    while time.time() < deadline:
        _status, _h, body = nova.request('GET', '/v2.1/servers/%s' % server_id, token=token)
        if body['server']['status'] in ('ACTIVE', 'ERROR'):
            return body['server']
        time.sleep(0.2)
    raise AssertionError('server %s never became ACTIVE' % server_id)


def test_boot_from_an_image_shared_with_the_project(cloud):
    nova = cloud
    image_id = _image(nova, 'shared')
    status, _h, body = nova.request('POST', '/image/v2/images/%s/members' % image_id,
                                    {'member': 'p2'}, token=OWNER)
    assert status == 200, body
    status, _h, body = nova.request('PUT', '/image/v2/images/%s/members/p2' % image_id,
                                    {'status': 'accepted'}, token=MEMBER)
    assert status == 200, body

    status, _h, body = _boot(nova, image_id, MEMBER)
    assert status == 202, body
    server = _wait_active(nova, body['server']['id'], MEMBER)
    assert server['status'] == 'ACTIVE', server
    assert server['image']['id'] == image_id
    assert server['tenant_id'] == 'p2'

    # Not a member: the image does not exist for this project.
    status, _h, body = _boot(nova, image_id, STRANGER)
    assert status == 400
    assert body == {'badRequest': {'code': 400, 'message': 'Can not find requested image'}}


def test_boot_from_a_private_image_of_another_project_fails(cloud):
    nova = cloud
    image_id = _image(nova, 'private')
    status, _h, body = _boot(nova, image_id, MEMBER)
    assert status == 400
    assert body == {'badRequest': {'code': 400, 'message': 'Can not find requested image'}}
    # Its owner boots from it.
    status, _h, body = _boot(nova, image_id, OWNER)
    assert status == 202, body
    assert _wait_active(nova, body['server']['id'], OWNER)['status'] == 'ACTIVE'
    _status, _h, servers = nova.request('GET', '/v2.1/servers', token=MEMBER)
    assert servers['servers'] == []
