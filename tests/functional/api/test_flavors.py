"""/flavors through the real WSGI app on real objects and a real (SQLite) database: list,
detail and show at every microversion that changed them, and the admin's create, update
and delete (upstream's flavor-manage)."""

import pytest

from nova import context as nova_context
from nova.objects import flavor as flavor_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/flavors'
ADMIN = 'admin:admin'
USER = 'alice:p1'        # a member of project p1
OTHER_USER = 'bob:p2'    # a member of project p2

SUMMARY_FIELDS = {'id', 'name', 'links'}
DETAIL_FIELDS = {'id', 'name', 'links', 'ram', 'disk', 'swap', 'vcpus',
                 'OS-FLV-EXT-DATA:ephemeral', 'OS-FLV-DISABLED:disabled',
                 'os-flavor-access:is_public', 'rxtx_factor'}


# -- helpers shared with the extra specs and access tests ------------------------------------

def admin_context():
    return nova_context.get_admin_context()


def make_flavor(flavorid, name=None, memory_mb=512, vcpus=1, root_gb=1, **values):
    flavor = flavor_obj.Flavor(context=admin_context(), flavorid=flavorid,
                               name=name or 'flavor-%s' % flavorid, memory_mb=memory_mb,
                               vcpus=vcpus, root_gb=root_gb, **values)
    flavor.create()
    return flavor


def load(flavorid):
    return flavor_obj.Flavor.get_by_flavor_id(admin_context(), flavorid)


def all_flavors():
    """Everything a request could change about every flavor."""
    return sorted((f.flavorid, f.name, f.memory_mb, f.vcpus, f.root_gb, f.description,
                   f.is_public, tuple(sorted(f.extra_specs.items())), tuple(f.projects))
                  for f in flavor_obj.FlavorList.get_all(admin_context(), filters={}))


def ok(resp, status=200):
    assert resp.status_int == status, resp.text
    return resp.json if resp.body else None


def refused(resp, status, message=None):
    name, code, text = fault(resp)
    assert code == status == resp.status_int, resp.text
    if message is not None:
        assert message in text, text
    return text


@pytest.fixture
def flavors(api):
    """Public tiny/small/large, a public disabled one, a private one shared with p1 and a
    private one shared with nobody."""
    made = {
        'tiny': make_flavor('1', 'm1.tiny', memory_mb=512, root_gb=1),
        'small': make_flavor('2', 'm1.small', memory_mb=2048, vcpus=1, root_gb=20, swap=512,
                             ephemeral_gb=5, rxtx_factor=2.0, description='small one',
                             extra_specs={'hw:cpu_policy': 'shared'}),
        'large': make_flavor('3', 'm1.large', memory_mb=8192, vcpus=4, root_gb=80),
        'disabled': make_flavor('4', 'm1.old', disabled=True),
        'shared': make_flavor('5', 'p1.only', is_public=False, projects=['p1']),
        'private': make_flavor('6', 'nobody', is_public=False),
    }
    return made


def ids(body):
    return [f['id'] for f in body['flavors']]


# -- GET /flavors and /flavors/detail ------------------------------------------------------

def test_list_at_2_1_has_summaries_with_links(api, flavors):
    body = ok(call(api, URL))
    # The admin's default is the public flavors (and those shared with its project).
    assert ids(body) == ['1', '2', '3', '4']
    for entry in body['flavors']:
        assert set(entry) == SUMMARY_FIELDS
    assert body['flavors'][0]['name'] == 'm1.tiny'
    assert body['flavors'][0]['links'] == [
        {'rel': 'self', 'href': 'http://localhost/v2.1/flavors/1'},
        {'rel': 'bookmark', 'href': 'http://localhost/flavors/1'}]
    assert 'flavors_links' not in body


def test_list_adds_description_from_2_55(api, flavors):
    for entry in ok(call(api, URL, version='2.54'))['flavors']:
        assert set(entry) == SUMMARY_FIELDS
    listed = {f['id']: f for f in ok(call(api, URL, version='2.55'))['flavors']}
    assert set(listed['2']) == SUMMARY_FIELDS | {'description'}
    assert listed['2']['description'] == 'small one'
    assert listed['1']['description'] is None


