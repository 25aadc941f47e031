"""Microversion negotiation and headers, through the app nova-api serves."""

import pytest

from tests.unit.api.client import call
from tests.unit.api.client import fault

VARY = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'


def assert_version(resp, version):
    assert resp.headers['OpenStack-API-Version'] == 'compute %s' % version
    assert resp.headers['X-OpenStack-Nova-API-Version'] == version
    assert resp.headers['Vary'] == VARY


def test_no_header_means_the_minimum(app):
    resp = call(app, '/v2.1/')
    assert resp.status_int == 200
    assert_version(resp, '2.1')


@pytest.mark.parametrize('version', ['2.1', '2.11', '2.53', '2.104'])
def test_standard_header_is_echoed_in_both_headers(app, version):
    assert_version(call(app, '/v2.1/', version=version), version)


def test_latest_is_the_maximum(app):
    assert_version(call(app, '/v2.1/', version='latest'), '2.104')


def test_legacy_header_alone(app):
    resp = call(app, '/v2.1/', headers={'X-OpenStack-Nova-API-Version': '2.20'})
    assert_version(resp, '2.20')


def test_standard_header_wins_over_legacy(app):
    resp = call(app, '/v2.1/', headers={'OpenStack-API-Version': 'compute 2.30',
                                        'X-OpenStack-Nova-API-Version': '2.20'})
    assert_version(resp, '2.30')


def test_standard_header_for_other_services_is_ignored(app):
    resp = call(app, '/v2.1/', headers={'OpenStack-API-Version': 'placement 1.20',
                                        'X-OpenStack-Nova-API-Version': '2.15'})
    assert_version(resp, '2.15')
    resp = call(app, '/v2.1/', headers={'OpenStack-API-Version': 'placement 1.20'})
    assert_version(resp, '2.1')


def test_standard_header_with_several_services(app):
    resp = call(app, '/v2.1/', headers={
        'OpenStack-API-Version': 'placement 1.20, compute 2.42,volume 3.1'})
    assert_version(resp, '2.42')


@pytest.mark.parametrize('version', ['2.105', '3.0', '1.1', '2.0', '99.99'])
def test_out_of_range_is_406(app, version):
    resp = call(app, '/v2.1/', version=version)
    assert resp.status_int == 406
    assert fault(resp) == (
        'computeFault', 406,
        'Version %s is not supported by the API. Minimum is 2.1 and maximum is 2.104.'
        % version)
    assert 'OpenStack-API-Version' not in resp.headers


@pytest.mark.parametrize('version', ['2.a', '2', 'two', '2.1.1', '2.01'])
def test_malformed_version_is_400(app, version):
    resp = call(app, '/v2.1/', version=version)
    assert resp.status_int == 400
    assert fault(resp) == (
        'badRequest', 400,
        'API Version String %s is of invalid format. Must be of format MajorNum.MinorNum.'
        % version)


def test_legacy_header_out_of_range(app):
    resp = call(app, '/v2.1/', headers={'X-OpenStack-Nova-API-Version': '2.999'})
    assert resp.status_int == 406


def test_faults_carry_the_version_headers(app):
    resp = call(app, '/v2.1/no-such-resource', version='2.30')
    assert resp.status_int == 404
    assert fault(resp) == ('itemNotFound', 404, 'The resource could not be found.')
    assert_version(resp, '2.30')


def test_legacy_v2_ignores_and_hides_microversions(app):
    for headers in ({'OpenStack-API-Version': 'compute 2.53'},
                    {'X-OpenStack-Nova-API-Version': '2.999'},
                    {'OpenStack-API-Version': 'compute nonsense'}):
        resp = call(app, '/v2/', headers=headers)
        assert resp.status_int == 200
        assert resp.json['version']['id'] == 'v2.0'
        assert 'OpenStack-API-Version' not in resp.headers
        assert 'X-OpenStack-Nova-API-Version' not in resp.headers
        assert 'Vary' not in resp.headers


def test_request_id_headers(app):
    for path in ('/', '/v2.1', '/v2.1/', '/v2/', '/v2.1/nowhere'):
        resp = call(app, path)
        request_id = resp.headers['x-openstack-request-id']
        assert request_id.startswith('req-')
        assert resp.headers['x-compute-request-id'] == request_id
    first = call(app, '/v2.1/').headers['x-openstack-request-id']
    assert call(app, '/v2.1/').headers['x-openstack-request-id'] != first
