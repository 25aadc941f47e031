"""Key generation, import validation and fingerprints (nova.compute.keypairs)."""

import base64
import hashlib
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
import pytest

from nova import exception
from nova.compute import keypairs

# The fingerprint the OpenSSH tools print for this key (ssh-keygen -l -E md5).
KNOWN_KEY = ('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd'
             '44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2Y'
             'iUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== Generated-by-Nova')


def _md5_colons(public_key):
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ':'.join(digest[i:i + 2] for i in range(0, 32, 2))


def _openssh(public_key_object):
    return public_key_object.public_bytes(serialization.Encoding.OpenSSH,
                                          serialization.PublicFormat.OpenSSH).decode()


def test_fingerprint_of_a_known_key_matches_ssh_keygen(tmp_path):
    expected = _md5_colons(KNOWN_KEY)
    assert keypairs.ssh_fingerprint(KNOWN_KEY) == expected
    key_file = tmp_path / 'key.pub'
    key_file.write_text(KNOWN_KEY + '\n')
    try:
        out = subprocess.run(['ssh-keygen', '-l', '-E', 'md5', '-f', str(key_file)],
                             capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        pytest.skip('ssh-keygen is not installed')
    assert 'MD5:' + expected in out


@pytest.mark.parametrize('make_key', [
    lambda: ec.generate_private_key(ec.SECP384R1()).public_key(),
    lambda: ed25519.Ed25519PrivateKey.generate().public_key(),
    lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key(),
], ids=['ecdsa', 'ed25519', 'rsa'])
def test_imported_key_types(make_key):
    public_key = _openssh(make_key()) + ' me@laptop'
    assert keypairs.fingerprint('ssh', public_key) == _md5_colons(public_key)


def test_surrounding_whitespace_is_tolerated():
    assert keypairs.ssh_fingerprint('  %s\n' % KNOWN_KEY) == _md5_colons(KNOWN_KEY)


@pytest.mark.parametrize('bad', [
    '', 'ssh-rsa', 'ssh-rsa !!!notbase64', 'ssh-rsa AAAAB3NzaC1yc2E=',
    'not a key at all', 'ssh-rsa ' + base64.b64encode(b'garbage').decode(),
    '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
])
def test_bad_ssh_keys_are_refused(bad):
    with pytest.raises(exception.InvalidKeypair,
                       match='^Keypair data is invalid: failed to generate fingerprint$'):
        keypairs.ssh_fingerprint(bad)


def test_generated_ssh_key_pair():
    private_pem, public_key, fingerprint = keypairs.generate_ssh_key_pair()
    assert private_pem.startswith('-----BEGIN RSA PRIVATE KEY-----')
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert private.key_size == 2048
    kind, blob, comment = public_key.split(' ')
    assert (kind, comment) == ('ssh-rsa', 'Generated-by-Nova')
    assert _openssh(private.public_key()) == '%s %s' % (kind, blob)
    assert fingerprint == _md5_colons(public_key)
    assert len(fingerprint) == 47
    assert keypairs.generate_ssh_key_pair()[1] != public_key


def test_generated_x509_certificate():
    private_pem, cert_pem, fingerprint = keypairs.generate_x509_cert('alice')
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    private = serialization.load_pem_private_key(private_pem.encode(), password=None)
    assert cert.public_key().public_numbers() == private.public_key().public_numbers()
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == 'alice'
    assert cert.issuer == cert.subject
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    upn = names.get_values_for_type(x509.OtherName)[0]
    assert upn.value == b'\x0c\x0falice@localhost'
    expected = ':'.join('%02x' % b for b in cert.fingerprint(hashes.SHA1()))
    assert fingerprint == expected == keypairs.fingerprint('x509', cert_pem)
    assert len(fingerprint) == 59


def test_long_user_ids_make_valid_certificates():
    _private, cert_pem, _fp = keypairs.generate_x509_cert('u' * 200)
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.OtherName)[0].value.endswith(b'@localhost')


@pytest.mark.parametrize('bad', ['', 'garbage', KNOWN_KEY,
                                 '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'])
def test_bad_certificates_are_refused(bad):
    with pytest.raises(exception.InvalidKeypair,
                       match='^Keypair data is invalid: failed to generate X509 fingerprint'):
        keypairs.x509_fingerprint(bad)