def test_detail_at_2_1(api, flavors):
    listed = {f['id']: f for f in ok(call(api, URL + '/detail'))['flavors']}
    assert set(listed) == {'1', '2', '3', '4'}
    small = listed['2']
    assert set(small) == DETAIL_FIELDS
    assert small == {
        'id': '2', 'name': 'm1.small', 'ram': 2048, 'disk': 20, 'swap': 512, 'vcpus': 1,
        'OS-FLV-EXT-DATA:ephemeral': 5, 'OS-FLV-DISABLED:disabled': False,
        'os-flavor-access:is_public': True, 'rxtx_factor': 2.0,
        'links': [{'rel': 'self', 'href': 'http://localhost/v2.1/flavors/2'},
                  {'rel': 'bookmark', 'href': 'http://localhost/flavors/2'}]}
    assert listed['1']['swap'] == ''  # no swap: "" before 2.75
    assert listed['4']['OS-FLV-DISABLED:disabled'] is True


@pytest.mark.parametrize('version, extra_fields, swap_if_none', [
    ('2.54', set(), ''),
    ('2.55', {'description'}, ''),
    ('2.60', {'description'}, ''),
    ('2.61', {'description', 'extra_specs'}, ''),
    ('2.74', {'description', 'extra_specs'}, ''),
    ('2.75', {'description', 'extra_specs'}, 0),
    ('2.104', {'description', 'extra_specs'}, 0),
])
def test_detail_and_show_fields_per_microversion(api, flavors, version, extra_fields,
                                                 swap_if_none):
    listed = {f['id']: f for f in ok(call(api, URL + '/detail', version=version))['flavors']}
    shown = {flavorid: ok(call(api, URL + '/' + flavorid, version=version))['flavor']
             for flavorid in ('1', '2')}
    for flavors_by_id in (listed, shown):
        assert set(flavors_by_id['2']) == DETAIL_FIELDS | extra_fields
        assert flavors_by_id['1']['swap'] == swap_if_none
        assert flavors_by_id['2']['swap'] == 512
        if 'extra_specs' in extra_fields:
            assert flavors_by_id['2']['extra_specs'] == {'hw:cpu_policy': 'shared'}
            assert flavors_by_id['1']['extra_specs'] == {}
        if 'description' in extra_fields:
            assert flavors_by_id['2']['description'] == 'small one'


def test_non_admin_sees_public_enabled_and_shared_flavors(api, flavors):
    assert ids(ok(call(api, URL, token=USER))) == ['1', '2', '3', '5']
    assert ids(ok(call(api, URL + '/detail', token=USER))) == ['1', '2', '3', '5']
    assert ids(ok(call(api, URL, token=OTHER_USER))) == ['1', '2', '3']
    # is_public is the admin's filter: others' is ignored
    assert ids(ok(call(api, URL + '?is_public=false', token=USER))) == ['1', '2', '3', '5']
    # extra specs are readable by everyone from 2.61
    shown = ok(call(api, URL + '/2', token=USER, version='2.61'))['flavor']
    assert shown['extra_specs'] == {'hw:cpu_policy': 'shared'}


def test_non_admin_show(api, flavors):
    assert ok(call(api, URL + '/5', token=USER))['flavor']['id'] == '5'
    assert ok(call(api, URL + '/4', token=USER))['flavor']['OS-FLV-DISABLED:disabled']
    refused(call(api, URL + '/5', token=OTHER_USER), 404, 'Flavor 5 could not be found.')
    refused(call(api, URL + '/6', token=USER), 404)


@pytest.mark.parametrize('query, expected', [
    ('', ['1', '2', '3', '4']),
    ('?is_public=true', ['1', '2', '3', '4']),
    ('?is_public=True', ['1', '2', '3', '4']),
    ('?is_public=false', ['5', '6']),
    ('?is_public=0', ['5', '6']),
    ('?is_public=none', ['1', '2', '3', '4', '5', '6']),
    ('?is_public=None', ['1', '2', '3', '4', '5', '6']),
])
def test_admin_is_public_filter(api, flavors, query, expected):
    assert ids(ok(call(api, URL + query))) == expected


def test_admin_sees_flavors_shared_with_its_project_by_default(api, flavors):
    make_flavor('7', 'admins', is_public=False, projects=['admin'])
    assert ids(ok(call(api, URL))) == ['1', '2', '3', '4', '7']


def test_bad_is_public_is_refused(api, flavors):
    refused(call(api, URL + '?is_public=maybe'), 400, 'Invalid is_public filter [maybe]')


@pytest.mark.parametrize('query, expected', [
    ('?minRam=2048', ['2', '3']),
    ('?minRam=2049', ['3']),
    ('?minDisk=20', ['2', '3']),
    ('?minDisk=21&minRam=0', ['3']),
    ('?minRam=-1', ['1', '2', '3', '4']),
])
def test_min_ram_and_disk_filters(api, flavors, query, expected):
    assert ids(ok(call(api, URL + query))) == expected
    assert ids(ok(call(api, URL + '/detail' + query))) == expected


