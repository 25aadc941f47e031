"""python-novaclient (as a library) and the `openstack` CLI against nova-all: rebuild,
createImage, createBackup, shelve and unshelve. nova-all runs with the default
[DEFAULT] shelved_offload_time = 0, so shelving offloads at once."""

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

novaclient = pytest.importorskip('novaclient')

from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1 import token_endpoint  # noqa: E402
from novaclient import api_versions  # noqa: E402
from novaclient import client  # noqa: E402

from tests.compat.conftest import post_json  # noqa: E402

OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')


@pytest.fixture(scope='module')
def inputs(nova_all):
    flavor = post_json(nova_all.compute_url + '/flavors', {'flavor': {
        'name': 'compat.actions', 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    image = post_json(nova_all.url + '/image/v2/images', {
        'name': 'compat-actions', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova_all.url, image['id']),
                                 data=b'\0' * 256, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    return flavor['id'], image['id']


@pytest.fixture(params=['2.latest', '2.1'])
def any_nova(request, nova_all):
    sess = ks_session.Session(auth=token_endpoint.Token(nova_all.compute_url, 'admin:admin'))
    version = api_versions.APIVersion('2.1')
    if request.param == '2.latest':
        version = api_versions.discover_version(client.Client('2.1', session=sess),
                                                api_versions.APIVersion('2.latest'))
    return client.Client(version, session=sess)


def _wait(nova, server_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        server = nova.servers.get(server_id)
        if server.status == status and getattr(server, 'OS-EXT-STS:task_state') is None:
            return server
        assert server.status != 'ERROR', server.fault
        assert time.monotonic() < deadline, server.status
        time.sleep(0.2)


def _wait_image(nova_all, image_id, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        req = urllib.request.Request('%s/image/v2/images/%s' % (nova_all.url, image_id))
        req.add_header('X-Auth-Token', 'admin:admin')
        with urllib.request.urlopen(req, timeout=30) as resp:
            image = json.loads(resp.read())
        if image['status'] == 'active':
            return image
        assert time.monotonic() < deadline, image
        time.sleep(0.2)


def test_novaclient_image_actions(nova_all, any_nova, inputs):
    nova = any_nova
    flavor_id, image_id = inputs
    extra = {'nics': 'none'} if nova.api_version >= api_versions.APIVersion('2.37') else {}
    server = nova.servers.create('nc-actions', image_id, flavor_id, **extra)
    _wait(nova, server.id, 'ACTIVE')

    rebuilt = nova.servers.rebuild(server.id, image_id, name='nc-rebuilt', password='pw')
    assert rebuilt.adminPass == 'pw'
    assert _wait(nova, server.id, 'ACTIVE').name == 'nc-rebuilt'

    snapshot_id = nova.servers.create_image(server.id, 'nc-snap', metadata={'k': 'v'})
    snapshot = _wait_image(nova_all, snapshot_id)
    assert snapshot['instance_uuid'] == server.id and snapshot['k'] == 'v'
    _wait(nova, server.id, 'ACTIVE')

    backup = nova.servers.backup(server.id, 'nc-backup', 'weekly', 1)
    if nova.api_version >= api_versions.APIVersion('2.45'):
        assert _wait_image(nova_all, backup['image_id'])['backup_type'] == 'weekly'
    _wait(nova, server.id, 'ACTIVE')

    nova.servers.shelve(server.id)
    _wait(nova, server.id, 'SHELVED_OFFLOADED')
    nova.servers.unshelve(server.id)
    _wait(nova, server.id, 'ACTIVE')
    nova.servers.delete(server.id)


@pytest.mark.skipif(not os.path.exists(OPENSTACK),
                    reason='python-openstackclient is not installed')
def test_openstack_cli_image_actions(nova_all, inputs):
    flavor_id, image_id = inputs
    env = dict(os.environ, OS_AUTH_TYPE='admin_token', OS_TOKEN='admin:admin',
               OS_ENDPOINT=nova_all.compute_url,
               OS_COMPUTE_ENDPOINT_OVERRIDE=nova_all.compute_url,
               OS_IMAGE_ENDPOINT_OVERRIDE=nova_all.url + '/image')

    def run(*args):
        result = subprocess.run([OPENSTACK, *args], env=env, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        if '-f' not in args:
            return result.stdout
        # --wait prints its progress before the JSON document.
        return json.loads(result.stdout[result.stdout.index('{'):])

    server = run('server', 'create', '--image', image_id, '--flavor', flavor_id,
                 '--no-network', '--wait', '-f', 'json', 'osc-actions')
    assert server['status'] == 'ACTIVE'
    rebuilt = run('server', 'rebuild', '--image', image_id, '--name', 'osc-rebuilt',
                  '--wait', '-f', 'json', server['id'])
    assert rebuilt['name'] == 'osc-rebuilt'
    snapshot = run('server', 'image', 'create', '--name', 'osc-snap', '--wait', '-f', 'json',
                   server['id'])
    assert snapshot['name'] == 'osc-snap' and snapshot['status'] == 'active'
    run('server', 'shelve', '--wait', server['id'])
    shown = run('server', 'show', '-f', 'json', server['id'])
    assert shown['status'] == 'SHELVED_OFFLOADED'
    run('server', 'unshelve', '--wait', server['id'])
    assert run('server', 'show', '-f', 'json', server['id'])['status'] == 'ACTIVE'
    run('server', 'delete', '--wait', server['id'])
