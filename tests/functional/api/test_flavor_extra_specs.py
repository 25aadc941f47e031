"""/flavors/{flavor_id}/os-extra_specs through the real WSGI app, and the 2.86 checks of
known extra specs."""

import pytest

from nova import exception
from nova.api.validation.extra_specs import validators
from tests.functional.api.test_flavors import USER
from tests.functional.api.test_flavors import all_flavors
from tests.functional.api.test_flavors import load
from tests.functional.api.test_flavors import make_flavor
from tests.functional.api.test_flavors import ok
from tests.functional.api.test_flavors import refused
from tests.unit.api.client import call

URL = '/v2.1/flavors/%s/os-extra_specs'


@pytest.fixture
def flavor(api):
    make_flavor('private', is_public=False)
    return make_flavor('1', extra_specs={'hw:cpu_policy': 'dedicated', 'color': 'blue'})


def specs_url(flavorid='1', key=None):
    return URL % flavorid + ('/' + key if key else '')


def post(api, specs, flavorid='1', version=None, token='admin:admin'):
    return call(api, specs_url(flavorid), method='POST', body={'extra_specs': specs},
                version=version, token=token)


def put(api, key, body, flavorid='1', version=None, token='admin:admin'):
    return call(api, specs_url(flavorid, key), method='PUT', body=body, version=version,
                token=token)


# -- reading ---------------------------------------------------------------------------------

def test_list_and_show(api, flavor):
    for token in ('admin:admin', USER):
        assert ok(call(api, specs_url(), token=token)) == {
            'extra_specs': {'hw:cpu_policy': 'dedicated', 'color': 'blue'}}
        assert ok(call(api, specs_url(key='hw:cpu_policy'), token=token)) == \
            {'hw:cpu_policy': 'dedicated'}
    assert ok(call(api, specs_url('private'))) == {'extra_specs': {}}


def test_show_missing_key_or_flavor_is_not_found(api, flavor):
    refused(call(api, specs_url(key='nope')), 404, 'Flavor 1 has no extra specs with key nope.')
    refused(call(api, specs_url('missing')), 404, 'Flavor missing could not be found.')
    refused(call(api, specs_url('missing', 'color')), 404)


def test_non_admin_cannot_read_specs_of_flavors_it_cannot_see(api, flavor):
    refused(call(api, specs_url('private'), token=USER), 404)
    refused(call(api, specs_url('private', 'x'), token=USER), 404)


# -- POST (create or update several) ---------------------------------------------------------

def test_create_merges_and_turns_numbers_into_strings(api, flavor):
    assert ok(post(api, {'color': 'red', 'quota:cpu_quota': 10000, 'ratio': 1.5})) == \
        {'extra_specs': {'color': 'red', 'quota:cpu_quota': 10000, 'ratio': 1.5}}
    assert load('1').extra_specs == {'hw:cpu_policy': 'dedicated', 'color': 'red',
                                     'quota:cpu_quota': '10000', 'ratio': '1.5'}
    assert ok(post(api, {})) == {'extra_specs': {}}


@pytest.mark.parametrize('body', [
    None, {}, {'extra_specs': 'x'}, {'extra_specs': {'a': 'b'}, 'more': 1},
    {'extra_specs': {'bad/key': 'x'}}, {'extra_specs': {'': 'x'}},
    {'extra_specs': {'k' * 256: 'x'}}, {'extra_specs': {'a': 'x' * 256}},
    {'extra_specs': {'a': True}}, {'extra_specs': {'a': None}}, {'extra_specs': {'a': {}}},
    {'extra_specs': {'a': 10 ** 256}},
])
def test_create_bad_bodies_are_refused(api, flavor, body):
    before = all_flavors()
    refused(call(api, specs_url(), method='POST', body=body), 400)
    assert all_flavors() == before


def test_create_unknown_flavor_and_non_admin(api, flavor):
    refused(post(api, {'a': 'b'}, flavorid='missing'), 404)
    before = all_flavors()
    refused(post(api, {'a': 'b'}, token=USER), 403,
            'os_compute_api:os-flavor-extra-specs:create')
    assert all_flavors() == before


# -- PUT /{key} ------------------------------------------------------------------------------

def test_update_one_key(api, flavor):
    assert ok(put(api, 'color', {'color': 'green'})) == {'color': 'green'}
    assert ok(put(api, 'hw:numa_cpus.0', {'hw:numa_cpus.0': '0-1'})) == \
        {'hw:numa_cpus.0': '0-1'}
    assert ok(put(api, 'size', {'size': 3})) == {'size': 3}
    assert load('1').extra_specs == {'hw:cpu_policy': 'dedicated', 'color': 'green',
                                     'hw:numa_cpus.0': '0-1', 'size': '3'}


@pytest.mark.parametrize('key, body, message', [
    ('color', {'colour': 'green'}, 'Request body and URI mismatch'),
    ('color', {'color': 'green', 'size': '1'}, None),
    ('color', {}, None),
    ('color', None, None),
    ('color', {'color': ['green']}, None),
    ('bad!key', {'bad!key': 'x'}, None),
])
def test_update_bad_bodies_are_refused(api, flavor, key, body, message):
    before = all_flavors()
    refused(put(api, key, body), 400, message)
    assert all_flavors() == before


