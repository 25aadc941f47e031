"""/os-keypairs through the real WSGI app, on real objects and a real (SQLite) database."""

from urllib import parse

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
import pytest

from nova import context as nova_context
from nova.compute import keypairs as keypair_crypto
from nova.objects import keypair as keypair_obj
from nova.objects import quotas as quotas_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/os-keypairs'
ALICE = 'alice:p1'
BOB = 'bob:p1'
LIST_FIELDS = {'name', 'public_key', 'fingerprint'}
CREATE_FIELDS = LIST_FIELDS | {'user_id'}
SHOW_FIELDS = LIST_FIELDS | {'user_id', 'id', 'created_at', 'updated_at', 'deleted',
                             'deleted_at'}


def admin_context():
    return nova_context.get_admin_context()


def stored(user_id):
    """{name: (type, fingerprint, public_key)} of a user's key pairs in the database."""
    return {k.name: (k.type, k.fingerprint, k.public_key)
            for k in keypair_obj.KeyPairList.get_by_user(admin_context(), user_id)}


def ssh_public_key():
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH,
                            serialization.PublicFormat.OpenSSH).decode() + ' test'


def create(api, body, version=None, token=ALICE, prefix=URL):
    return call(api, prefix, 'POST', {'keypair': body}, version=version, token=token)


def key_url(name, query=''):
    return '%s/%s%s' % (URL, parse.quote(name), query)


# -- create: generated keys --------------------------------------------------------------------

def test_generate_at_2_1(api):
    resp = create(api, {'name': 'gen'})
    assert resp.status_int == 200, resp.text
    keypair = resp.json['keypair']
    assert set(keypair) == CREATE_FIELDS | {'private_key'}
    assert keypair['user_id'] == 'alice'
    private = serialization.load_pem_private_key(keypair['private_key'].encode(), None)
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                               serialization.PublicFormat.OpenSSH).decode()
    assert keypair['public_key'] == public + ' Generated-by-Nova'
    assert keypair['fingerprint'] == keypair_crypto.ssh_fingerprint(keypair['public_key'])
    assert stored('alice') == {'gen': ('ssh', keypair['fingerprint'], keypair['public_key'])}


def test_generate_from_2_2_has_type_and_201(api):
    resp = create(api, {'name': 'gen'}, version='2.2')
    assert resp.status_int == 201
    assert set(resp.json['keypair']) == CREATE_FIELDS | {'private_key', 'type'}
    assert resp.json['keypair']['type'] == 'ssh'


def test_generate_x509(api):
    resp = create(api, {'name': 'cert', 'type': 'x509'}, version='2.2')
    assert resp.status_int == 201
    keypair = resp.json['keypair']
    cert = x509.load_pem_x509_certificate(keypair['public_key'].encode())
    private = serialization.load_pem_private_key(keypair['private_key'].encode(), None)
    assert cert.public_key().public_numbers() == private.public_key().public_numbers()
    assert keypair['type'] == 'x509' and len(keypair['fingerprint']) == 59
    assert stored('alice')['cert'][0] == 'x509'


def test_no_generation_from_2_92(api):
    for version in ('2.92', 'latest'):
        resp = create(api, {'name': 'gen'}, version=version)
        assert resp.status_int == 400
        assert "'public_key' is a required property" in fault(resp)[2]
    assert stored('alice') == {}


# -- create: imported keys ---------------------------------------------------------------------

def test_import_ssh_key(api):
    public_key = ssh_public_key()
    resp = create(api, {'name': 'laptop', 'public_key': public_key})
    assert resp.status_int == 200
    assert resp.json['keypair'] == {
        'name': 'laptop', 'public_key': public_key, 'user_id': 'alice',
        'fingerprint': keypair_crypto.ssh_fingerprint(public_key)}
    resp = create(api, {'name': 'laptop2', 'public_key': public_key}, version='latest')
    assert resp.status_int == 201
    assert set(resp.json['keypair']) == CREATE_FIELDS | {'type'}
    assert set(stored('alice')) == {'laptop', 'laptop2'}


def test_import_x509_certificate(api):
    _private, cert_pem, fingerprint = keypair_crypto.generate_x509_cert('someone')
    resp = create(api, {'name': 'cert', 'type': 'x509', 'public_key': cert_pem},
                  version='2.92')
    assert resp.status_int == 201
    assert resp.json['keypair']['fingerprint'] == fingerprint
    assert stored('alice') == {'cert': ('x509', fingerprint, cert_pem)}


