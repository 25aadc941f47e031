"""Fernet tokens: sealed, expiring, readable across a key rotation, and not beyond."""

import datetime

from oslo_utils import timeutils
import pytest

from nova import exception
from nova.identity import keys
from nova.identity import tokens


@pytest.fixture
def repo(conf, tmp_path):
    conf.set_override('key_repository', str(tmp_path / 'keys'), group='identity')
    conf.set_override('max_active_keys', 3, group='identity')
    keys.setup()


def _payload(**kwargs):
    values = dict(user_id='u' * 32, methods=['password'], project_id='p' * 32)
    values.update(kwargs)
    return tokens.new_payload(**values)


def test_round_trip(repo):
    payload = _payload(app_cred_id='a' * 32)
    token = tokens.issue(payload)
    assert '=' not in token and len(token) < 512  # fits any header limit
    decoded = tokens.decode(token)
    assert decoded == payload
    assert decoded.scope == 'project'


def test_scopes(repo):
    assert tokens.decode(tokens.issue(_payload(project_id=None))).scope == 'unscoped'
    domain = tokens.decode(tokens.issue(_payload(project_id=None, domain_id='default')))
    assert (domain.scope, domain.domain_id) == ('domain', 'default')


def test_lifetime_follows_configuration(repo, conf):
    conf.set_override('token_expiration', 120, group='identity')
    payload = _payload()
    assert payload.expires_at - payload.issued_at == datetime.timedelta(seconds=120)
    assert len(payload.audit_ids) == 1 and len(payload.audit_ids[0]) == 22


def test_rescoped_token_keeps_expiry_and_audit_chain(repo):
    parent = _payload(project_id=None)
    child = _payload(parent=parent, methods=['token', 'password'])
    assert child.expires_at == parent.expires_at
    assert child.audit_ids[1] == parent.audit_ids[0] and child.audit_ids[0] != parent.audit_ids[0]
    grandchild = _payload(parent=child)
    assert grandchild.audit_ids[1] == parent.audit_ids[0]  # the chain's first id


def test_expires_at_only_shortens(repo):
    soon = timeutils.utcnow() + datetime.timedelta(seconds=30)
    assert _payload(expires_at=soon).expires_at == soon
    late = timeutils.utcnow() + datetime.timedelta(days=30)
    assert _payload(expires_at=late).expires_at < late


def test_expired_token_is_invalid(repo):
    token = tokens.issue(_payload())
    later = timeutils.utcnow() + datetime.timedelta(seconds=3601)
    with pytest.raises(exception.IdentityTokenInvalid):
        tokens.decode(token, now=later)


def test_tampered_token_is_invalid(repo):
    token = tokens.issue(_payload())
    middle = len(token) // 2
    flipped = token[:middle] + ('A' if token[middle] != 'A' else 'B') + token[middle + 1:]
    for bad in (flipped, token[:-4], token + 'AAAA', '', 'x' * 5000, 'ü' * 20, None):
        with pytest.raises(exception.IdentityTokenInvalid):
            tokens.decode(bad)


def test_token_of_another_repository_is_invalid(repo, conf, tmp_path):
    token = tokens.issue(_payload())
    conf.set_override('key_repository', str(tmp_path / 'other'), group='identity')
    keys.setup()
    with pytest.raises(exception.IdentityTokenInvalid):
        tokens.decode(token)


def test_tokens_survive_rotation_until_their_key_is_dropped(repo):
    token = tokens.issue(_payload())
    keys.rotate()  # primary 1 -> secondary
    assert tokens.decode(token).user_id == 'u' * 32
    keys.rotate()  # 1 is the oldest secondary beyond max_active_keys=3: dropped
    with pytest.raises(exception.IdentityTokenInvalid):
        tokens.decode(token)


def test_staged_key_already_decrypts(repo, conf, tmp_path):
    """A host that has the staged key accepts tokens from a host that rotated first."""
    import shutil
    other = str(tmp_path / 'copy')
    shutil.copytree(conf.identity.key_repository, other)
    keys.rotate(other)  # the other host promotes the staged key and makes a token
    conf.set_override('key_repository', other, group='identity')
    token = tokens.issue(_payload())
    conf.set_override('key_repository', str(tmp_path / 'keys'), group='identity')
    assert tokens.decode(token).user_id == 'u' * 32


def test_payload_dict_round_trip(repo):
    payload = _payload(domain_id='d', project_id=None)
    assert tokens.TokenPayload.from_dict(payload.to_dict()) == payload
