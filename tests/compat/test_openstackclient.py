"""The unmodified `openstack` CLI against nova-all (noauth2 via an admin token)."""

import json
import os
import subprocess
import sys

import pytest

OPENSTACK = os.path.join(os.path.dirname(sys.executable), 'openstack')

pytestmark = pytest.mark.skipif(not os.path.exists(OPENSTACK),
                                reason='python-openstackclient is not installed')


@pytest.fixture
def openstack(nova_all):
    env = dict(os.environ, OS_AUTH_TYPE='admin_token', OS_TOKEN='admin:admin',
               OS_ENDPOINT=nova_all.compute_url,
               OS_COMPUTE_ENDPOINT_OVERRIDE=nova_all.compute_url)

    def run(*args, check=True):
        result = subprocess.run([OPENSTACK, *args], env=env, capture_output=True, text=True,
                                timeout=120)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result
    return run


def _services(openstack):
    return {s['Binary']: s for s in json.loads(
        openstack('compute', 'service', 'list', '--long', '-f', 'json').stdout)}


def test_service_list_negotiates_a_modern_microversion(openstack):
    services = _services(openstack)
    assert set(services) == {'nova-conductor', 'nova-scheduler', 'nova-compute'}
    compute = services['nova-compute']
    assert compute['Host'] == 'edge1' and compute['Zone'] == 'nova'
    assert compute['State'] == 'up' and compute['Status'] == 'enabled'
    # UUID ids mean the CLI discovered the version range and used 2.53 or later.
    assert len(str(compute['ID'])) == 36


def test_disable_enable_and_force_down(openstack):
    openstack('compute', 'service', 'set', '--disable', '--disable-reason', 'maintenance',
              'edge1', 'nova-compute')
    compute = _services(openstack)['nova-compute']
    assert compute['Status'] == 'disabled' and compute['Disabled Reason'] == 'maintenance'
    openstack('compute', 'service', 'set', '--enable', 'edge1', 'nova-compute')
    openstack('compute', 'service', 'set', '--down', 'edge1', 'nova-compute')
    assert _services(openstack)['nova-compute']['State'] == 'down'
    openstack('compute', 'service', 'set', '--up', 'edge1', 'nova-compute')
    compute = _services(openstack)['nova-compute']
    assert (compute['Status'], compute['State']) == ('enabled', 'up')


def test_unknown_service_is_an_error(openstack):
    result = openstack('compute', 'service', 'delete', '00000000-0000-0000-0000-00000000dead',
                       check=False)
    assert result.returncode != 0
    assert 'could not be found' in result.stderr or 'Failed to delete' in result.stderr