def test_names_with_at_and_dot_from_2_92(api):
    body = {'name': 'alice@laptop.key', 'public_key': ssh_public_key()}
    resp = create(api, body, version='2.91')
    assert resp.status_int == 400
    assert 'Invalid input for field/attribute name' in fault(resp)[2]
    assert create(api, body, version='2.92').status_int == 201
    resp = call(api, key_url('alice@laptop.key'), version='2.92', token=ALICE)
    assert resp.json['keypair']['name'] == 'alice@laptop.key'
    assert call(api, key_url('alice@laptop.key'), 'DELETE', version='2.92',
                token=ALICE).status_int == 204
    assert stored('alice') == {}


@pytest.mark.parametrize('version, body, message', [
    (None, {'name': 'bad!'}, 'Invalid input for field/attribute name'),
    (None, {'name': ' lead'}, 'Invalid input for field/attribute name'),
    (None, {'name': 'trail '}, 'Invalid input for field/attribute name'),
    (None, {'name': ''}, 'Invalid input for field/attribute name'),
    (None, {'name': 'x' * 256}, 'Invalid input for field/attribute name'),
    (None, {'name': 'a.b', 'public_key': 'x'}, 'Invalid input for field/attribute name'),
    (None, {}, "'name' is a required property"),
    (None, {'name': 'k', 'type': 'ssh'}, "'type' was unexpected"),
    ('2.9', {'name': 'k', 'user_id': 'bob'}, "'user_id' was unexpected"),
    ('2.2', {'name': 'k', 'type': 'pgp'}, 'Invalid input for field/attribute type'),
    ('2.2', {'name': 'k', 'public_key': 42}, 'Invalid input for field/attribute public_key'),
    (None, {'name': 'k', 'public_key': 'ssh-rsa garbage'},
     'Keypair data is invalid: failed to generate fingerprint'),
    ('2.2', {'name': 'k', 'type': 'x509', 'public_key': 'ssh-rsa AAAA'},
     'Keypair data is invalid: failed to generate X509 fingerprint'),
    ('2.92', {'name': 'k!', 'public_key': 'x'}, 'Invalid input for field/attribute name'),
])
def test_bad_creates_change_nothing(api, version, body, message):
    resp = create(api, body, version=version)
    assert resp.status_int == 400, resp.text
    assert message in fault(resp)[2]
    assert stored('alice') == {}


def test_bad_bodies(api):
    resp = call(api, URL, 'POST', {'name': 'k'}, token=ALICE)
    assert "'keypair' is a required property" in fault(resp)[2]
    resp = call(api, URL, 'POST', b'{not json', token=ALICE)
    assert resp.status_int == 400
    assert stored('alice') == {}


def test_duplicate_names_conflict(api):
    public_key = ssh_public_key()
    create(api, {'name': 'dup', 'public_key': public_key})
    resp = create(api, {'name': 'dup'})
    assert fault(resp) == ('conflictingRequest', 409, "Key pair 'dup' already exists.")
    assert stored('alice')['dup'][2] == public_key
    # Names are per user.
    assert create(api, {'name': 'dup'}, token=BOB).status_int == 200


def test_legacy_v2_drops_unknown_properties(api):
    resp = create(api, {'name': 'old', 'colour': 'red'}, prefix='/v2/os-keypairs')
    assert resp.status_int == 200
    assert 'old' in stored('alice')


# -- quota -------------------------------------------------------------------------------------

def test_quota_from_the_project_limit(api):
    quotas_obj.Quotas.create_limit(admin_context(), 'p1', 'key_pairs', 2)
    assert create(api, {'name': 'k1'}).status_int == 200
    assert create(api, {'name': 'k2', 'public_key': ssh_public_key()}).status_int == 200
    for body in ({'name': 'k3'}, {'name': 'k3', 'public_key': ssh_public_key()}):
        resp = create(api, body, version='2.2')
        assert fault(resp) == ('forbidden', 403, 'Quota exceeded, too many key pairs.')
    assert set(stored('alice')) == {'k1', 'k2'}
    # The limit counts per user.
    assert create(api, {'name': 'k1'}, token=BOB).status_int == 200


