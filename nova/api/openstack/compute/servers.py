"""/servers: boot, list, show, update and delete servers; forceDelete.

The handlers validate, ask ``compute.api.API`` and shape the answer with
``views.servers``; the microversion rules of each body live in the schemas and the view.
Project scoping is the compute API's (a server of another project is "not found").
"""

import base64
import binascii
from concurrent import futures
import secrets

from oslo_utils import strutils
from oslo_utils import uuidutils
import webob.exc

from nova import exception
from nova import servicegroup
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import server_filters
from nova.api.openstack.compute.schemas import servers as schemas
from nova.api.openstack.compute.views import servers as views
from nova.compute import api as compute_api
import nova.conf
from nova.i18n import _
from nova.objects import block_device as bdm_obj
from nova.objects import flavor as flavor_obj
from nova.objects import instance_fault as fault_obj
from nova.objects import instance_group as instance_group_obj
from nova.objects import request_spec as request_spec_obj
from nova.objects import security_group as security_group_obj
from nova.objects import service as service_obj
from nova.objects import tag as tag_obj
from nova.policy import authorize

CONF = nova.conf.CONF

RULE = 'os_compute_api:servers:%s'
EXTENDED_ATTRIBUTES_RULE = 'os_compute_api:os-extended-server-attributes'
FORCE_DELETE_RULE = 'os_compute_api:os-deferred-delete:force'
COMPUTE_BINARY = 'nova-compute'

_PASSWORD_CHARS = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'


def _supported(req, version):
    return api_version_request.is_supported(req, version)


def _context(req):
    return req.environ['nova.context']


def authorize_owner(context, rule, instance):
    """Check a rule about ``instance``: its project and user are the policy's target."""
    authorize(context, rule, target={'project_id': instance.project_id,
                                     'user_id': instance.user_id})


def may(context, rule):
    """Is ``context`` allowed ``rule`` on its own project (asked without failing)?"""
    return authorize(context, rule, fatal=False)


def get_instance(compute, context, server_id, expected_attrs=None):
    """The server as the caller may see it; 404 otherwise."""
    try:
        return compute.get(context, server_id, expected_attrs=expected_attrs)
    except exception.InstanceNotFound as exc:
        raise webob.exc.HTTPNotFound(explanation=exc.format_message())


def conflict_for_state(exc, action, server_id):
    """409 for an instance whose state forbids ``action``, in upstream's words."""
    kwargs = getattr(exc, 'kwargs', {})
    if 'attr' in kwargs and 'state' in kwargs:
        message = _("Cannot '%(action)s' instance %(server_id)s while it is in "
                    "%(attr)s %(state)s") % {'action': action, 'server_id': server_id,
                                             'attr': kwargs['attr'],
                                             'state': kwargs['state']}
    else:
        message = exc.format_message()
    raise webob.exc.HTTPConflict(explanation=message)


def generate_password(length=12):
    return ''.join(secrets.choice(_PASSWORD_CHARS) for _i in range(length))


def _id_from_href(href):
    """'2' from '2', 'http://host/v2.1/flavors/2' or '.../flavors/2/'."""
    return str(href).rstrip('/').rsplit('/', 1)[-1]


# -- what the view needs beyond the instances ------------------------------------------------

# The lookups behind one server body are independent conductor round trips: they run
# side by side, so a list costs about two round trips (instances, then the rest) whatever
# the microversion shows.
_LOOKUPS = futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix='server-lookups')


def _concurrently(calls):
    """{name: result} of {name: callable}, run on the lookup threads."""
    pending = {name: _LOOKUPS.submit(call) for name, call in calls.items()}
    return {name: future.result() for name, future in pending.items()}


def _server_groups_of(context, instance):
    """[uuid] of the server group the instance is in (2.71+), or []."""
    try:
        return [instance_group_obj.InstanceGroup.get_by_instance_uuid(
            context, instance.uuid).uuid]
    except exception.InstanceGroupNotFound:
        return []


