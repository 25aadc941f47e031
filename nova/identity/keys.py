"""The Fernet key repository, laid out and rotated as keystone-manage does it.

The directory holds one key per file, named by an integer: ``0`` is the staged key (already
accepted, not yet used to make tokens), the highest number is the primary (makes tokens),
and the numbers between are secondaries (still accepted). Rotating promotes the staged key
to primary, stages a new one and drops the oldest secondaries beyond ``max_active_keys``.
Staging first means a key reaches every API host (by copying the directory) before any of
them makes a token with it.
"""

import logging
import os
import tempfile
import threading

from cryptography import fernet

from nova import exception
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

STAGED = 0

_cache_lock = threading.Lock()
_cache = {}  # path -> (directory signature, keys)


def _path(path=None):
    return path or CONF.identity.key_repository


def _key_numbers(path):
    try:
        names = os.listdir(path)
    except FileNotFoundError:
        return []
    return sorted(int(name) for name in names if name.isdigit())


def _write_key(path, number):
    """Write a new key as file ``number``, atomically and readable by its owner only."""
    fd, tmp = tempfile.mkstemp(dir=path, prefix='.tmp-')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(fernet.Fernet.generate_key())
        os.chmod(tmp, 0o600)
        os.rename(tmp, os.path.join(path, str(number)))
    except BaseException:
        os.unlink(tmp)
        raise


def setup(path=None):
    """Create the repository with a primary and a staged key; leave an existing one alone.

    Returns True when keys were created.
    """
    path = _path(path)
    os.makedirs(path, mode=0o700, exist_ok=True)
    if _key_numbers(path):
        return False
    _write_key(path, STAGED)
    rotate(path)
    return True


def rotate(path=None, max_active_keys=None):
    """Promote the staged key, stage a new one, drop the oldest beyond max_active_keys.

    Returns the number of the new primary key.
    """
    path = _path(path)
    max_active_keys = max_active_keys or CONF.identity.max_active_keys
    numbers = _key_numbers(path)
    if STAGED not in numbers:
        raise exception.IdentityKeyRepositoryError(
            path=path, reason='no staged key "0"; run fernet_setup first')
    primary = max(numbers) + 1
    os.rename(os.path.join(path, str(STAGED)), os.path.join(path, str(primary)))
    _write_key(path, STAGED)
    numbers = _key_numbers(path)
    excess = len(numbers) - max_active_keys
    for number in [n for n in numbers if n != STAGED][:max(excess, 0)]:
        os.unlink(os.path.join(path, str(number)))
    LOG.info('Fernet keys in %s rotated: key %d is now primary', path, primary)
    return primary


def _signature(path):
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_ino, tuple(_key_numbers(path)))


def load(path=None):
    """The keys, primary first (it makes tokens), then the others newest first."""
    path = _path(path)
    try:
        signature = _signature(path)
    except FileNotFoundError:
        signature = None
    with _cache_lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == signature:
            return cached[1]
    numbers = signature[2] if signature else ()
    if not [n for n in numbers if n != STAGED]:
        raise exception.IdentityKeyRepositoryError(
            path=path, reason='no keys; run "nova-manage identity fernet_setup"')
    keys = []
    for number in sorted(numbers, key=lambda n: (n != STAGED, n), reverse=True):
        with open(os.path.join(path, str(number)), 'rb') as f:
            keys.append(f.read().strip())
    with _cache_lock:
        _cache[path] = (signature, keys)
    return keys


def multi_fernet(path=None):
    try:
        return fernet.MultiFernet([fernet.Fernet(key) for key in load(path)])
    except ValueError as error:  # a file that is not a Fernet key
        raise exception.IdentityKeyRepositoryError(path=_path(path), reason=str(error))