@pytest.mark.parametrize('query, message', [
    ('?minRam=big', 'Invalid minRam filter [big]'),
    ('?minDisk=1.5', 'Invalid minDisk filter [1.5]'),
    ('?limit=-1', None),
    ('?limit=abc', None),
    ('?sort_key=colour', None),
    ('?sort_dir=up', None),
    ('?marker=999', 'marker [999] not found'),
])
def test_bad_list_parameters_are_refused(api, flavors, query, message):
    for path in (URL, URL + '/detail'):
        refused(call(api, path + query), 400, message)


@pytest.mark.parametrize('query, expected', [
    ('?sort_key=name', ['3', '4', '2', '1']),  # m1.large, m1.old, m1.small, m1.tiny
    ('?sort_key=name&sort_dir=desc', ['1', '2', '4', '3']),
    # 8192, 2048, then the two of 512 by their ids (in the same direction)
    ('?sort_key=memory_mb&sort_dir=desc', ['3', '2', '4', '1']),
    ('?sort_dir=desc', ['4', '3', '2', '1']),
])
def test_sorting(api, flavors, query, expected):
    assert ids(ok(call(api, URL + query))) == expected


def test_paging_with_limit_marker_and_next_links(api, flavors):
    first = ok(call(api, URL + '?limit=2'))
    assert ids(first) == ['1', '2']
    assert first['flavors_links'] == [
        {'rel': 'next', 'href': 'http://localhost/v2.1/flavors?limit=2&marker=2'}]
    second = ok(call(api, URL + '?limit=2&marker=2'))
    assert ids(second) == ['3', '4']
    assert second['flavors_links'][0]['href'] == \
        'http://localhost/v2.1/flavors?limit=2&marker=4'
    last = ok(call(api, URL + '?limit=2&marker=4'))
    assert ids(last) == [] and 'flavors_links' not in last
    detail = ok(call(api, URL + '/detail?limit=3&minRam=0'))
    assert ids(detail) == ['1', '2', '3']
    assert detail['flavors_links'][0]['href'] == \
        'http://localhost/v2.1/flavors/detail?limit=3&minRam=0&marker=3'
    assert 'flavors_links' not in ok(call(api, URL + '?limit=5'))
    assert ids(ok(call(api, URL + '?limit=0'))) == []


def test_max_limit_caps_the_page(api, flavors, conf):
    conf.set_override('max_limit', 3, group='api')
    body = ok(call(api, URL + '?limit=10'))
    assert ids(body) == ['1', '2', '3']
    assert body['flavors_links'][0]['href'].endswith('marker=3')
    assert ok(call(api, URL))['flavors_links'][0]['href'] == \
        'http://localhost/v2.1/flavors?marker=3'


def test_unknown_query_parameters_are_dropped_before_2_75_and_refused_after(api, flavors):
    body = ok(call(api, URL + '?limit=1&colour=red', version='2.74'))
    assert body['flavors_links'][0]['href'] == 'http://localhost/v2.1/flavors?limit=1&marker=1'
    for path in (URL, URL + '/detail'):
        refused(call(api, path + '?colour=red', version='2.75'), 400)
        ok(call(api, path + '?is_public=none&minRam=1&sort_key=id&limit=1', version='2.75'))


def test_links_keep_the_project_id_of_the_url(api, flavors):
    body = ok(call(api, '/v2.1/abc1/flavors?limit=1', token='carol:abc1'))
    assert body['flavors'][0]['links'] == [
        {'rel': 'self', 'href': 'http://localhost/v2.1/abc1/flavors/1'},
        {'rel': 'bookmark', 'href': 'http://localhost/abc1/flavors/1'}]
    assert body['flavors_links'][0]['href'] == \
        'http://localhost/v2.1/abc1/flavors?limit=1&marker=1'


def test_links_honour_compute_link_prefix(api, flavors, conf):
    conf.set_override('compute_link_prefix', 'https://cloud.example.com/compute', group='api')
    links = ok(call(api, URL + '/1'))['flavor']['links']
    assert links == [
        {'rel': 'self', 'href': 'https://cloud.example.com/compute/v2.1/flavors/1'},
        {'rel': 'bookmark', 'href': 'https://cloud.example.com/compute/flavors/1'}]


def test_show_unknown_flavor_is_not_found(api, flavors):
    refused(call(api, URL + '/nope'), 404, 'Flavor nope could not be found.')