def test_quota_user_limit_and_unlimited(api):
    quotas_obj.Quotas.create_limit(admin_context(), 'p1', 'key_pairs', 1)
    quotas_obj.Quotas.create_limit(admin_context(), 'p1', 'key_pairs', -1, user_id='alice')
    for index in range(3):
        assert create(api, {'name': 'k%d' % index}).status_int == 200
    create(api, {'name': 'k0'}, token=BOB)
    assert fault(create(api, {'name': 'k1'}, token=BOB))[1] == 403


def test_quota_from_the_default_class(api):
    quotas_obj.Quotas.update_class(admin_context(), 'default', 'key_pairs', 0)
    assert fault(create(api, {'name': 'k'}))[1] == 403
    assert stored('alice') == {}


# -- list, show, delete --------------------------------------------------------------------------

@pytest.fixture
def alice_keys(api):
    keys = {}
    for name in ('c', 'a', 'b'):
        keys[name] = create(api, {'name': name, 'public_key': ssh_public_key()},
                            version='2.2').json['keypair']
    create(api, {'name': 'bobs', 'public_key': ssh_public_key()}, token=BOB)
    return keys


def listed(resp):
    assert resp.status_int == 200, resp.text
    return [entry['keypair'] for entry in resp.json['keypairs']]


def test_list_shows_only_the_callers_key_pairs(api, alice_keys):
    entries = listed(call(api, URL, token=ALICE))
    assert [e['name'] for e in entries] == ['a', 'b', 'c']
    assert all(set(e) == LIST_FIELDS for e in entries)
    assert entries[0]['public_key'] == alice_keys['a']['public_key']
    entries = listed(call(api, URL, version='2.2', token=ALICE))
    assert all(set(e) == LIST_FIELDS | {'type'} for e in entries)
    assert [e['name'] for e in listed(call(api, URL, token=BOB))] == ['bobs']
    assert listed(call(api, URL)) == []  # admin has none


def test_show(api, alice_keys):
    resp = call(api, key_url('a'), token=ALICE)
    keypair = resp.json['keypair']
    assert set(keypair) == SHOW_FIELDS
    assert (keypair['name'], keypair['user_id'], keypair['deleted'], keypair['deleted_at'],
            keypair['fingerprint']) == ('a', 'alice', False, None,
                                        alice_keys['a']['fingerprint'])
    assert isinstance(keypair['id'], int) and keypair['created_at']
    keypair = call(api, key_url('a'), version='2.2', token=ALICE).json['keypair']
    assert set(keypair) == SHOW_FIELDS | {'type'}


def test_show_missing_or_someone_elses(api, alice_keys):
    assert fault(call(api, key_url('bobs'), token=ALICE)) == (
        'itemNotFound', 404, 'Keypair bobs not found for user alice')
    assert fault(call(api, key_url('zzz'), token=ALICE))[1] == 404


def test_delete(api, alice_keys):
    resp = call(api, key_url('a'), 'DELETE', token=ALICE)
    assert resp.status_int == 202 and not resp.body
    resp = call(api, key_url('b'), 'DELETE', version='2.2', token=ALICE)
    assert resp.status_int == 204
    assert set(stored('alice')) == {'c'}
    assert fault(call(api, key_url('a'), 'DELETE', token=ALICE))[1] == 404
    assert fault(call(api, key_url('bobs'), 'DELETE', token=ALICE))[1] == 404
    assert set(stored('bob')) == {'bobs'}


def test_names_with_spaces_in_urls(api):
    create(api, {'name': 'my key'})
    assert call(api, key_url('my key'), token=ALICE).json['keypair']['name'] == 'my key'
    assert call(api, key_url('my key'), 'DELETE', token=ALICE).status_int == 202
    assert stored('alice') == {}


# -- other users' key pairs (2.10) ----------------------------------------------------------------

def test_admin_manages_other_users_key_pairs(api, alice_keys):
    resp = create(api, {'name': 'given', 'user_id': 'alice'}, version='2.10', token='admin:admin')
    assert resp.status_int == 201 and resp.json['keypair']['user_id'] == 'alice'
    names = [e['name'] for e in listed(call(api, URL + '?user_id=alice', version='2.10'))]
    assert names == ['a', 'b', 'c', 'given']
    resp = call(api, key_url('given', '?user_id=alice'), version='2.10')
    assert resp.json['keypair']['user_id'] == 'alice'
    assert call(api, key_url('given', '?user_id=alice'), 'DELETE',
                version='2.10').status_int == 204
    assert set(stored('alice')) == {'a', 'b', 'c'}


