"""/os-services: list services; enable, disable and force down compute services; delete.

Before 2.53 a service is named by host and binary in the body of PUT
/os-services/{enable,disable,disable-log-reason,force-down} and by integer id in DELETE.
From 2.53 it is named by its uuid in the path of PUT and DELETE /os-services/{service_id}.
"""

from oslo_utils import strutils
from oslo_utils import uuidutils
import webob.exc

from nova import exception
from nova import servicegroup
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import services as schemas
from nova.compute import aggregates
from nova.compute import api as compute_api
from nova.i18n import _
from nova.policy import authorize

RULE = 'os_compute_api:os-services:%s'

# The API services have no heartbeat (they are not RPC services), so they would always
# show "down": they are left out of the list.
API_BINARIES = ('nova-osapi_compute', 'nova-metadata')

FORCED_DOWN_MIN_VERSION = '2.11'
UUID_FOR_ID_MIN_VERSION = '2.53'

_MAX_INT = 2 ** 31 - 1


def _bad_request(message):
    return webob.exc.HTTPBadRequest(explanation=message)


class ServiceController:

    def __init__(self):
        self.host_api = compute_api.HostAPI()

    # -- GET /os-services ------------------------------------------------------------------

    @wsgi.expected_errors(())
    @validation.query_schema(schemas.index_query, '2.1', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        context = req.environ['nova.context']
        authorize(context, RULE % 'list')
        filters = {name: req.GET[name] for name in ('host', 'binary') if req.GET.get(name)}
        services = [service for service in self.host_api.service_get_all(context, filters)
                    if service.binary not in API_BINARIES]
        extra_fields = []
        if api_version_request.is_supported(req, FORCED_DOWN_MIN_VERSION):
            extra_fields.append('forced_down')
        zones = aggregates.host_availability_zones(req.environ['nova.context'].elevated())
        return {'services': [self._detail(req, service, extra_fields, zones)
                             for service in services]}

    def _detail(self, req, service, extra_fields=(), zones=None):
        uuid_for_id = api_version_request.is_supported(req, UUID_FOR_ID_MIN_VERSION)
        detail = {
            'binary': service.binary,
            'host': service.host,
            'id': service.uuid if uuid_for_id else service.id,
            'zone': self.host_api.availability_zone(service, zones),
            'status': 'disabled' if service.disabled else 'enabled',
            'state': 'up' if servicegroup.service_is_up(service) else 'down',
            'updated_at': service.updated_at,
            'disabled_reason': service.disabled_reason,
        }
        for field in extra_fields:
            detail[field] = getattr(service, field)
        return detail

    # -- PUT /os-services/{action} (2.1 - 2.52) ----------------------------------------------

    @wsgi.api_version('2.1', '2.52')
    @wsgi.expected_errors((400, 404))
    @validation.schema(schemas.service_update, '2.1', '2.10')
    @validation.schema(schemas.service_update_v211, '2.11', '2.52')
    def update(self, req, id, body):
        context = req.environ['nova.context']
        authorize(context, RULE % 'update')
        actions = {
            'enable': self._enable,
            'disable': self._disable,
            'disable-log-reason': self._disable_log_reason,
        }
        if api_version_request.is_supported(req, FORCED_DOWN_MIN_VERSION):
            actions['force-down'] = self._force_down
        if id not in actions:
            raise webob.exc.HTTPNotFound(explanation=_('Unknown action'))
        return actions[id](context, body)

    def _enable(self, context, body):
        self._update_by_host_and_binary(context, body,
                                        {'disabled': False, 'disabled_reason': None})
        return {'service': {'host': body['host'], 'binary': body['binary'],
                            'status': 'enabled'}}

    def _disable(self, context, body, reason=None):
        self._update_by_host_and_binary(context, body,
                                        {'disabled': True, 'disabled_reason': reason})
        result = {'host': body['host'], 'binary': body['binary'], 'status': 'disabled'}
        if reason:
            result['disabled_reason'] = reason
        return {'service': result}

    def _disable_log_reason(self, context, body):
        if 'disabled_reason' not in body:
            raise _bad_request(_('Missing disabled reason field'))
        return self._disable(context, body, body['disabled_reason'])

    def _force_down(self, context, body):
        if 'forced_down' not in body:
            raise _bad_request(_('Missing forced_down field'))
        forced_down = strutils.bool_from_string(body['forced_down'])
        self._update_by_host_and_binary(context, body, {'forced_down': forced_down})
        return {'service': {'host': body['host'], 'binary': body['binary'],
                            'forced_down': forced_down}}

    def _update_by_host_and_binary(self, context, body, values):
        self._check_updatable(body['binary'])
        service = self.host_api.service_get_by_host_and_binary(
            context, body['host'], body['binary'])  # HostBinaryNotFound: 404
        self.host_api.service_update(context, service, values)

    @staticmethod
    def _check_updatable(binary):
        # Only compute services are scheduled to, so only they can be enabled/disabled
        # or forced down meaningfully.
        if binary != compute_api.COMPUTE_BINARY:
            raise _bad_request(_('Updating a %(binary)s service is not supported. Only '
                                 'nova-compute services can be updated.')
                               % {'binary': binary})

    # -- PUT /os-services/{service_id} (2.53 -) -----------------------------------------------

    @update.add_version(UUID_FOR_ID_MIN_VERSION)
    @wsgi.expected_errors((400, 404))
    @validation.schema(schemas.service_update_v253, UUID_FOR_ID_MIN_VERSION)
    def update(self, req, id, body):
        if not uuidutils.is_uuid_like(id):
            raise _bad_request(_('Invalid uuid %s') % id)
        context = req.environ['nova.context']
        authorize(context, RULE % 'update')
        service = self.host_api.service_get_by_id_or_uuid(context, id)  # 404
        self._check_updatable(service.binary)

        if body.get('status') == 'enabled':
            if body.get('disabled_reason'):
                raise _bad_request(_("Specifying 'disabled_reason' with status 'enabled' "
                                     "is invalid."))
            service.disabled = False
            service.disabled_reason = None
        elif body.get('status') == 'disabled':
            service.disabled = True
            service.disabled_reason = body.get('disabled_reason')
        if 'forced_down' in body:
            service.forced_down = strutils.bool_from_string(body['forced_down'], strict=True)
        if not service.obj_what_changed():
            raise _bad_request(_("No updates were requested. Fields 'status' or "
                                 "'forced_down' should be specified."))

        self.host_api.service_update(context, service)
        return {'service': self._detail(req, service, ['forced_down'])}

    # -- DELETE /os-services/{id} -------------------------------------------------------------

    @wsgi.response(204)
    @wsgi.expected_errors((400, 404, 409))
    def delete(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'delete')
        if api_version_request.is_supported(req, UUID_FOR_ID_MIN_VERSION):
            if not uuidutils.is_uuid_like(id):
                raise _bad_request(_('Invalid uuid %s') % id)
        else:
            try:
                numeric_id = int(id)
            except ValueError:
                raise exception.InvalidInput(reason=_('id must be an integer'))
            if not 0 <= numeric_id <= _MAX_INT:
                raise webob.exc.HTTPNotFound(explanation=_('Service %s not found.') % id)
        try:
            self.host_api.service_delete(context, id)  # ComputeServiceInUse: 409
        except exception.ServiceNotFound:
            raise webob.exc.HTTPNotFound(explanation=_('Service %s not found.') % id)
