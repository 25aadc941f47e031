"""The README's first command, as a user lives it: nova-all with the shipped edge
configuration bootstraps its identity, writes a clouds.yaml, and the unmodified
`openstack` and `nova` CLIs then drive it end to end with password authentication."""

import configparser
import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.integration import cluster as cluster_mod

BIN = os.path.dirname(sys.executable)
OPENSTACK = os.path.join(BIN, 'openstack')
NOVA = os.path.join(BIN, 'nova')
EDGE_CONF = os.path.join(cluster_mod.REPO, 'etc', 'nova', 'nova-edge.conf')

pytestmark = pytest.mark.skipif(
    not (os.path.exists(OPENSTACK) and os.path.exists(NOVA)),
    reason='python-openstackclient and python-novaclient are not installed')


def _edge_values(workdir, port):
    """etc/nova/nova-edge.conf as shipped, moved to ``workdir`` and a free port."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(EDGE_CONF)
    values = {section: dict(parser.items(section)) for section in parser.sections()}
    values['DEFAULT'] = dict(parser.defaults(), state_path=workdir, host='edge1',
                             osapi_compute_listen='127.0.0.1',
                             osapi_compute_listen_port=str(port), report_interval='1')
    return values


@pytest.fixture(scope='module')
def edge(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp('edge'))
    nova = cluster_mod.NovaAll(workdir)
    nova.conf_values = _edge_values(workdir, nova.port)
    cluster_mod.write_config(nova.conf, nova.conf_values)
    nova.start()
    yield nova
    assert nova.stop() == 0, nova.log()
    assert 'Traceback' not in nova.log(), nova.log()


def _clean_env(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith('OS_')}
    env.update(extra)
    return env


@pytest.fixture(scope='module')
def profile(edge):
    path = os.path.join(edge.conf_values['DEFAULT']['state_path'], 'clouds.yaml')
    assert 'export OS_CLIENT_CONFIG_FILE=%s OS_CLOUD=edge' % path in edge.log()
    assert oct(os.stat(path).st_mode & 0o777) == '0o600'
    with open(path) as f:
        return path, yaml.safe_load(f)['clouds']['edge']


def _runner(binary, env):
    def run(*args, check=True):
        result = subprocess.run([binary, *args], env=env, capture_output=True, text=True,
                                timeout=180)
        if check:
            assert result.returncode == 0, ' '.join(args) + '\n' + result.stdout + \
                result.stderr
        return result
    return run


@pytest.fixture(scope='module')
def openstack(profile):
    path, _cloud = profile
    return _runner(OPENSTACK, _clean_env(OS_CLIENT_CONFIG_FILE=path, OS_CLOUD='edge'))


def _json(result):
    return json.loads(result.stdout)


def test_the_profile_names_the_catalog_of_this_box(edge, profile):
    _path, cloud = profile
    assert cloud['auth']['auth_url'] == 'http://127.0.0.1:%d/identity' % edge.port
    assert cloud['auth']['username'] == 'admin' and len(cloud['auth']['password']) >= 16


def test_openstack_cli_flavor_image_server_lifecycle(openstack, tmp_path):
    flavor = _json(openstack('flavor', 'create', 'a1.tiny', '--id', 'auto', '--ram', '64',
                             '--disk', '1', '--vcpus', '1', '-f', 'json'))
    assert flavor['name'] == 'a1.tiny' and flavor['ram'] == 64
    image_file = tmp_path / 'cirros.img'
    image_file.write_bytes(b'\0' * 4096 + b'edge image')
    image = _json(openstack('image', 'create', 'cirros', '--file', str(image_file),
                            '--disk-format', 'raw', '--container-format', 'bare', '-f',
                            'json'))
    assert image['status'] == 'active' and image['size'] == 4106
    server = _json(openstack('server', 'create', '--flavor', 'a1.tiny', '--image', 'cirros',
                             '--nic', 'none', '--wait', 'vm1', '-f', 'json'))
    assert server['status'] == 'ACTIVE', server
    listed = _json(openstack('server', 'list', '-f', 'json'))
    assert [(s['Name'], s['Status'], s['Image'], s['Flavor']) for s in listed] == [
        ('vm1', 'ACTIVE', 'cirros', 'a1.tiny')]
    shown = _json(openstack('server', 'show', 'vm1', '-f', 'json'))
    assert shown['id'] == server['id'] and shown['OS-EXT-SRV-ATTR:host'] == 'edge1'
    openstack('server', 'delete', '--wait', 'vm1')
    assert _json(openstack('server', 'list', '-f', 'json')) == []


def test_nova_cli_boot_list_delete(profile, openstack):
    _path, cloud = profile
    auth = cloud['auth']
    nova = _runner(NOVA, _clean_env(
        OS_AUTH_URL=auth['auth_url'], OS_USERNAME=auth['username'],
        OS_PASSWORD=auth['password'], OS_PROJECT_NAME=auth['project_name'],
        OS_USER_DOMAIN_NAME='Default', OS_PROJECT_DOMAIN_NAME='Default'))
    if not _json(openstack('flavor', 'list', '-f', 'json')):
        openstack('flavor', 'create', 'a1.tiny', '--ram', '64', '--disk', '1', '--vcpus', '1')
    image_ids = [i['ID'] for i in _json(openstack('image', 'list', '-f', 'json'))]
    if not image_ids:
        image_ids = [_json(openstack('image', 'create', 'tiny', '--disk-format', 'raw',
                                     '--container-format', 'bare', '-f', 'json'))['id']]
    flavor = _json(openstack('flavor', 'list', '-f', 'json'))[0]['Name']
    boot = nova('boot', '--flavor', flavor, '--image', image_ids[0], '--nic', 'none',
                '--poll', 'vm2')
    assert 'vm2' in boot.stdout
    listed = nova('list')
    assert 'vm2' in listed.stdout and 'ACTIVE' in listed.stdout
    nova('delete', 'vm2')
    deleted = openstack('server', 'show', 'vm2', check=False)
    # Deleting is asynchronous: the server is gone or on its way.
    assert deleted.returncode != 0 or _json(openstack(
        'server', 'show', 'vm2', '-f', 'json'))['OS-EXT-STS:task_state'] == 'deleting'


def test_wrong_password_is_refused(profile):
    _path, cloud = profile
    auth = dict(cloud['auth'], password='not-the-password')
    result = subprocess.run(
        [OPENSTACK, 'server', 'list'], capture_output=True, text=True, timeout=120,
        env=_clean_env(OS_AUTH_URL=auth['auth_url'], OS_USERNAME='admin',
                       OS_PASSWORD=auth['password'], OS_PROJECT_NAME='admin',
                       OS_USER_DOMAIN_NAME='Default', OS_PROJECT_DOMAIN_NAME='Default',
                       OS_IDENTITY_API_VERSION='3'))
    assert result.returncode != 0
    assert 'HTTP 401' in result.stderr, result.stderr


def test_a_second_start_keeps_the_users(edge, profile):
    path, cloud = profile
    assert edge.stop() == 0
    edge.start()  # a new log
    assert 'bootstrapped the identity service' not in edge.log()
    with open(path) as f:
        assert yaml.safe_load(f)['clouds']['edge'] == cloud