def test_user_id_is_ignored_before_2_10(api, alice_keys):
    assert listed(call(api, URL + '?user_id=alice', version='2.9')) == []
    assert fault(call(api, key_url('a', '?user_id=alice'), version='2.9'))[1] == 404


@pytest.mark.parametrize('method, path, body, action', [
    ('GET', URL + '?user_id=bob', None, 'index'),
    ('GET', URL + '/bobs?user_id=bob', None, 'show'),
    ('DELETE', URL + '/bobs?user_id=bob', None, 'delete'),
    ('POST', URL, {'keypair': {'name': 'sneaky', 'user_id': 'bob'}}, 'create'),
])
def test_users_may_not_touch_other_users_key_pairs(api, alice_keys, method, path, body,
                                                  action):
    resp = call(api, path, method, body, version='2.10', token=ALICE)
    assert fault(resp) == ('forbidden', 403, "Policy doesn't allow os_compute_api:"
                           "os-keypairs:%s to be performed." % action)
    assert set(stored('bob')) == {'bobs'}


def test_users_may_name_themselves(api, alice_keys):
    entries = listed(call(api, URL + '?user_id=alice', version='2.10', token=ALICE))
    assert len(entries) == 3
    resp = create(api, {'name': 'own', 'user_id': 'alice'}, version='2.10')
    assert resp.status_int == 201


# -- paging (2.35) ------------------------------------------------------------------------------

def test_paging(api, alice_keys):
    resp = call(api, URL + '?limit=2', version='2.35', token=ALICE)
    assert [e['name'] for e in listed(resp)] == ['a', 'b']
    link = resp.json['keypairs_links'][0]
    assert link['rel'] == 'next'
    assert link['href'] == 'http://localhost/v2.1/os-keypairs?limit=2&marker=b'
    resp = call(api, URL + '?limit=2&marker=b', version='2.35', token=ALICE)
    assert [e['name'] for e in listed(resp)] == ['c']
    assert 'keypairs_links' not in resp.json
    resp = call(api, URL + '?marker=a', version='2.35', token=ALICE)
    assert [e['name'] for e in listed(resp)] == ['b', 'c']
    assert 'keypairs_links' not in resp.json


def test_paging_follows_max_limit(api, alice_keys, conf):
    conf.set_override('max_limit', 1, group='api')
    resp = call(api, URL + '?limit=5', version='2.35', token=ALICE)
    assert [e['name'] for e in listed(resp)] == ['a']
    assert 'marker=a' in resp.json['keypairs_links'][0]['href']


def test_paging_of_another_users_key_pairs(api, alice_keys):
    resp = call(api, URL + '?user_id=alice&limit=1', version='2.35')
    assert [e['name'] for e in listed(resp)] == ['a']
    assert 'user_id=alice' in resp.json['keypairs_links'][0]['href']


def test_paging_is_ignored_before_2_35(api, alice_keys):
    resp = call(api, URL + '?limit=1&marker=zzz', version='2.34', token=ALICE)
    assert len(listed(resp)) == 3 and 'keypairs_links' not in resp.json


@pytest.mark.parametrize('query, message', [
    ('?marker=zzz', 'Marker zzz could not be found.'),
    ('?limit=-1', "'-1' does not match"),
    ('?limit=many', "'many' does not match"),
])
def test_bad_paging(api, alice_keys, query, message):
    resp = call(api, URL + query, version='2.35', token=ALICE)
    assert resp.status_int == 400
    assert message in fault(resp)[2]


def test_unknown_query_parameters_refused_from_2_75(api, alice_keys):
    assert len(listed(call(api, URL + '?colour=red', version='2.74', token=ALICE))) == 3
    for path in (URL, key_url('a')):
        resp = call(api, path + '?colour=red', version='2.75', token=ALICE)
        assert resp.status_int == 400 and "'colour' was unexpected" in fault(resp)[2]
    resp = call(api, key_url('a', '?colour=red'), 'DELETE', version='2.75', token=ALICE)
    assert resp.status_int == 400
    assert set(stored('alice')) == {'a', 'b', 'c'}
