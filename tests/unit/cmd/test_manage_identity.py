"""nova-manage identity: Fernet key commands and bootstrap."""

import os

import pytest

from nova import context as nova_context
from nova.cmd import manage
from nova.identity import passwords
from nova.objects import identity as identity_obj
from tests.unit.cmd.test_manage import parse


def test_bootstrap_arguments_and_defaults():
    func, kwargs = parse(['identity', 'bootstrap', '--bootstrap-password', 'pw'])
    assert func.__func__ is manage.IdentityCommands.bootstrap
    assert kwargs == {'bootstrap_password': 'pw', 'bootstrap_username': 'admin',
                      'bootstrap_project_name': 'admin', 'bootstrap_role_name': 'admin',
                      'bootstrap_region_id': 'RegionOne', 'bootstrap_public_url': None,
                      'bootstrap_internal_url': None, 'bootstrap_admin_url': None,
                      'bootstrap_network_url': None, 'bootstrap_ec2_url': None}
    _func, kwargs = parse(['identity', 'bootstrap', '--bootstrap-username', 'root',
                           '--bootstrap-public-url', 'http://c:8774',
                           '--bootstrap-ec2-url', 'http://c:8773'])
    assert kwargs['bootstrap_username'] == 'root'
    assert kwargs['bootstrap_public_url'] == 'http://c:8774'
    assert kwargs['bootstrap_ec2_url'] == 'http://c:8773'
    for action in ('fernet_setup', 'fernet_rotate'):
        func, kwargs = parse(['identity', action])
        assert func.__func__ is getattr(manage.IdentityCommands, action) and kwargs == {}


@pytest.fixture
def key_repository(conf, tmp_path):
    path = str(tmp_path / 'keys')
    conf.set_override('key_repository', path, group='identity')
    return path


def test_fernet_setup_then_rotate(key_repository, capsys):
    commands = manage.IdentityCommands()
    assert commands.fernet_rotate() == 1
    assert 'fernet_setup' in capsys.readouterr().out
    assert commands.fernet_setup() == 0
    assert capsys.readouterr().out == 'Created Fernet keys in %s\n' % key_repository
    assert sorted(os.listdir(key_repository)) == ['0', '1']
    assert commands.fernet_setup() == 0
    assert 'already exist' in capsys.readouterr().out
    assert commands.fernet_rotate() == 0
    assert capsys.readouterr().out.startswith('Key 2 is now the primary key')
    assert sorted(os.listdir(key_repository)) == ['0', '1', '2']


def test_bootstrap_needs_a_password(database, capsys, monkeypatch):
    monkeypatch.delenv('OS_BOOTSTRAP_PASSWORD', raising=False)
    assert manage.IdentityCommands().bootstrap() == 1
    assert 'OS_BOOTSTRAP_PASSWORD' in capsys.readouterr().out
    ctx = nova_context.get_admin_context()
    assert identity_obj.IdentityUser.list_users(ctx) == []


def test_bootstrap_creates_everything_once(database, conf, capsys, monkeypatch):
    conf.set_override('password_hash_rounds', 4, group='identity')
    conf.set_override('my_ip', '192.0.2.10')
    monkeypatch.setenv('OS_BOOTSTRAP_PASSWORD', 'from-env')
    commands = manage.IdentityCommands()
    assert commands.bootstrap(bootstrap_ec2_url='http://192.0.2.10:8773/',
                              bootstrap_internal_url='http://10.0.0.1:8774') == 0
    out = capsys.readouterr().out
    assert 'Created user admin' in out and 'Created role reader' in out
    ctx = nova_context.get_admin_context()
    [user] = identity_obj.IdentityUser.list_users(ctx)
    assert passwords.verify_password('from-env', user['password_hash'])
    catalog = {service['type']: service
               for service in identity_obj.IdentityCatalog.get_catalog(ctx)}
    assert set(catalog) == {'identity', 'compute', 'image', 'ec2'}
    compute = {e['interface']: e['url'] for e in catalog['compute']['endpoints']}
    assert compute == {'public': 'http://192.0.2.10:8774/v2.1',
                       'internal': 'http://10.0.0.1:8774/v2.1'}
    assert [e['url'] for e in catalog['ec2']['endpoints']] == ['http://192.0.2.10:8773/']
    assert commands.bootstrap(bootstrap_ec2_url='http://192.0.2.10:8773/',
                              bootstrap_internal_url='http://10.0.0.1:8774') == 0
    assert capsys.readouterr().out == 'Everything already exists; nothing changed.\n'
    # A new public URL moves the endpoints instead of adding more.
    assert commands.bootstrap(bootstrap_public_url='https://cloud.example') == 0
    assert 'Updated compute public endpoint: https://cloud.example/v2.1' in \
        capsys.readouterr().out
    assert len(identity_obj.IdentityCatalog.list_endpoints(ctx, {'interface': 'public'})) == 4