def test_flavor_ids_with_dots_and_spaces(api):
    make_flavor('1.5', 'dotted')
    make_flavor('with space', 'spaced')
    assert ok(call(api, URL + '/1.5'))['flavor']['name'] == 'dotted'
    shown = ok(call(api, URL + '/with%20space'))['flavor']
    assert shown['name'] == 'spaced'
    assert shown['links'][0]['href'] == 'http://localhost/v2.1/flavors/with%20space'


# -- POST /flavors ---------------------------------------------------------------------------

def create(api, flavor, version=None, token=ADMIN):
    return call(api, URL, method='POST', body={'flavor': flavor}, version=version, token=token)


MINIMAL = {'name': 'new', 'ram': 1024, 'vcpus': 2, 'disk': 10}


def test_create_minimal_generates_a_uuid(api):
    created = ok(create(api, MINIMAL))['flavor']
    assert set(created) == DETAIL_FIELDS
    assert len(created['id']) == 36
    assert created == dict(created, name='new', ram=1024, vcpus=2, disk=10, swap='',
                           rxtx_factor=1.0, **{'OS-FLV-EXT-DATA:ephemeral': 0,
                                               'OS-FLV-DISABLED:disabled': False,
                                               'os-flavor-access:is_public': True})
    stored = load(created['id'])
    assert (stored.name, stored.memory_mb, stored.vcpus, stored.root_gb, stored.swap) == \
        ('new', 1024, 2, 10, 0)
    assert ok(call(api, URL + '/' + created['id']))['flavor'] == created


def test_create_with_every_field(api):
    created = ok(create(api, dict(MINIMAL, id='custom-1', swap=256, rxtx_factor='1.5',
                                  **{'OS-FLV-EXT-DATA:ephemeral': '3',
                                     'os-flavor-access:is_public': 'false'})))['flavor']
    assert created['id'] == 'custom-1'
    assert (created['swap'], created['rxtx_factor'], created['OS-FLV-EXT-DATA:ephemeral'],
            created['os-flavor-access:is_public']) == (256, 1.5, 3, False)
    stored = load('custom-1')
    assert (stored.swap, stored.ephemeral_gb, stored.is_public, stored.projects) == \
        (256, 3, False, [])


@pytest.mark.parametrize('flavorid, stored', [(7, '7'), (1.5, '1.5'), (None, None),
                                              ('auto', 'auto'), ('a b.c_d-e', 'a b.c_d-e')])
def test_create_ids(api, flavorid, stored):
    created = ok(create(api, dict(MINIMAL, id=flavorid)))['flavor']
    if stored is None:
        assert len(created['id']) == 36
    else:
        assert created['id'] == stored
    load(created['id'])


def test_create_description_from_2_55(api):
    created = ok(create(api, dict(MINIMAL, description='for robots'), version='2.55'))
    assert created['flavor']['description'] == 'for robots'
    assert 'extra_specs' not in created['flavor']
    assert load(created['flavor']['id']).description == 'for robots'
    no_description = ok(create(api, dict(MINIMAL, name='other'), version='2.55'))['flavor']
    assert no_description['description'] is None
    refused(create(api, dict(MINIMAL, name='third', description='x'), version='2.54'), 400)


def test_create_at_2_61_shows_empty_extra_specs_and_2_75_zero_swap(api):
    created = ok(create(api, MINIMAL, version='2.61'))['flavor']
    assert created['extra_specs'] == {} and created['swap'] == ''
    created = ok(create(api, dict(MINIMAL, name='b'), version='2.75'))['flavor']
    assert created['swap'] == 0


def test_create_duplicates_conflict(api):
    make_flavor('1', 'taken')
    before = all_flavors()
    refused(create(api, dict(MINIMAL, name='taken')), 409,
            'Flavor with name taken already exists.')
    refused(create(api, dict(MINIMAL, id='1')), 409, 'Flavor with ID 1 already exists.')
    refused(create(api, dict(MINIMAL, id=1)), 409, 'Flavor with ID 1 already exists.')
    assert all_flavors() == before