def test_update_unknown_flavor_and_non_admin(api, flavor):
    refused(put(api, 'a', {'a': 'b'}, flavorid='missing'), 404)
    before = all_flavors()
    refused(put(api, 'color', {'color': 'x'}, token=USER), 403,
            'os_compute_api:os-flavor-extra-specs:update')
    assert all_flavors() == before


# -- DELETE /{key} ---------------------------------------------------------------------------

def test_delete_key(api, flavor):
    resp = call(api, specs_url(key='color'), method='DELETE')
    assert resp.status_int == 200 and not resp.body
    assert load('1').extra_specs == {'hw:cpu_policy': 'dedicated'}
    refused(call(api, specs_url(key='color'), method='DELETE'), 404,
            'Flavor 1 has no extra specs with key color.')
    refused(call(api, specs_url('missing', 'color'), method='DELETE'), 404)


def test_delete_is_for_admins(api, flavor):
    before = all_flavors()
    refused(call(api, specs_url(key='color'), method='DELETE', token=USER), 403,
            'os_compute_api:os-flavor-extra-specs:delete')
    assert all_flavors() == before


# -- 2.86: known extra specs are checked -----------------------------------------------------

GOOD_SPECS = {
    'hw:cpu_policy': 'mixed', 'hw:cpu_dedicated_mask': '^0-1', 'hw:numa_nodes': '2',
    'hw:numa_cpus.0': '0,1', 'hw:numa_mem.1': 1024, 'hw:mem_page_size': '2MiB',
    'hw:cpu_realtime': 'yes', 'hw_rng:allowed': 'True', 'hw_rng:rate_bytes': '0',
    'hw_video:ram_max_mb': 64, 'quota:disk_read_iops_sec': '100',
    'quota:cpu_shares_level': 'high', 'resources:VCPU': '2', 'resources1:CUSTOM_GPU': '1',
    'resources_big:MEMORY_MB': '1024', 'trait:HW_CPU_X86_AVX2': 'required',
    'trait2:CUSTOM_FAST': 'forbidden', 'aggregate_instance_extra_specs:ssd': 'true',
    'capabilities:cpu_info:arch': 'x86_64', 'capabilities:hypervisor_type': 's== QEMU',
    'accel:device_profile': 'gpu', 'os:secure_boot': 'required',
    'pci_passthrough:alias': 'a1:2, a2:1', 'group_policy': 'isolate',
    'hide_hypervisor_id': 'false',
    # keys nova does not know, in namespaces it does not know or without one, pass
    'vendor:anything': 'goes', 'plain': 'value',
}

BAD_SPECS = [
    ('hw:cpu_policy', 'fast'), ('hw:numa_nodes', '0'), ('hw:numa_nodes', 'two'),
    ('hw:numa_mem.x', '1'), ('hw:numa_cpus.0', 'a-b'), ('hw:cpu_realtime', 'maybe'),
    ('hw:mem_page_size', 'huge'), ('hw:no_such_thing', '1'), ('hw_rng:rate_bytes', '-1'),
    ('quota:cpu_quota', '-5'), ('quota:unknown', '1'), ('resources:VCPU', 'two'),
    ('resources:NOT_A_CLASS', '1'), ('trait:HW_CPU_X86_AVX2', 'yes'), ('trait:NOT_A_TRAIT',
                                                                       'required'),
    ('capabilities:colour', 'red'), ('os:secure_boot', 'maybe'), ('os:other', 'x'),
    ('pci_passthrough:alias', 'a1'), ('group_policy', 'all'), ('accel:other', 'x'),
    ('hw_video:ram_max_mb', 1.5),
]


def test_known_specs_with_good_values_pass_at_2_86(api, flavor):
    ok(post(api, GOOD_SPECS, version='2.86'))
    stored = load('1').extra_specs
    assert stored['hw:numa_mem.1'] == '1024' and stored['vendor:anything'] == 'goes'
    for key, value in GOOD_SPECS.items():
        ok(put(api, key, {key: value}, version='2.104'))


@pytest.mark.parametrize('key, value', BAD_SPECS)
def test_bad_specs_are_refused_from_2_86(api, flavor, key, value):
    before = all_flavors()
    refused(post(api, {'color': 'red', key: value}, version='2.86'), 400, 'Validation failed')
    refused(put(api, key, {key: value}, version='2.104'), 400, 'Validation failed')
    assert all_flavors() == before
    # ...and stored as given before 2.86
    ok(post(api, {key: value}, version='2.85'))
    ok(put(api, key, {key: value}))
    assert load('1').extra_specs[key] == str(value)


@pytest.mark.parametrize('key, value', BAD_SPECS)
def test_validator_registry_refuses(key, value):
    with pytest.raises(exception.ValidationError):
        validators.validate(key, str(value))


@pytest.mark.parametrize('key', sorted(GOOD_SPECS))
def test_validator_registry_accepts(key):
    validators.validate(key, str(GOOD_SPECS[key]))
