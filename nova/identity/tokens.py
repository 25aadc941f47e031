"""Tokens: who, which scope, until when, sealed with the Fernet keys of the key repository.

A token carries only ids (user, project or domain, application credential), the methods
used, its audit ids and its times, encrypted and signed with the primary key (Fernet:
AES-128-CBC + HMAC-SHA256). Everything else a token response shows (names, roles, catalog)
is read from the API database each time the token is validated, so a disabled user, a
removed role or a revocation takes effect at once. A tampered token, one made with a key no
longer in the repository, or an expired one is invalid.
"""

import base64
import dataclasses
import datetime
import os

from cryptography import fernet
from oslo_serialization import jsonutils
from oslo_utils import timeutils

from nova import exception
import nova.conf
from nova.identity import keys

CONF = nova.conf.CONF

PAYLOAD_VERSION = 1
TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%fZ'
# A Fernet token of our payload is well under this; longer input is not worth decrypting.
MAX_TOKEN_LENGTH = 4096


def format_time(value):
    return value.strftime(TIME_FORMAT) if value is not None else None


def parse_time(text):
    return datetime.datetime.strptime(text, TIME_FORMAT)


def new_audit_id():
    """A random id for audit trails, in the form Keystone uses (22 URL-safe characters)."""
    return base64.urlsafe_b64encode(os.urandom(16)).rstrip(b'=').decode('ascii')


@dataclasses.dataclass
class TokenPayload:
    """What a token proves: ``user_id`` authenticated with ``methods`` for a scope."""

    user_id: str
    methods: list
    issued_at: datetime.datetime
    expires_at: datetime.datetime
    audit_ids: list
    project_id: str = None
    domain_id: str = None
    app_cred_id: str = None

    @property
    def scope(self):
        if self.project_id:
            return 'project'
        if self.domain_id:
            return 'domain'
        return 'unscoped'

    def to_dict(self):
        return {'user_id': self.user_id, 'methods': list(self.methods),
                'issued_at': format_time(self.issued_at),
                'expires_at': format_time(self.expires_at),
                'audit_ids': list(self.audit_ids), 'project_id': self.project_id,
                'domain_id': self.domain_id, 'app_cred_id': self.app_cred_id}

    @classmethod
    def from_dict(cls, values):
        return cls(user_id=values['user_id'], methods=list(values['methods']),
                   issued_at=parse_time(values['issued_at']),
                   expires_at=parse_time(values['expires_at']),
                   audit_ids=list(values['audit_ids']), project_id=values.get('project_id'),
                   domain_id=values.get('domain_id'), app_cred_id=values.get('app_cred_id'))


def new_payload(user_id, methods, project_id=None, domain_id=None, app_cred_id=None,
                parent=None, expires_at=None):
    """The payload of a token issued now.

    A token made from ``parent`` (rescoping) keeps its expiry and joins its audit chain;
    ``expires_at`` can only shorten the lifetime (an expiring application credential).
    """
    issued_at = timeutils.utcnow()
    lifetime_end = issued_at + datetime.timedelta(seconds=CONF.identity.token_expiration)
    audit_ids = [new_audit_id()]
    if parent is not None:
        lifetime_end = parent.expires_at
        audit_ids.append(parent.audit_ids[-1])
    if expires_at is not None:
        lifetime_end = min(lifetime_end, expires_at)
    return TokenPayload(user_id=user_id, methods=list(methods), issued_at=issued_at,
                        expires_at=lifetime_end, audit_ids=audit_ids, project_id=project_id,
                        domain_id=domain_id, app_cred_id=app_cred_id)


def _compact(payload):
    values = {'v': PAYLOAD_VERSION, 'u': payload.user_id, 'm': payload.methods,
              'i': format_time(payload.issued_at), 'e': format_time(payload.expires_at),
              'a': payload.audit_ids}
    for key, value in (('p', payload.project_id), ('d', payload.domain_id),
                       ('c', payload.app_cred_id)):
        if value is not None:
            values[key] = value
    return jsonutils.dump_as_bytes(values)


def _expand(data):
    values = jsonutils.loads(data)
    if values.get('v') != PAYLOAD_VERSION:
        raise ValueError('unknown token payload version')
    return TokenPayload(user_id=values['u'], methods=values['m'],
                        issued_at=parse_time(values['i']), expires_at=parse_time(values['e']),
                        audit_ids=values['a'], project_id=values.get('p'),
                        domain_id=values.get('d'), app_cred_id=values.get('c'))


def issue(payload):
    """The token (text) sealing ``payload`` with the primary key."""
    token = keys.multi_fernet().encrypt(_compact(payload))
    return token.rstrip(b'=').decode('ascii')  # as Keystone: padding is restored on reading


def decode(token, now=None):
    """The payload of a genuine, unexpired token; IdentityTokenInvalid otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise exception.IdentityTokenInvalid()
    try:
        raw = token.encode('ascii')
    except UnicodeEncodeError:
        raise exception.IdentityTokenInvalid()
    raw += b'=' * (-len(raw) % 4)
    try:
        payload = _expand(keys.multi_fernet().decrypt(raw))
    except (fernet.InvalidToken, ValueError, KeyError, TypeError):
        raise exception.IdentityTokenInvalid()
    if payload.expires_at <= (now or timeutils.utcnow()):
        raise exception.IdentityTokenInvalid()
    return payload