def load_extras(req, context, instances):
    """{uuid: ServerExtras} for ``instances``, loading only what the microversion shows,
    and the newest fault of those whose status shows one."""
    uuids = [instance.uuid for instance in instances]
    extras = {uuid: views.ServerExtras() for uuid in uuids}
    if not uuids:
        return extras
    calls = {
        'volumes': lambda: bdm_obj.BlockDeviceMappingList.get_by_instance_uuids(context,
                                                                                uuids),
        'security_groups': lambda: security_group_obj.SecurityGroupList
        .get_names_by_instance_uuids(context, uuids),
    }
    faulted = [instance.uuid for instance in instances
               if views.status_from_state(instance.vm_state, instance.task_state)
               in views.FAULT_STATUSES]
    if faulted:
        calls['faults'] = lambda: fault_obj.InstanceFaultList.get_latest_by_instance_uuids(
            context, faulted)
    if _supported(req, '2.26'):
        calls['tags'] = lambda: tag_obj.TagList.get_names_by_resource_ids(context, uuids)
    if _supported(req, '2.16') and may(context, RULE % 'show:host_status'):
        calls['services'] = lambda: service_obj.ServiceList.get_by_binary(
            context, COMPUTE_BINARY, include_disabled=True)
    if _supported(req, '2.96'):
        calls['specs'] = lambda: request_spec_obj.RequestSpec.get_zones_and_hints(context,
                                                                                  uuids)
    found = _concurrently(calls)

    for bdm in found['volumes']:
        if bdm.is_volume and bdm.volume_id and bdm.instance_uuid in extras:
            extras[bdm.instance_uuid].volumes.append((bdm.volume_id,
                                                      bdm.delete_on_termination))
    for uuid, group_names in found['security_groups'].items():
        extras[uuid].security_groups = group_names
    if 'faults' in found:
        _attach_faults(instances, faulted, found['faults'])
    for uuid, names in found.get('tags', {}).items():
        extras[uuid].tags = names
    if 'services' in found:
        _set_host_status(instances, {service.host: service for service in found['services']},
                         extras)
    for uuid, (zone, hints) in found.get('specs', {}).items():
        extras[uuid].pinned_availability_zone = zone
        if _supported(req, '2.100'):
            extras[uuid].scheduler_hints = dict(hints)
    return extras


def _set_host_status(instances, by_host, extras):
    """UP, DOWN (forced down), MAINTENANCE (disabled), UNKNOWN (no heartbeat) or ''."""
    by_status = {}  # a host's status is worked out once for all its servers

    def status_of(host):
        service = by_host.get(host) if host else None
        if service is None:
            return ''
        if service.forced_down:
            return 'DOWN'
        if service.disabled:
            return 'MAINTENANCE'
        return 'UP' if servicegroup.service_is_up(service) else 'UNKNOWN'

    for instance in instances:
        if instance.host not in by_status:
            by_status[instance.host] = status_of(instance.host)
        extras[instance.uuid].host_status = by_status[instance.host]


def extras_wanted(req, context):
    """What a detailed list at this microversion shows beside the instances, in the
    vocabulary of compute API's list_servers."""
    wanted = ['volumes', 'security_groups', 'faults']
    if _supported(req, '2.26'):
        wanted.append('tags')
    if _supported(req, '2.16') and may(context, RULE % 'show:host_status'):
        wanted.append('services')
    if _supported(req, '2.96'):
        wanted.append('zones_and_hints')
    return wanted


def extras_of_records(req, servers, services, wanted):
    """{uuid: ServerExtras} of the ServerRecords of a list_servers page."""
    extras = {}
    hints_shown = _supported(req, '2.100')
    for server in servers:
        extra = extras[server.uuid] = views.ServerExtras()
        extra.volumes = [(volume_id, delete) for volume_id, delete in server.volumes]
        extra.security_groups = server.security_groups
        if 'tags' in wanted:
            extra.tags = server.tags
        if 'zones_and_hints' in wanted:
            extra.pinned_availability_zone = server.pinned_availability_zone
            if hints_shown:
                extra.scheduler_hints = dict(server.scheduler_hints)
    if 'services' in wanted:
        _set_host_status(servers, services, extras)
    return extras


def _attach_faults(instances, faulted, faults):
    latest = {fault.instance_uuid: fault for fault in faults}
    faulted = set(faulted)
    for instance in instances:
        if instance.uuid in faulted:
            instance.fault = latest.get(instance.uuid)
            instance.obj_reset_changes(['fault'])


def visibility(req, context):
    return views.Visibility(
        extended_attributes=may(context, EXTENDED_ATTRIBUTES_RULE),
        flavor_extra_specs=may(context, RULE % 'show:flavor-extra-specs'))


