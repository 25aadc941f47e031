"""The Fernet key repository: setup, rotation, loading order."""

import os
import stat

from cryptography import fernet
import pytest

from nova import exception
from nova.identity import keys


@pytest.fixture
def repo(conf, tmp_path):
    path = str(tmp_path / 'fernet-keys')
    conf.set_override('key_repository', path, group='identity')
    return path


def _numbers(path):
    return sorted(int(name) for name in os.listdir(path))


def _read(path, number):
    with open(os.path.join(path, str(number)), 'rb') as f:
        return f.read()


def test_setup_creates_a_primary_and_a_staged_key(repo):
    assert keys.setup() is True
    assert _numbers(repo) == [0, 1]
    assert stat.S_IMODE(os.stat(repo).st_mode) == 0o700
    for number in (0, 1):
        assert stat.S_IMODE(os.stat(os.path.join(repo, str(number))).st_mode) == 0o600
        fernet.Fernet(_read(repo, number))  # a valid key
    assert _read(repo, 0) != _read(repo, 1)


def test_setup_leaves_an_existing_repository_alone(repo):
    keys.setup()
    before = {n: _read(repo, n) for n in _numbers(repo)}
    assert keys.setup() is False
    assert {n: _read(repo, n) for n in _numbers(repo)} == before


def test_rotation_promotes_the_staged_key_and_keeps_max_active(repo, conf):
    conf.set_override('max_active_keys', 3, group='identity')
    keys.setup()
    staged = _read(repo, 0)
    assert keys.rotate() == 2
    assert _numbers(repo) == [0, 1, 2]
    assert _read(repo, 2) == staged and _read(repo, 0) != staged
    assert keys.rotate() == 3
    assert _numbers(repo) == [0, 2, 3]  # the oldest secondary (1) is gone
    assert keys.rotate() == 4
    assert _numbers(repo) == [0, 3, 4]


def test_load_orders_primary_first_then_newest_then_staged(repo):
    keys.setup()
    keys.rotate()
    loaded = keys.load()
    assert loaded == [_read(repo, 2), _read(repo, 1), _read(repo, 0)]


def test_load_sees_a_rotation_without_restart(repo):
    keys.setup()
    first = keys.load()
    keys.rotate()
    assert keys.load() != first
    assert keys.load()[0] == first[-1]  # the staged key became primary


def test_missing_or_empty_repository_is_a_clear_error(repo):
    with pytest.raises(exception.IdentityKeyRepositoryError, match='fernet_setup'):
        keys.load()
    os.makedirs(repo)
    with pytest.raises(exception.IdentityKeyRepositoryError):
        keys.load()
    with pytest.raises(exception.IdentityKeyRepositoryError, match='staged'):
        keys.rotate()


def test_a_corrupt_key_file_is_a_clear_error(repo):
    keys.setup()
    with open(os.path.join(repo, '1'), 'w') as f:
        f.write('not a key')
    with pytest.raises(exception.IdentityKeyRepositoryError):
        keys.multi_fernet()
