"""Password (and secret) hashing with a slow key derivation function.

A stored hash names its algorithm and cost, so hashes made under an older configuration keep
verifying after ``[identity] password_hash_algorithm`` or ``password_hash_rounds`` change:

    $scrypt$ln=15,r=8,p=1$<salt>$<key>        $pbkdf2-sha512$600000$<salt>$<key>

(salt and key in unpadded URL-safe base64). Clear-text passwords exist only in the request
being served; nothing here logs them.
"""

import base64
import hmac
import os
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf import pbkdf2
from cryptography.hazmat.primitives.kdf import scrypt

import nova.conf

CONF = nova.conf.CONF

SALT_BYTES = 16
KEY_BYTES = 32
DEFAULT_SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
DEFAULT_PBKDF2_ITERATIONS = 600000
# Bounds on costs read back from stored hashes: a corrupt row must not stall the API.
MAX_SCRYPT_LOG2_N = 20
MAX_PBKDF2_ITERATIONS = 10000000


def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b'=').decode('ascii')


def _unb64(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def _scrypt(password, salt, log2_n):
    return scrypt.Scrypt(salt=salt, length=KEY_BYTES, n=2 ** log2_n, r=SCRYPT_R,
                         p=SCRYPT_P).derive(password)


def _pbkdf2(password, salt, iterations):
    return pbkdf2.PBKDF2HMAC(algorithm=hashes.SHA512(), length=KEY_BYTES, salt=salt,
                             iterations=iterations).derive(password)


def _encode(password):
    if not isinstance(password, str):
        raise TypeError('password must be a string')
    return password.encode('utf-8')


def hash_password(password):
    """A new salted hash of ``password`` with the configured algorithm and cost."""
    salt = os.urandom(SALT_BYTES)
    rounds = CONF.identity.password_hash_rounds
    if CONF.identity.password_hash_algorithm == 'pbkdf2_sha512':
        iterations = rounds or DEFAULT_PBKDF2_ITERATIONS
        key = _pbkdf2(_encode(password), salt, iterations)
        return '$pbkdf2-sha512$%d$%s$%s' % (iterations, _b64(salt), _b64(key))
    log2_n = rounds or DEFAULT_SCRYPT_LOG2_N
    key = _scrypt(_encode(password), salt, log2_n)
    return '$scrypt$ln=%d,r=%d,p=%d$%s$%s' % (log2_n, SCRYPT_R, SCRYPT_P, _b64(salt), _b64(key))


def _derive_like(password, stored):
    """The key ``password`` derives to under ``stored``'s parameters, and the stored key."""
    parts = stored.split('$')
    if len(parts) != 5 or parts[0] != '':
        raise ValueError('unrecognised password hash')
    algorithm, params, salt, key = parts[1], parts[2], _unb64(parts[3]), _unb64(parts[4])
    if algorithm == 'scrypt':
        values = dict(item.split('=', 1) for item in params.split(','))
        log2_n = int(values['ln'])
        if (int(values['r']), int(values['p'])) != (SCRYPT_R, SCRYPT_P) or \
                not 1 <= log2_n <= MAX_SCRYPT_LOG2_N:
            raise ValueError('unsupported scrypt parameters')
        return _scrypt(password, salt, log2_n), key
    if algorithm == 'pbkdf2-sha512':
        iterations = int(params)
        if not 1 <= iterations <= MAX_PBKDF2_ITERATIONS:
            raise ValueError('unsupported PBKDF2 iteration count')
        return _pbkdf2(password, salt, iterations), key
    raise ValueError('unknown password hash algorithm %s' % algorithm)


def verify_password(password, stored):
    """Whether ``password`` matches the ``stored`` hash (False for no hash or a bad one)."""
    if not stored or not isinstance(password, str):
        return False
    try:
        derived, key = _derive_like(_encode(password), stored)
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(derived, key)


def generate_secret(nbytes=32):
    """A random secret for application credentials and EC2 keys (URL-safe text)."""
    return secrets.token_urlsafe(nbytes)
