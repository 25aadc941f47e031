"""The resource framework: versioned methods, validation, expected errors, responses."""

import datetime
import json
import logging

from oslo_serialization import jsonutils
import pytest
import webob.exc

from nova import exception
from nova.api import auth
from nova.api import validation
from nova.api.openstack import faults
from nova.api.openstack import legacy_v2
from nova.api.openstack import router
from nova.api.openstack import wsgi
from nova.api.validation import parameter_types
from tests.unit.api.client import call
from tests.unit.api.client import fault

THING = {
    'type': 'object',
    'properties': {
        'thing': {
            'type': 'object',
            'properties': {
                'name': {'type': 'string', 'minLength': 1, 'maxLength': 10},
                'size': parameter_types.positive_integer,
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['thing'],
    'additionalProperties': False,
}

THING_V210 = {
    'type': 'object',
    'properties': {'name': {'type': 'string', 'enum': ['new']}},
    'required': ['name'],
    'additionalProperties': False,
}

QUERY = {'type': 'object',
         'properties': {'name': parameter_types.common_query_param},
         'additionalProperties': True}
QUERY_V275 = dict(QUERY, additionalProperties=False)


class ThingController:

    @wsgi.api_version('2.1', '2.9')
    @wsgi.expected_errors(())
    def show(self, req, id):
        return {'old': id}

    @show.add_version('2.10')
    @wsgi.expected_errors(())
    def show(self, req, id):
        return {'new': id}

    @wsgi.api_version('2.20', '2.30')
    @wsgi.expected_errors(())
    def window(self, req):
        return {'window': True}

    @wsgi.response(202)
    @wsgi.expected_errors(400)
    @validation.schema(THING, '2.1', '2.9')
    @validation.schema(THING_V210, '2.10')
    def create(self, req, body):
        return {'got': body}

    @wsgi.expected_errors(())
    @validation.query_schema(QUERY, '2.1', '2.74')
    @validation.query_schema(QUERY_V275, '2.75')
    def index(self, req):
        return {'query': req.GET.dict_of_lists()}

    @wsgi.response(204)
    @wsgi.expected_errors(404)
    def delete(self, req, id):
        if id == 'missing':
            raise exception.FlavorNotFound(flavor_id=id)
        if id == 'conflict':
            raise exception.FlavorExists(name=id)
        if id == 'webob-conflict':
            raise webob.exc.HTTPConflict(explanation='busy')
        if id == 'policy':
            raise exception.PolicyNotAuthorized(action='things:delete')

    @wsgi.expected_errors(())
    def headers(self, req):
        return wsgi.ResponseObject({'ok': 1}, code=201, headers={'Location': 'http://x/1'})

    def crash(self, req):
        raise RuntimeError('secret internals')

    def unsafe(self, req):
        raise exception.DBNotConfigured(group='database')


ROUTES = (
    ('/things', {'GET': (ThingController, 'index'), 'POST': (ThingController, 'create')}),
    ('/things/headers', {'GET': (ThingController, 'headers')}),
    ('/things/window', {'GET': (ThingController, 'window')}),
    ('/things/crash', {'GET': (ThingController, 'crash')}),
    ('/things/unsafe', {'GET': (ThingController, 'unsafe')}),
    ('/things/{id}', {'GET': (ThingController, 'show'), 'DELETE': (ThingController, 'delete')}),
)


@pytest.fixture
def app(conf):
    return faults.FaultWrapper(auth.NoAuthMiddleware(router.APIRouter(ROUTES)))


@pytest.fixture
def legacy_app(conf):
    return faults.FaultWrapper(auth.NoAuthMiddleware(
        legacy_v2.LegacyV2CompatibleWrapper(router.APIRouter(ROUTES))))


# -- versioned methods ---------------------------------------------------------------------

def test_each_range_has_its_implementation(app):
    assert call(app, '/things/a').json == {'old': 'a'}
    assert call(app, '/things/a', version='2.9').json == {'old': 'a'}
    assert call(app, '/things/a', version='2.10').json == {'new': 'a'}
    assert call(app, '/things/a', version='latest').json == {'new': 'a'}


def test_outside_every_range_is_404(app):
    for version in ('2.19', '2.31'):
        resp = call(app, '/things/window', version=version)
        assert resp.status_int == 404
        assert fault(resp) == ('itemNotFound', 404,
                               'API version %s is not supported on this method.' % version)
    assert call(app, '/things/window', version='2.25').json == {'window': True}


def test_overlapping_ranges_are_refused_at_definition():
    with pytest.raises(ValueError, match='overlap'):
        class Bad:
            @wsgi.api_version('2.1', '2.10')
            def show(self, req):
                pass

            @show.add_version('2.10')
            def show(self, req):
                pass


# -- body validation -------------------------------------------------------------------------

def test_valid_body_and_status(app):
    resp = call(app, '/things', 'POST', {'thing': {'name': 'a', 'size': 3}})
    assert resp.status_int == 202
    assert resp.json == {'got': {'thing': {'name': 'a', 'size': 3}}}


@pytest.mark.parametrize('body, message', [
    ({}, "'thing' is a required property"),
    ({'thing': {}}, "'name' is a required property"),
    ({'thing': {'name': ''}},
     "Invalid input for field/attribute name. Value: . '' should be non-empty"),
    ({'thing': {'name': 'a', 'size': 0}},
     'Invalid input for field/attribute size. Value: 0. 0 is less than the minimum of 1'),
    ({'thing': {'name': 'a', 'colour': 'red'}},
     "Additional properties are not allowed ('colour' was unexpected)"),
    ([1], "[1] is not of type 'object'"),
])
def test_invalid_body_is_400(app, body, message):
    resp = call(app, '/things', 'POST', body)
    assert resp.status_int == 400
    name, code, text = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert message in text


def test_schema_follows_the_microversion(app):
    assert call(app, '/things', 'POST', {'name': 'new'}, version='2.10').status_int == 202
    assert call(app, '/things', 'POST', {'name': 'new'}, version='2.9').status_int == 400
    resp = call(app, '/things', 'POST', {'thing': {'name': 'a'}}, version='2.10')
    assert resp.status_int == 400


def test_missing_body_is_400(app):
    resp = call(app, '/things', 'POST')
    assert fault(resp) == ('badRequest', 400, "None is not of type 'object'")


def test_malformed_json_is_400(app):
    resp = call(app, '/things', 'POST', b'{"thing": ')
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert message.startswith('Malformed message body: ')


def test_other_content_types_are_415(app):
    resp = call(app, '/things', 'POST', b'thing=1',
                headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert fault(resp) == ('badMediaType', 415, 'Unsupported Content-Type')


def test_legacy_v2_drops_unknown_properties(legacy_app):
    resp = call(legacy_app, '/things', 'POST', {'thing': {'name': 'a', 'colour': 'red'},
                                                 'extra': 1})
    assert resp.status_int == 202
    assert resp.json == {'got': {'thing': {'name': 'a'}}}
    assert call(legacy_app, '/things', 'POST', {'thing': {}}).status_int == 400


# -- query validation -----------------------------------------------------------------------

def test_unknown_query_parameters_are_dropped_before_275(app):
    resp = call(app, '/things?name=a&name=b&junk=1', version='2.74')
    assert resp.json == {'query': {'name': ['a', 'b']}}


def test_unknown_query_parameters_are_refused_from_275(app):
    resp = call(app, '/things?name=a&junk=1', version='2.75')
    name, code, message = fault(resp)
    assert (name, code) == ('badRequest', 400)
    assert "Additional properties are not allowed ('junk' was unexpected)" in message
    assert call(app, '/things?name=a', version='2.75').json == {'query': {'name': ['a']}}


# -- errors and responses -------------------------------------------------------------------

def test_expected_nova_error_keeps_its_code(app):
    resp = call(app, '/things/missing', 'DELETE')
    assert fault(resp) == ('itemNotFound', 404, 'Flavor missing could not be found.')


@pytest.mark.parametrize('thing', ['conflict', 'webob-conflict'])
def test_unexpected_error_is_500(app, thing, caplog):
    with caplog.at_level(logging.ERROR):
        resp = call(app, '/things/%s' % thing, 'DELETE')
    name, code, message = fault(resp)
    assert (name, code) == ('computeFault', 500)
    assert message.startswith('Unexpected API Error.')
    assert 'Unexpected exception in API method' in caplog.text
    assert 'Traceback' in caplog.text


def test_policy_errors_always_pass(app):
    resp = call(app, '/things/policy', 'DELETE')
    assert fault(resp) == ('forbidden', 403,
                           "Policy doesn't allow things:delete to be performed.")


def test_no_content(app):
    resp = call(app, '/things/x', 'DELETE')
    assert resp.status_int == 204
    assert resp.body == b''
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.1'


def test_response_object(app):
    resp = call(app, '/things/headers')
    assert resp.status_int == 201
    assert resp.headers['Location'] == 'http://x/1'
    assert resp.json == {'ok': 1}
    assert resp.content_type == 'application/json'


def test_wrong_method_is_404(app):
    resp = call(app, '/things/x', 'PUT', {})
    assert fault(resp) == ('itemNotFound', 404, 'The resource could not be found.')


def test_project_id_in_url_must_be_the_callers(app):
    project = 'abc123'
    assert call(app, '/%s/things/a' % project, token='u:%s' % project).json == {'old': 'a'}
    resp = call(app, '/%s/things/a' % project, token='u:def456')
    assert fault(resp) == ('badRequest', 400,
                           "Malformed request URL: URL's project_id 'abc123' doesn't match "
                           "Context's project_id 'def456'")


# -- the fault wrapper ------------------------------------------------------------------------

def test_crash_is_500_with_a_logged_traceback(app, caplog):
    with caplog.at_level(logging.ERROR):
        resp = call(app, '/things/crash', version='2.40')
    assert fault(resp) == ('computeFault', 500, 'The server has either erred or is '
                           'incapable of performing the requested operation.')
    assert 'secret internals' not in resp.text
    assert 'Traceback' in caplog.text and 'secret internals' in caplog.text
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.40'


def test_unsafe_nova_errors_hide_their_message(app):
    resp = call(app, '/things/unsafe')
    name, code, message = fault(resp)
    assert (name, code) == ('computeFault', 500)
    assert 'database' not in message


class TooMany(exception.NovaException):
    msg_fmt = 'slow down'
    code = 429
    safe = True
    headers = {'Retry-After': '30'}


@pytest.mark.parametrize('exc, name, code, message', [
    (exception.Invalid(), 'badRequest', 400, 'Invalid: Bad Request - Invalid Parameters'),
    (exception.FlavorNotFound(flavor_id='x'), 'itemNotFound', 404,
     'FlavorNotFound: Flavor x could not be found.'),
    (exception.Forbidden(), 'forbidden', 403, 'Forbidden: Forbidden.'),
    (exception.Conflict(), 'conflictingRequest', 409,
     'Conflict: Conflict updating resource.'),
    (exception.NotImplementedYet(what='x'), 'notImplemented', 501,
     'NotImplementedYet: x is not implemented by this deployment.'),
    (exception.InvalidContentType(content_type='x'), 'badMediaType', 415,
     'InvalidContentType: Invalid content type x.'),
    (TooMany(), 'overLimit', 429, 'TooMany: slow down'),
    (ValueError('no'), 'computeFault', 500,
     'The server has either erred or is incapable of performing the requested operation.'),
    (OSError(2, 'a library error with its own "code"'), 'computeFault', 500,
     'The server has either erred or is incapable of performing the requested operation.'),
    (webob.exc.HTTPConflict(explanation='busy'), 'conflictingRequest', 409, 'busy'),
])
def test_fault_wrapper_bodies(conf, exc, name, code, message):
    def raising_app(environ, start_response):
        raise exc
    resp = call(faults.FaultWrapper(raising_app), '/')
    assert resp.status_int == code
    assert resp.content_type == 'application/json'
    assert fault(resp) == (name, code, message)
    if code == 429:
        assert resp.json['overLimit']['retryAfter'] == '30'
        assert resp.headers['Retry-After'] == '30'


def test_fault_wrapper_in_the_real_pipeline(monkeypatch, conf):
    from nova.api import loader
    from nova.api.openstack.compute import versions

    def broken(self, req):
        raise RuntimeError('boom')
    monkeypatch.setattr(versions.VersionsController, 'show', broken)
    resp = call(loader.load_app(), '/v2.1/', version='2.60')
    assert resp.status_int == 500
    assert fault(resp)[0:2] == ('computeFault', 500)
    assert resp.headers['x-openstack-request-id'].startswith('req-')
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.60'


def test_json_body_reads_as_jsonutils_did():
    when = datetime.datetime(2026, 12, 6, 15, 30, 0, 250000)
    body = {'when': when, 'ids': {3, 1}, 7: 'seven', 'name': 'caf\u00e9', 'nothing': None}
    assert json.loads(wsgi.json_body(body)) == json.loads(jsonutils.dump_as_bytes(body))
    huge = {'count': 2 ** 70}  # beyond orjson's 64 bits: jsonutils takes it
    assert json.loads(wsgi.json_body(huge)) == huge