@pytest.mark.parametrize('changes', [
    {'ram': 0}, {'ram': '0'}, {'ram': -1}, {'ram': 'lots'}, {'ram': 1.5},
    {'ram': 2 ** 31}, {'ram': str(2 ** 31)},
    {'vcpus': 0}, {'vcpus': '0'}, {'disk': -1}, {'disk': '-1'},
    {'OS-FLV-EXT-DATA:ephemeral': -1}, {'swap': -1}, {'swap': 'none'},
    {'rxtx_factor': 0}, {'rxtx_factor': '0'}, {'rxtx_factor': -1.0}, {'rxtx_factor': 'fast'},
    {'rxtx_factor': 3.5e38},
    {'os-flavor-access:is_public': 'maybe'},
    {'name': ''}, {'name': ' padded'}, {'name': 'padded '}, {'name': 'x' * 256},
    {'name': 'tab\tinside'}, {'name': 7},
    {'id': ''}, {'id': ' lead'}, {'id': 'a/b'}, {'id': 'x' * 256}, {'id': True},
    {'colour': 'red'}, {'description': 'not before 2.55'},
])
def test_create_bad_values_are_refused(api, changes):
    before = all_flavors()
    refused(create(api, dict(MINIMAL, **changes)), 400)
    assert all_flavors() == before


@pytest.mark.parametrize('missing', ['name', 'ram', 'vcpus', 'disk'])
def test_create_requires_name_ram_vcpus_disk(api, missing):
    flavor = dict(MINIMAL)
    del flavor[missing]
    refused(create(api, flavor), 400, missing)
    assert all_flavors() == []


@pytest.mark.parametrize('body', [None, {}, {'flavor': 'x'}, {'flavor': MINIMAL, 'x': 1}])
def test_create_bad_bodies_are_refused(api, body):
    refused(call(api, URL, method='POST', body=body), 400)
    assert all_flavors() == []


def test_create_description_limits(api):
    refused(create(api, dict(MINIMAL, description='x' * 65536), version='2.55'), 400)
    refused(create(api, dict(MINIMAL, description='bell\x07'), version='2.55'), 400)
    assert all_flavors() == []
    ok(create(api, dict(MINIMAL, description=''), version='2.55'))


def test_create_is_for_admins(api):
    refused(create(api, MINIMAL, token=USER), 403,
            'os_compute_api:os-flavor-manage:create')
    assert all_flavors() == []


# -- PUT /flavors/{id} (2.55) ----------------------------------------------------------------

def update(api, flavorid, flavor, version='2.55', token=ADMIN):
    return call(api, URL + '/' + flavorid, method='PUT', body={'flavor': flavor},
                version=version, token=token)


def test_update_description(api, flavors):
    updated = ok(update(api, '2', {'description': 'renamed'}))['flavor']
    assert updated['description'] == 'renamed' and 'extra_specs' not in updated
    assert load('2').description == 'renamed'
    updated = ok(update(api, '2', {'description': None}, version='2.61'))['flavor']
    assert updated['description'] is None
    assert updated['extra_specs'] == {'hw:cpu_policy': 'shared'}
    assert updated['swap'] == 512
    assert load('2').description is None


def test_update_before_2_55_does_not_exist(api, flavors):
    before = all_flavors()
    refused(update(api, '2', {'description': 'x'}, version='2.54'), 404)
    refused(update(api, '2', {'description': 'x'}, version=None), 404)
    assert all_flavors() == before


@pytest.mark.parametrize('flavor', [{}, {'name': 'x'}, {'description': 'x', 'ram': 1},
                                    {'description': 5}, {'description': 'x' * 65536}])
def test_update_bad_bodies_are_refused(api, flavors, flavor):
    before = all_flavors()
    refused(update(api, '2', flavor), 400)
    refused(call(api, URL + '/2', method='PUT', body={'description': 'x'}, version='2.55'), 400)
    assert all_flavors() == before


def test_update_unknown_flavor_and_non_admin(api, flavors):
    refused(update(api, 'nope', {'description': 'x'}), 404, 'Flavor nope could not be found.')
    before = all_flavors()
    refused(update(api, '2', {'description': 'x'}, token=USER), 403,
            'os_compute_api:os-flavor-manage:update')
    assert all_flavors() == before


# -- DELETE /flavors/{id} --------------------------------------------------------------------

def test_delete(api, flavors):
    resp = call(api, URL + '/5', method='DELETE')
    assert resp.status_int == 202 and not resp.body
    assert '5' not in [f[0] for f in all_flavors()]
    refused(call(api, URL + '/5'), 404)
    refused(call(api, URL + '/5', method='DELETE'), 404, 'Flavor 5 could not be found.')


def test_delete_is_for_admins(api, flavors):
    before = all_flavors()
    refused(call(api, URL + '/1', method='DELETE', token=USER), 403,
            'os_compute_api:os-flavor-manage:delete')
    assert all_flavors() == before
