"""KeyPair and KeyPairList against a real (SQLite) API database."""

import pytest

from nova import exception
from nova.objects import keypair as keypair_obj


def _keypair(ctx, name, user_id='u1', **kwargs):
    keypair = keypair_obj.KeyPair(ctx, name=name, user_id=user_id,
                                  fingerprint='aa:bb', public_key='ssh-ed25519 AAAA', **kwargs)
    keypair.create()
    return keypair


def test_create_get_and_destroy(user_ctx):
    created = _keypair(user_ctx, 'mykey')
    assert created.type == 'ssh' and created.id and created.created_at
    loaded = keypair_obj.KeyPair.get_by_name(user_ctx, 'u1', 'mykey')
    assert (loaded.fingerprint, loaded.public_key) == ('aa:bb', 'ssh-ed25519 AAAA')
    loaded.destroy()
    with pytest.raises(exception.KeypairNotFound):
        keypair_obj.KeyPair.get_by_name(user_ctx, 'u1', 'mykey')
    with pytest.raises(exception.KeypairNotFound):
        loaded.destroy()


def test_x509_type_and_bad_type(user_ctx):
    assert _keypair(user_ctx, 'cert', type='x509').type == 'x509'
    assert keypair_obj.KeyPair.get_by_name(user_ctx, 'u1', 'cert').type == 'x509'
    with pytest.raises(ValueError):
        keypair_obj.KeyPair(user_ctx, name='bad', user_id='u1', type='pgp')


def test_names_are_unique_per_user_only(user_ctx):
    _keypair(user_ctx, 'mykey')
    with pytest.raises(exception.KeyPairExists):
        _keypair(user_ctx, 'mykey')
    _keypair(user_ctx, 'mykey', user_id='u2')
    assert keypair_obj.KeyPairList.get_count_by_user(user_ctx, 'u1') == 1
    assert keypair_obj.KeyPairList.get_count_by_user(user_ctx, 'u2') == 1


def test_create_needs_name_and_user(user_ctx):
    with pytest.raises(exception.ObjectActionError):
        keypair_obj.KeyPair(user_ctx, name='orphan').create()
    created = _keypair(user_ctx, 'once')
    with pytest.raises(exception.ObjectActionError):
        created.create()


def test_destroy_by_name(user_ctx):
    _keypair(user_ctx, 'mykey')
    keypair_obj.KeyPair.destroy_by_name(user_ctx, 'u1', 'mykey')
    assert keypair_obj.KeyPairList.get_count_by_user(user_ctx, 'u1') == 0
    with pytest.raises(exception.KeypairNotFound):
        keypair_obj.KeyPair.destroy_by_name(user_ctx, 'u1', 'mykey')


def test_list_by_user_sorted_by_name_with_paging(user_ctx):
    for name in ('delta', 'alpha', 'echo', 'charlie', 'bravo'):
        _keypair(user_ctx, name)
    _keypair(user_ctx, 'zulu', user_id='u2')

    def names(**kwargs):
        return [k.name for k in keypair_obj.KeyPairList.get_by_user(user_ctx, 'u1', **kwargs)]

    assert names() == ['alpha', 'bravo', 'charlie', 'delta', 'echo']
    assert names(limit=2) == ['alpha', 'bravo']
    assert names(limit=2, marker='bravo') == ['charlie', 'delta']
    assert names(marker='echo') == []
    with pytest.raises(exception.MarkerNotFound):
        names(marker='zulu')  # another user's key is no marker
    assert keypair_obj.KeyPairList.get_count_by_user(user_ctx, 'u1') == 5
    assert keypair_obj.KeyPairList.get_count_by_user(user_ctx, 'nobody') == 0
