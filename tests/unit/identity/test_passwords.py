"""Password hashing: salted, slow, self-describing, constant-time compared."""

import pytest

from nova.identity import passwords


@pytest.fixture(params=['scrypt', 'pbkdf2_sha512'])
def algorithm(request, conf):
    conf.set_override('password_hash_algorithm', request.param, group='identity')
    # Cheap costs keep the tests fast; the default costs are checked separately.
    conf.set_override('password_hash_rounds', 4 if request.param == 'scrypt' else 1000,
                      group='identity')
    return request.param


def test_hash_verifies_only_the_same_password(algorithm):
    stored = passwords.hash_password('correct horse')
    assert 'correct horse' not in stored
    assert passwords.verify_password('correct horse', stored)
    assert not passwords.verify_password('correct horsf', stored)
    assert not passwords.verify_password('', stored)


def test_hashes_are_salted(algorithm):
    assert passwords.hash_password('same') != passwords.hash_password('same')


def test_hash_names_algorithm_and_cost(algorithm):
    stored = passwords.hash_password('pw')
    if algorithm == 'scrypt':
        assert stored.startswith('$scrypt$ln=4,r=8,p=1$')
    else:
        assert stored.startswith('$pbkdf2-sha512$1000$')


def test_old_hashes_verify_after_the_configuration_changes(conf):
    conf.set_override('password_hash_rounds', 4, group='identity')
    old = passwords.hash_password('pw')
    conf.set_override('password_hash_algorithm', 'pbkdf2_sha512', group='identity')
    conf.set_override('password_hash_rounds', 1000, group='identity')
    assert passwords.verify_password('pw', old)
    assert passwords.hash_password('pw').startswith('$pbkdf2-sha512$')


def test_default_cost_is_slow(conf):
    assert passwords.hash_password('pw').startswith('$scrypt$ln=15,r=8,p=1$')


def test_unicode_passwords(algorithm):
    stored = passwords.hash_password('pässwörd ✓')
    assert passwords.verify_password('pässwörd ✓', stored)
    assert not passwords.verify_password('passwort ✓', stored)


@pytest.mark.parametrize('stored', [
    None, '', 'plain-text', '$md5$x$y$z', '$scrypt$ln=99,r=8,p=1$AAAA$AAAA',
    '$scrypt$ln=4,r=1,p=1$AAAA$AAAA', '$pbkdf2-sha512$0$AAAA$AAAA',
    '$pbkdf2-sha512$many$AAAA$AAAA', '$scrypt$garbage$AAAA$AAAA',
])
def test_bad_stored_hashes_never_verify(stored):
    assert not passwords.verify_password('pw', stored)


def test_non_string_password_never_verifies(conf):
    conf.set_override('password_hash_rounds', 4, group='identity')
    stored = passwords.hash_password('1234')
    assert not passwords.verify_password(1234, stored)
    with pytest.raises(TypeError):
        passwords.hash_password(None)


def test_generated_secrets_are_random_and_url_safe():
    one, two = passwords.generate_secret(), passwords.generate_secret()
    assert one != two and len(one) >= 43
    assert set(one) <= set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