class ServersController:

    def __init__(self):
        self.compute_api = compute_api.API()

    # -- GET /servers, /servers/detail -----------------------------------------------------

    @wsgi.expected_errors((400, 403))
    @validation.query_schema(schemas.index_query, '2.1', '2.25')
    @validation.query_schema(schemas.index_query_v226, '2.26', '2.65')
    @validation.query_schema(schemas.index_query_v266, '2.66', '2.72')
    @validation.query_schema(schemas.index_query_v273, '2.73', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        context = _context(req)
        query = self._query(req, context, is_detail=False)
        page = self._page(context, query, detail=False)
        if page is None:  # conductors too old for list_servers
            return views.index(req, self._instances(context, query))
        return views.index(req, page[0])

    @wsgi.expected_errors((400, 403))
    @validation.query_schema(schemas.index_query, '2.1', '2.25')
    @validation.query_schema(schemas.index_query_v226, '2.26', '2.65')
    @validation.query_schema(schemas.index_query_v266, '2.66', '2.72')
    @validation.query_schema(schemas.index_query_v273, '2.73', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def detail(self, req):
        context = _context(req)
        query = self._query(req, context, is_detail=True)
        wanted = extras_wanted(req, context)
        page = self._page(context, query, detail=True, extras=wanted)
        if page is None:  # conductors too old for list_servers
            instances = self._instances(context, query)
            extras = load_extras(req, context, instances)
        else:
            instances, services = page
            extras = extras_of_records(req, instances, services, wanted)
        return views.detail_list(req, instances, extras, visibility(req, context))

    @staticmethod
    def _query(req, context, is_detail):
        authorize(context, RULE % ('detail' if is_detail else 'index'))
        return server_filters.parse(req, context, is_detail)

    def _page(self, context, query, detail, extras=()):
        """(ServerRecords, {host: service}) of the page; None when the conductors cannot
        answer it in one call."""
        if query.filters is None:
            return [], {}
        try:
            return self.compute_api.list_servers(
                context, query.filters, limit=query.limit, marker=query.marker,
                sort_keys=query.sort_keys, sort_dirs=query.sort_dirs, detail=detail,
                extras=extras)
        except exception.MarkerNotFound:
            raise webob.exc.HTTPBadRequest(
                explanation=_('marker [%s] not found') % query.marker)

    def _instances(self, context, query):
        """The page as Instance objects (conductors older than list_servers)."""
        if query.filters is None:
            return []
        try:
            return list(self.compute_api.get_all(
                context, query.filters, limit=query.limit, marker=query.marker,
                sort_keys=query.sort_keys, sort_dirs=query.sort_dirs))
        except exception.MarkerNotFound:
            raise webob.exc.HTTPBadRequest(
                explanation=_('marker [%s] not found') % query.marker)

    # -- GET /servers/{id} -----------------------------------------------------------------

    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = _context(req)
        wanted = extras_wanted(req, context)
        groups_shown = _supported(req, '2.71')
        if groups_shown:
            wanted.append('server_groups')
        # The server and its extras in one call: a page of one, as the list reads it.
        page = self._page(context, server_filters.ListQuery(
            filters={'uuid': id, 'all_tenants': True}, limit=1), detail=True, extras=wanted)
        if page is None:  # conductors too old for list_servers
            instance = get_instance(self.compute_api, context, id)
            authorize_owner(context, RULE % 'show', instance)
            return self._show(req, context, instance)
        servers, services = page
        if not servers:
            raise webob.exc.HTTPNotFound(
                explanation=exception.InstanceNotFound(instance_id=id).format_message())
        instance = servers[0]
        authorize_owner(context, RULE % 'show', instance)
        extras = extras_of_records(req, servers, services, wanted)[instance.uuid]
        if groups_shown:
            extras.server_groups = (instance.server_groups
                                    if instance.obj_attr_is_set('server_groups')
                                    else _server_groups_of(context, instance))
        return views.show(req, instance, extras, visibility(req, context))

    @staticmethod
    def _show(req, context, instance, full=True):
        extras = load_extras(req, context, [instance])[instance.uuid]
        if _supported(req, '2.71'):
            extras.server_groups = _server_groups_of(context, instance)
        vis = visibility(req, context) if full else views.Visibility(
            extended_attributes=False)
        return views.show(req, instance, extras, vis, full=full)

    # -- POST /servers ---------------------------------------------------------------------

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 409))
    @validation.schema(schemas.create, '2.1', '2.18')
    @validation.schema(schemas.create_v219, '2.19', '2.31')
    @validation.schema(schemas.create_v232, '2.32', '2.32')
    @validation.schema(schemas.create_v219, '2.33', '2.36')
    @validation.schema(schemas.create_v237, '2.37', '2.41')
    @validation.schema(schemas.create_v242, '2.42', '2.51')
    @validation.schema(schemas.create_v252, '2.52', '2.56')
    @validation.schema(schemas.create_v257, '2.57', '2.62')
    @validation.schema(schemas.create_v263, '2.63', '2.66')
    @validation.schema(schemas.create_v267, '2.67', '2.73')
    @validation.schema(schemas.create_v274, '2.74', '2.89')
    @validation.schema(schemas.create_v290, '2.90', '2.93')
    @validation.schema(schemas.create_v294, '2.94')
    def create(self, req, body):
        context = _context(req)
        authorize(context, RULE % 'create')
        server = body['server']
        if server.get('networks') not in (None, 'auto', 'none'):
            authorize(context, RULE % 'create:attach_network')
        if server.get('block_device_mapping_v2'):
            authorize(context, RULE % 'create:attach_volume')
        if ':' in (server.get('availability_zone') or ''):
            authorize(context, RULE % 'create:forced_host')  # "zone:host[:node]"
        hints = dict(body.get('os:scheduler_hints') or
                     body.get('OS-SCH-HNT:scheduler_hints') or {})
        if server.get('trusted_image_certificates'):
            raise webob.exc.HTTPBadRequest(explanation=_(
                'Image signature certificate validation is not supported by this cloud: '
                'trusted_image_certificates cannot be used.'))
        if server.get('host') or server.get('hypervisor_hostname'):
            authorize(context, RULE % 'create:requested_destination')
            raise webob.exc.HTTPBadRequest(explanation=_(
                'Requesting a destination host or hypervisor_hostname is not supported.'))

        image_href = self._image_from_request(server)
        flavor = self._flavor_from_request(context, server['flavorRef'])
        min_count = int(server.get('min_count', 1))
        max_count = int(server.get('max_count', min_count))
        if min_count > max_count:
            raise webob.exc.HTTPBadRequest(explanation=_('min_count must be <= max_count'))
        user_data = server.get('user_data')
        if user_data is not None:
            try:
                base64.b64decode(user_data)
            except (binascii.Error, ValueError):
                raise webob.exc.HTTPBadRequest(
                    explanation=_('Userdata content cannot be decoded'))
        admin_password = server.get('adminPass') or generate_password()
        security_groups = self._security_groups(server)
        try:
            instances, reservation_id = self.compute_api.create(
                context, flavor, image_href,
                name=server['name'], description=server.get('description'),
                key_name=server.get('key_name'), metadata=server.get('metadata'),
                user_data=user_data, availability_zone=server.get('availability_zone'),
                min_count=min_count, max_count=max_count,
                requested_networks=self._networks(req, server),
                security_groups=security_groups,
                config_drive=strutils.bool_from_string(server.get('config_drive', False)),
                block_device_mapping=server.get('block_device_mapping_v2'),
                tags=server.get('tags'), hostname=server.get('hostname'),
                scheduler_hints=hints, access_ip_v4=server.get('accessIPv4'),
                access_ip_v6=server.get('accessIPv6'), admin_password=admin_password)
        except exception.FlavorNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Invalid flavorRef provided.'))
        except exception.ImageNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Can not find requested image'))
        except exception.KeypairNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Invalid key_name provided.'))
        except exception.OverQuota as exc:
            raise webob.exc.HTTPForbidden(explanation=exc.format_message())
        except exception.InstanceInvalidState as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except (exception.Invalid, exception.NotFound) as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())

        if strutils.bool_from_string(server.get('return_reservation_id', False)):
            return {'reservation_id': reservation_id}
        shown_password = (admin_password
                          if CONF.api.enable_instance_password else None)
        body = views.created(req, instances[0], shown_password, security_groups)
        if server.get('OS-DCF:diskConfig'):
            body['server']['OS-DCF:diskConfig'] = server['OS-DCF:diskConfig']
        return wsgi.ResponseObject(body, headers={
            'Location': body['server']['links'][0]['href']})

    @staticmethod
    def _image_from_request(server):
        """The image to boot from: imageRef, or the image of a local root block device."""
        image_href = server.get('imageRef') or None
        for bdm in server.get('block_device_mapping_v2') or []:
            source = bdm.get('source_type')
            destination = bdm.get('destination_type', 'volume' if source in (
                'volume', 'snapshot') else 'local')
            if destination == 'volume' or source in ('volume', 'snapshot'):
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Volume-backed block devices are not supported: only local disks '
                    '(destination_type local) can be requested.'))
            if source == 'image' and str(bdm.get('boot_index')) == '0':
                bdm_image = bdm.get('uuid') or bdm.get('image_id')
                if image_href and bdm_image and bdm_image != image_href:
                    raise webob.exc.HTTPBadRequest(explanation=_(
                        'The root block device and imageRef name different images.'))
                image_href = image_href or bdm_image
        if not image_href:
            raise webob.exc.HTTPBadRequest(explanation=_('Can not find requested image'))
        return image_href

    @staticmethod
    def _flavor_from_request(context, flavor_ref):
        try:
            return flavor_obj.Flavor.get_by_flavor_id(context, _id_from_href(flavor_ref))
        except exception.FlavorNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Invalid flavorRef provided.'))

    @staticmethod
    def _security_groups(server):
        names = []
        for group in server.get('security_groups') or []:
            name = group.get('name')
            if name and name not in names:
                names.append(name)
        return names or None

    @staticmethod
    def _networks(req, server):
        """'auto', 'none', a list of {uuid, port, fixed_ip, tag}, or None (not asked)."""
        if 'networks' not in server:
            return None
        networks = server['networks']
        if isinstance(networks, str):
            return networks
        requested = []
        for network in networks:
            port = network.get('port')
            uuid = network.get('uuid')
            if not port and not uuid:
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Bad networks format: network uuid is not in proper format (%s)')
                    % uuid)
            if uuid and not uuidutils.is_uuid_like(uuid):
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Bad networks format: network uuid is not in proper format (%s)')
                    % uuid)
            if port and network.get('fixed_ip'):
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Specified Fixed IP \'%(addr)s\' cannot be used with port '
                    '\'%(port)s\': the two cannot be specified together.') % {
                        'addr': network['fixed_ip'], 'port': port})
            requested.append({'uuid': uuid, 'port': port,
                              'fixed_ip': network.get('fixed_ip'),
                              'tag': network.get('tag')})
        return requested

    # -- PUT /servers/{id} -----------------------------------------------------------------

    @wsgi.expected_errors((400, 404))
    @validation.schema(schemas.update, '2.1', '2.18')
    @validation.schema(schemas.update_v219, '2.19', '2.89')
    @validation.schema(schemas.update_v290, '2.90', '2.93')
    @validation.schema(schemas.update_v294, '2.94')
    def update(self, req, id, body):
        context = _context(req)
        instance = get_instance(self.compute_api, context, id)
        authorize_owner(context, RULE % 'update', instance)
        server = body['server']
        updates = {}
        for key, field in (('name', 'display_name'), ('description', 'display_description'),
                           ('hostname', 'hostname'), ('accessIPv4', 'access_ip_v4'),
                           ('accessIPv6', 'access_ip_v6')):
            if key in server:
                updates[field] = server[key]
        if 'OS-DCF:diskConfig' in server:
            updates['auto_disk_config'] = server['OS-DCF:diskConfig'] == 'AUTO'
        try:
            instance = self.compute_api.update_instance(context, instance, updates)
        except exception.InstanceNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except exception.Invalid as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        return self._show(req, context, instance, full=_supported(req, '2.75'))

    # -- DELETE /servers/{id} --------------------------------------------------------------

    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete(self, req, id):
        context = _context(req)
        instance = get_instance(self.compute_api, context, id)
        authorize_owner(context, RULE % 'delete', instance)
        self._delete(context, instance, id, self.compute_api.delete, 'delete')

    @staticmethod
    def _delete(context, instance, server_id, method, action):
        try:
            method(context, instance)
        except exception.InstanceNotFound:
            raise webob.exc.HTTPNotFound(explanation=_('Instance could not be found'))
        except exception.InstanceInvalidState as exc:
            conflict_for_state(exc, action, server_id)
        except exception.Conflict as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())

    # -- POST /servers/{id}/action (routes.ServerActionsController) ----------------------

    @wsgi.expected_errors((400, 403, 404, 409))
    @wsgi.response(202)
    def force_delete(self, req, id, body):
        validation.validate(schemas.force_delete, body)
        context = _context(req)
        instance = get_instance(self.compute_api, context, id)
        authorize_owner(context, FORCE_DELETE_RULE, instance)
        self._delete(context, instance, id, self.compute_api.force_delete, 'forceDelete')

