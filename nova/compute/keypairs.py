"""Key pair crypto: generate SSH keys and X.509 certificates, and fingerprint imported ones.

Fingerprints follow upstream Nova so clients comparing them keep working: an SSH key's is
the MD5 of its wire-format blob as colon-separated hex; a certificate's is its SHA-1 digest
in the same notation.
"""

import base64
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from nova import exception
from nova.i18n import _

KEY_BITS = 2048
# Generated public keys carry this comment, as upstream's do.
GENERATED_KEY_COMMENT = 'Generated-by-Nova'
# Generated certificates are valid for ten years.
CERT_VALIDITY = datetime.timedelta(days=3650)
# The OID of a Microsoft User Principal Name, the subject WinRM looks for.
_UPN_OID = x509.ObjectIdentifier('1.3.6.1.4.1.311.20.2.3')
_MAX_CN = 64


def _colon_hex(digest):
    return ':'.join('%02x' % byte for byte in digest)


def _private_key_pem(key):
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.TraditionalOpenSSL,
        encryption_algorithm=serialization.NoEncryption()).decode('ascii')


def ssh_fingerprint(public_key):
    """The MD5 fingerprint of an OpenSSH public key line; InvalidKeypair if it is not one."""
    try:
        text = public_key.strip()
        serialization.load_ssh_public_key(text.encode('utf-8'))
        blob = base64.b64decode(text.split()[1], validate=True)
    # Anything unparsable (bad base64, unknown key type: UnsupportedAlgorithm, ...) is
    # simply not a public key.
    except Exception:
        raise exception.InvalidKeypair(reason=_('failed to generate fingerprint'))
    return _colon_hex(hashlib.md5(blob, usedforsecurity=False).digest())


def x509_fingerprint(certificate_pem):
    """The SHA-1 fingerprint of a PEM certificate; InvalidKeypair if it is not one."""
    try:
        cert = x509.load_pem_x509_certificate(certificate_pem.encode('utf-8'))
    except (ValueError, TypeError, AttributeError, UnicodeError) as exc:
        raise exception.InvalidKeypair(
            reason=_('failed to generate X509 fingerprint. Error message: %s') % exc)
    return _colon_hex(cert.fingerprint(hashes.SHA1()))  # noqa: S303 - upstream's format


def fingerprint(key_type, public_key):
    """The fingerprint of an imported key of ``key_type`` ('ssh' or 'x509')."""
    if key_type == 'x509':
        return x509_fingerprint(public_key)
    return ssh_fingerprint(public_key)


def generate_ssh_key_pair(bits=KEY_BITS):
    """A new RSA key: (private key PEM, OpenSSH public key line, fingerprint)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    public = key.public_key().public_bytes(
        encoding=serialization.Encoding.OpenSSH,
        format=serialization.PublicFormat.OpenSSH).decode('ascii')
    public = '%s %s' % (public, GENERATED_KEY_COMMENT)
    return _private_key_pem(key), public, ssh_fingerprint(public)


def generate_x509_cert(user_id, bits=KEY_BITS):
    """A self-signed client certificate for ``user_id`` (as WinRM certificate
    authentication wants it): (private key PEM, certificate PEM, fingerprint)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    # A common name holds at most 64 characters; the UPN below keeps the whole user id.
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id[:_MAX_CN])])
    now = datetime.datetime.now(datetime.timezone.utc)
    upn = x509.OtherName(_UPN_OID, _der_utf8_string('%s@localhost' % user_id))
    cert = (x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + CERT_VALIDITY)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectAlternativeName([upn]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode('ascii')
    return _private_key_pem(key), cert_pem, x509_fingerprint(cert_pem)


def _der_utf8_string(text):
    """DER encoding of an ASN.1 UTF8String (the value of a UPN otherName)."""
    data = text.encode('utf-8')
    if len(data) < 0x80:
        length = bytes([len(data)])
    else:
        size = len(data).to_bytes((len(data).bit_length() + 7) // 8, 'big')
        length = bytes([0x80 | len(size)]) + size
    return b'\x0c' + length + data
