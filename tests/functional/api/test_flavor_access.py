"""Flavor access through the real WSGI app: GET /flavors/{id}/os-flavor-access and the
addTenantAccess / removeTenantAccess actions."""

import pytest

from tests.functional.api.test_flavors import OTHER_USER
from tests.functional.api.test_flavors import USER
from tests.functional.api.test_flavors import all_flavors
from tests.functional.api.test_flavors import load
from tests.functional.api.test_flavors import make_flavor
from tests.functional.api.test_flavors import ok
from tests.functional.api.test_flavors import refused
from tests.unit.api.client import call

FLAVORS = '/v2.1/flavors'


@pytest.fixture
def flavors(api):
    return {'public': make_flavor('pub'),
            'private': make_flavor('priv', is_public=False, projects=['p1', 'p3'])}


def access_url(flavorid):
    return '%s/%s/os-flavor-access' % (FLAVORS, flavorid)


def action(api, flavorid, body, version=None, token='admin:admin'):
    return call(api, '%s/%s/action' % (FLAVORS, flavorid), method='POST', body=body,
                version=version, token=token)


def add(api, flavorid, tenant, **kwargs):
    return action(api, flavorid, {'addTenantAccess': {'tenant': tenant}}, **kwargs)


def remove(api, flavorid, tenant, **kwargs):
    return action(api, flavorid, {'removeTenantAccess': {'tenant': tenant}}, **kwargs)


def entries(flavorid, *tenants):
    return {'flavor_access': [{'flavor_id': flavorid, 'tenant_id': t} for t in tenants]}


# -- GET /flavors/{id}/os-flavor-access -------------------------------------------------------

def test_list_of_a_private_flavor(api, flavors):
    assert ok(call(api, access_url('priv'))) == entries('priv', 'p1', 'p3')
    make_flavor('lonely', is_public=False)
    assert ok(call(api, access_url('lonely'))) == entries('lonely')


def test_list_of_a_public_flavor_is_not_available(api, flavors):
    refused(call(api, access_url('pub')), 404, 'Access list not available for public flavors.')


def test_list_unknown_flavor_and_non_admin(api, flavors):
    refused(call(api, access_url('missing')), 404, 'Flavor missing could not be found.')
    refused(call(api, access_url('priv'), token=USER), 403, 'os_compute_api:os-flavor-access')


# -- addTenantAccess -------------------------------------------------------------------------

def test_add_access_shares_the_flavor(api, flavors):
    listed = [f['id'] for f in ok(call(api, FLAVORS, token=OTHER_USER))['flavors']]
    assert 'priv' not in listed
    assert ok(add(api, 'priv', 'p2')) == entries('priv', 'p1', 'p2', 'p3')
    assert load('priv').projects == ['p1', 'p2', 'p3']
    listed = [f['id'] for f in ok(call(api, FLAVORS, token=OTHER_USER))['flavors']]
    assert 'priv' in listed
    ok(call(api, FLAVORS + '/priv', token=OTHER_USER))


def test_add_existing_access_conflicts(api, flavors):
    before = all_flavors()
    refused(add(api, 'priv', 'p1'), 409, 'Flavor access already exists for flavor priv and '
                                         'project p1 combination.')
    assert all_flavors() == before


def test_add_access_to_a_public_flavor(api, flavors):
    # allowed (and pointless) before 2.7, a conflict from 2.7
    assert ok(add(api, 'pub', 'p1', version='2.6')) == entries('pub', 'p1')
    before = all_flavors()
    refused(add(api, 'pub', 'p2', version='2.7'), 409, 'Can not add access to a public flavor.')
    refused(add(api, 'pub', 'p2', version='2.104'), 409)
    assert all_flavors() == before


def test_add_access_unknown_flavor_and_non_admin(api, flavors):
    refused(add(api, 'missing', 'p2'), 404, 'Flavor missing could not be found.')
    before = all_flavors()
    refused(add(api, 'priv', 'p2', token=USER), 403,
            'os_compute_api:os-flavor-access:add_tenant_access')
    assert all_flavors() == before


# -- removeTenantAccess ----------------------------------------------------------------------

def test_remove_access(api, flavors):
    assert ok(remove(api, 'priv', 'p1')) == entries('priv', 'p3')
    assert load('priv').projects == ['p3']
    refused(call(api, FLAVORS + '/priv', token=USER), 404)
    assert ok(remove(api, 'priv', 'p3', version='2.104')) == entries('priv')


def test_remove_missing_access_is_not_found(api, flavors):
    before = all_flavors()
    refused(remove(api, 'priv', 'p9'), 404,
            'Flavor access not found for priv / p9 combination.')
    refused(remove(api, 'missing', 'p1'), 404, 'Flavor missing could not be found.')
    assert all_flavors() == before


def test_remove_is_for_admins(api, flavors):
    before = all_flavors()
    refused(remove(api, 'priv', 'p1', token=USER), 403,
            'os_compute_api:os-flavor-access:remove_tenant_access')
    assert all_flavors() == before


# -- bad action bodies -----------------------------------------------------------------------

@pytest.mark.parametrize('body, message', [
    (None, 'Malformed'),
    ({}, 'Malformed'),
    ([1], 'Malformed'),
    ({'addTenantAccess': {'tenant': 'p2'}, 'removeTenantAccess': {'tenant': 'p1'}},
     'Malformed'),
    ({'shareWith': {'tenant': 'p2'}}, 'There is no such action: shareWith'),
    ({'addTenantAccess': {}}, 'tenant'),
    ({'addTenantAccess': {'tenant': ''}}, None),
    ({'addTenantAccess': {'tenant': 'x' * 256}}, None),
    ({'addTenantAccess': {'tenant': 5}}, None),
    ({'addTenantAccess': {'tenant': 'p2', 'extra': 1}}, None),
    ({'addTenantAccess': 'p2'}, None),
    ({'removeTenantAccess': {'tenant': ''}}, None),
    ({'removeTenantAccess': {}}, 'tenant'),
])
def test_bad_action_bodies_are_refused(api, flavors, body, message):
    before = all_flavors()
    refused(action(api, 'priv', body), 400, message)
    assert all_flavors() == before
