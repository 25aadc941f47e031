"""First start of an edge box: bootstrap once, write the CLI profile, never again."""

import os

import yaml

from nova import context as nova_context
from nova.identity import edge
from nova.identity import passwords
from nova.objects import identity as identity_obj


def _enable(conf, tmp_path):
    conf.set_override('auth_strategy', 'local', group='api')
    conf.set_override('auto_bootstrap', True, group='identity')
    conf.set_override('clouds_yaml', str(tmp_path / 'profile' / 'clouds.yaml'),
                      group='identity')
    conf.set_override('public_endpoint', 'http://edge.example:8774/', group='identity')
    conf.set_override('password_hash_rounds', 4, group='identity')


def test_first_start_bootstraps_and_writes_the_profile(database, conf, tmp_path):
    _enable(conf, tmp_path)
    path = edge.prepare()
    assert path == str(tmp_path / 'profile' / 'clouds.yaml')
    assert os.stat(path).st_mode & 0o777 == 0o600
    with open(path) as f:
        cloud = yaml.safe_load(f)['clouds']['edge']
    assert cloud['auth']['auth_url'] == 'http://edge.example:8774/identity'
    admin = identity_obj.IdentityUser.get_user_by_name(
        nova_context.get_admin_context(), 'default', 'admin')
    assert passwords.verify_password(cloud['auth']['password'], admin['password_hash'])
    # A second start finds the admin and changes nothing, the profile included.
    before = open(path).read()
    assert edge.prepare() is None
    assert open(path).read() == before


def test_nothing_without_local_auth_or_the_option(database, conf, tmp_path):
    _enable(conf, tmp_path)
    conf.set_override('auth_strategy', 'noauth2', group='api')
    assert edge.prepare() is None
    conf.set_override('auth_strategy', 'local', group='api')
    conf.set_override('auto_bootstrap', False, group='identity')
    assert edge.prepare() is None
    assert not os.path.exists(tmp_path / 'profile')
