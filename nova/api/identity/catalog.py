"""/v3/services and /v3/endpoints: the service catalog tokens show."""

from nova.api.identity import common
from nova.api.identity import policy
from nova.api.identity import schemas
from nova.api.identity import views
from nova.api.identity import wsgi
from nova.objects import identity as identity_obj

Catalog = identity_obj.IdentityCatalog
SERVICE_FIELDS = ('type', 'name', 'description', 'enabled')
ENDPOINT_FIELDS = ('service_id', 'interface', 'region_id', 'url', 'enabled')


def _endpoint_values(body):
    values = {key: body[key] for key in ENDPOINT_FIELDS if key in body}
    if 'region_id' not in values and body.get('region') is not None:
        values['region_id'] = body['region']  # the older name of region_id
    return values


def list_services(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_services')
    services = Catalog.list_services(caller.context, common.filters(req, ('type', 'name')))
    return wsgi.json_response(views.collection(req, 'services',
                                               [views.service(req, s) for s in services]))


def create_service(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_service')
    body = wsgi.read_json(req, schemas.SERVICE_CREATE)['service']
    values = {key: body[key] for key in SERVICE_FIELDS if key in body}
    service = Catalog.create_service(caller.context, values)
    return wsgi.json_response({'service': views.service(req, service)}, status=201)


def show_service(req, service_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_service')
    return wsgi.json_response({'service': views.service(
        req, Catalog.get_service(caller.context, service_id))})


def update_service(req, service_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:update_service')
    body = wsgi.read_json(req, schemas.SERVICE_UPDATE)['service']
    values = {key: body[key] for key in SERVICE_FIELDS if key in body}
    service = Catalog.update_service(caller.context, service_id, values)
    return wsgi.json_response({'service': views.service(req, service)})


def delete_service(req, service_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:delete_service')
    Catalog.delete_service(caller.context, service_id)
    return wsgi.no_content()


def list_endpoints(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_endpoints')
    endpoints = Catalog.list_endpoints(caller.context, common.filters(
        req, ('service_id', 'interface', 'region_id')))
    return wsgi.json_response(views.collection(req, 'endpoints',
                                               [views.endpoint(req, e) for e in endpoints]))


def create_endpoint(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_endpoint')
    body = wsgi.read_json(req, schemas.ENDPOINT_CREATE)['endpoint']
    endpoint = Catalog.create_endpoint(caller.context, _endpoint_values(body))
    return wsgi.json_response({'endpoint': views.endpoint(req, endpoint)}, status=201)


def show_endpoint(req, endpoint_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_endpoint')
    return wsgi.json_response({'endpoint': views.endpoint(
        req, Catalog.get_endpoint(caller.context, endpoint_id))})


def update_endpoint(req, endpoint_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:update_endpoint')
    body = wsgi.read_json(req, schemas.ENDPOINT_UPDATE)['endpoint']
    endpoint = Catalog.update_endpoint(caller.context, endpoint_id, _endpoint_values(body))
    return wsgi.json_response({'endpoint': views.endpoint(req, endpoint)})


def delete_endpoint(req, endpoint_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:delete_endpoint')
    Catalog.delete_endpoint(caller.context, endpoint_id)
    return wsgi.no_content()
