"""A real nova-all process (console entry point, SQLite, in-process bus) for the clients."""

import json
import urllib.error
import urllib.request

import pytest

from tests.integration import cluster as cluster_mod


@pytest.fixture(scope='session')
def nova_all(tmp_path_factory):
    nova = cluster_mod.NovaAll(str(tmp_path_factory.mktemp('nova-all')))
    nova.start()
    yield nova
    assert nova.stop() == 0, nova.log()
    assert 'Traceback' not in nova.log(), nova.log()


# The microversions the compat tests run at (None: no header, the 2.1 schemas).
MICROVERSIONS = [None, '2.11', '2.47', '2.53', '2.79', '2.96', '2.104']


@pytest.fixture(params=MICROVERSIONS, ids=lambda v: v or 'none')
def microversion(request):
    from tempest.lib.services.compute import base_compute_client
    saved = base_compute_client.COMPUTE_MICROVERSION
    base_compute_client.COMPUTE_MICROVERSION = request.param
    yield request.param
    base_compute_client.COMPUTE_MICROVERSION = saved


def post_json(url, body, token='admin:admin'):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method='POST')
    req.add_header('X-Auth-Token', token)
    req.add_header('Content-Type', 'application/json')
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as error:
        raise AssertionError('POST %s: %s %s' % (url, error.code, error.read())) from None


@pytest.fixture(scope='session')
def boot_inputs(nova_all):
    """(flavor id, image id) every server test on the shared nova-all boots from."""
    flavor = post_json(nova_all.compute_url + '/flavors', {'flavor': {
        'name': 'compat.tiny', 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    image = post_json(nova_all.url + '/image/v2/images', {
        'name': 'compat-image', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova_all.url, image['id']),
                                 data=b'\0' * 1024, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    return flavor['id'], image['id']
