"""Server bodies of every microversion.

The view only shapes data: the controller loads what an Instance does not carry itself
(tags, security groups, volumes, host status, the request spec's zone and hints, server
groups) into a :class:`ServerExtras` and decides what the caller may see.

What changes with the microversion:

- 2.1: the v2.0 body with the OS-EXT-* / OS-SRV-USG / OS-DCF / os-extended-volumes
  attributes; OS-EXT-SRV-ATTR:{host,instance_name,hypervisor_hostname} for admins.
- 2.3: admins also see OS-EXT-SRV-ATTR:{reservation_id,launch_index,hostname,kernel_id,
  ramdisk_id,root_device_name,user_data}; volumes carry delete_on_termination.
- 2.9 locked; 2.16 host_status (admins); 2.19 description; 2.26 tags; 2.47 the flavor
  embedded (vcpus, ram, disk, ephemeral, swap, original_name, extra_specs);
  2.63 trusted_image_certificates; 2.71 server_groups; 2.73 locked_reason;
  2.75 PUT answers with the whole body; 2.90 OS-EXT-SRV-ATTR:hostname for everyone;
  2.96 pinned_availability_zone; 2.98 the image's properties; 2.100 scheduler_hints.
"""

import dataclasses
import hashlib
from urllib import parse

from oslo_serialization import jsonutils

from nova.api.openstack import api_version_request
from nova.api.openstack import common
from nova.api.openstack.compute.views import collection_links
from nova.compute import server_records

COLLECTION = 'servers'

# vm_state -> {task_state: status}; 'default' when the task state has no entry.
_RESIZE_TASKS = ('resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish')
_REBUILD_TASKS = ('rebuilding', 'rebuild_block_device_mapping', 'rebuild_spawning')
STATE_MAP = {
    'active': {
        'default': 'ACTIVE',
        'rebooting': 'REBOOT', 'reboot_pending': 'REBOOT', 'reboot_started': 'REBOOT',
        'rebooting_hard': 'HARD_REBOOT', 'reboot_pending_hard': 'HARD_REBOOT',
        'reboot_started_hard': 'HARD_REBOOT',
        'updating_password': 'PASSWORD',
        'migrating': 'MIGRATING',
        **{task: 'REBUILD' for task in _REBUILD_TASKS},
        **{task: 'RESIZE' for task in _RESIZE_TASKS},
    },
    'building': {'default': 'BUILD'},
    'stopped': {
        'default': 'SHUTOFF',
        **{task: 'REBUILD' for task in _REBUILD_TASKS},
        **{task: 'RESIZE' for task in _RESIZE_TASKS},
    },
    'resized': {'default': 'VERIFY_RESIZE', 'resize_reverting': 'REVERT_RESIZE'},
    'paused': {'default': 'PAUSED', 'migrating': 'MIGRATING'},
    'suspended': {'default': 'SUSPENDED'},
    'rescued': {'default': 'RESCUE'},
    'error': {'default': 'ERROR', **{task: 'REBUILD' for task in _REBUILD_TASKS}},
    'deleted': {'default': 'DELETED'},
    'soft-delete': {'default': 'SOFT_DELETED'},
    'shelved': {'default': 'SHELVED'},
    'shelved_offloaded': {'default': 'SHELVED_OFFLOADED'},
}

FAULT_STATUSES = ('ERROR', 'DELETED')
PROGRESS_STATUSES = ('ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING')

IMAGE_PROPERTY_PREFIX = 'image_'


def status_from_state(vm_state, task_state=None):
    """The API status of (vm_state, task_state); UNKNOWN for a state nova does not know."""
    task_map = STATE_MAP.get(vm_state, {'default': 'UNKNOWN'})
    return task_map.get(task_state, task_map['default'])


def states_from_status(statuses):
    """The (vm_states, task_states) that statuses stand for, each sorted.

    A task state of 'default' in the answer means "any task state" for its vm_state.
    """
    wanted = {status.lower() for status in statuses}
    vm_states, task_states = set(), set()
    for vm_state, task_map in STATE_MAP.items():
        for task_state, status in task_map.items():
            if status.lower() in wanted:
                vm_states.add(vm_state)
                task_states.add(task_state)
    return sorted(vm_states), sorted(task_states)


@dataclasses.dataclass
class ServerExtras:
    """What a server body needs beyond the Instance itself."""

    tags: list = dataclasses.field(default_factory=list)
    security_groups: list = dataclasses.field(default_factory=list)   # group names
    volumes: list = dataclasses.field(default_factory=list)  # (volume id, delete_on_term.)
    host_status: str = None          # None: not shown to this caller
    pinned_availability_zone: str = None
    scheduler_hints: dict = dataclasses.field(default_factory=dict)
    server_groups: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Visibility:
    """What this caller may see (policy decisions, made by the controller)."""

    extended_attributes: bool = False   # OS-EXT-SRV-ATTR:* (admins)
    flavor_extra_specs: bool = True     # 2.47+ embedded flavor's extra_specs


def _naive(value):
    return value.replace(tzinfo=None) if value.tzinfo is not None else value


def isotime(value):
    # isoformat, not strftime: a third of the cost, and a list formats several per server.
    return _naive(value).isoformat(timespec='seconds') + 'Z' if value is not None else None


_SUPPORTED = 'nova.server_view.supported'


def _supported(req, version):
    # Asked a dozen times for every server of a list: answered once per request.
    answers = req.environ.get(_SUPPORTED)
    if answers is None:
        answers = req.environ[_SUPPORTED] = {}
    answer = answers.get(version)
    if answer is None:
        answer = answers[version] = api_version_request.is_supported(req, version)
    return answer


def _field(instance, name, default=None):
    # A list's records hold their fields as plain attributes (a body reads some forty per
    # server); an object is asked first, since reading an unset field would load it.
    if isinstance(instance, server_records.Record):
        return instance.__dict__.get(name, default)
    return getattr(instance, name) if instance.obj_attr_is_set(name) else default


def _project_segment(req):
    """The caller's project id when the request URL carried it, so links keep that form."""
    context = req.environ.get('nova.context')
    project_id = getattr(context, 'project_id', None)
    if project_id and '/%s/' % project_id in req.path_url + '/':
        return project_id
    return ''


def _join(*parts):
    return '/'.join(str(part).strip('/') for part in parts if part)


_LINK_ROOTS = 'nova.server_view.link_roots'


def _link_roots(req):
    """(self root, bookmark root) of this request's links, worked out once per request
    (a list makes several links for each of its servers)."""
    roots = req.environ.get(_LINK_ROOTS)
    if roots is None:
        segment = _project_segment(req)
        roots = (_join(common.compute_link(req.application_url), segment),
                 _join(common.compute_link(common.api_root_url(req)), segment))
        req.environ[_LINK_ROOTS] = roots
    return roots


def _bookmark(req, collection, identifier):
    # The roots end without a slash and the quoted identifier has none.
    return '%s/%s/%s' % (_link_roots(req)[1], collection,
                         parse.quote(str(identifier), safe=''))


def links(req, server_id):
    return [
        {'rel': 'self', 'href': '%s/%s/%s' % (_link_roots(req)[0], COLLECTION, server_id)},
        {'rel': 'bookmark', 'href': _bookmark(req, COLLECTION, server_id)},
    ]


def host_id_for(host, project_id):
    """An opaque id of a host, stable within a project (so users can tell whether two of
    their servers share a host without learning its name); '' for no host."""
    if not host:
        return ''
    return hashlib.sha224((str(project_id) + host).encode()).hexdigest()


def host_id(instance):
    return host_id_for(_field(instance, 'host'), _field(instance, 'project_id'))


def _image(req, instance):
    image_ref = _field(instance, 'image_ref')
    if not image_ref:
        return ''
    image_id = image_ref.rstrip('/').rsplit('/', 1)[-1]
    image = {'id': image_id, 'links': [{'rel': 'bookmark',
                                        'href': _bookmark(req, 'images', image_id)}]}
    if _supported(req, '2.98'):
        system_metadata = _field(instance, 'system_metadata', {}) or {}
        image['properties'] = {key[len(IMAGE_PROPERTY_PREFIX):]: value
                               for key, value in system_metadata.items()
                               if key.startswith(IMAGE_PROPERTY_PREFIX)}
    return image


def _flavor(req, instance, show_extra_specs):
    flavor = _field(instance, 'flavor')
    if flavor is None:
        return {}
    if _supported(req, '2.47'):
        body = {'vcpus': flavor.vcpus, 'ram': flavor.memory_mb, 'disk': flavor.root_gb,
                'ephemeral': flavor.ephemeral_gb, 'swap': flavor.swap,
                'original_name': flavor.name}
        if show_extra_specs:
            body['extra_specs'] = dict(flavor.extra_specs
                                       if flavor.obj_attr_is_set('extra_specs') else {})
        return body
    return {'id': str(flavor.flavorid),
            'links': [{'rel': 'bookmark', 'href': _bookmark(req, 'flavors', flavor.flavorid)}]}


def network_addresses(instance):
    """[(network label, [(address, version, type, mac)])] from the network info cache."""
    info_cache = _field(instance, 'info_cache')
    raw = info_cache.network_info if info_cache is not None else None
    if not raw:
        return []
    try:
        vifs = jsonutils.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    networks = {}
    for vif in vifs or []:
        network = vif.get('network') or {}
        label = network.get('label') or network.get('id') or 'private'
        entries = networks.setdefault(label, [])
        for subnet in network.get('subnets') or []:
            for ip in subnet.get('ips') or []:
                entries.append((ip['address'], ip.get('version', 4),
                                ip.get('type', 'fixed'), vif.get('address')))
                for floating in ip.get('floating_ips') or []:
                    entries.append((floating['address'], floating.get('version', 4),
                                    'floating', vif.get('address')))
    return list(networks.items())


def _addresses(instance, extended):
    if _field(instance, 'vm_state') == 'building':
        return {}  # not known to the user until the build is done
    result = {}
    for label, entries in network_addresses(instance):
        items = []
        for address, version, kind, mac in entries:
            item = {'version': version, 'addr': address}
            if extended:
                item['OS-EXT-IPS:type'] = kind
                item['OS-EXT-IPS-MAC:mac_addr'] = mac
            items.append(item)
        result[label] = items
    return result


def _fault(req, instance):
    fault = _field(instance, 'fault')
    if fault is None:
        return None
    body = {'code': fault.code, 'created': isotime(fault.created_at),
            'message': fault.message}
    details = _field(fault, 'details')
    context = req.environ.get('nova.context')
    # A 500's details are a traceback: for admins only.
    if details and (getattr(context, 'is_admin', False) or fault.code != 500):
        body['details'] = details
    return body


def _access_ip(value):
    return str(value) if value is not None else ''


def summary(req, instance):
    """A server as GET /servers lists it."""
    return {'id': instance.uuid, 'name': _field(instance, 'display_name'),
            'links': links(req, instance.uuid)}


def _usage_time(value):
    # Upstream shows these as str() of the naive datetime (a space, no 'Z').
    return _naive(value).isoformat(' ') if value is not None else None


def detail(req, instance, extras=None, visibility=None, full=True, server_groups=False):
    """A server as GET /servers/detail and GET /servers/{id} show it.

    ``full=False`` is the short body PUT /servers/{id} answers with before 2.75;
    ``server_groups``: show them (2.71+; GET and PUT of one server, not the list).
    """
    extras = extras or ServerExtras()
    visibility = visibility or Visibility()
    status = status_from_state(_field(instance, 'vm_state'), _field(instance, 'task_state'))
    server = {
        'id': instance.uuid,
        'name': _field(instance, 'display_name'),
        'status': status,
        'tenant_id': _field(instance, 'project_id') or '',
        'user_id': _field(instance, 'user_id') or '',
        'metadata': dict(_field(instance, 'metadata', {}) or {}),
        'hostId': host_id(instance),
        'image': _image(req, instance),
        'flavor': _flavor(req, instance, visibility.flavor_extra_specs),
        'created': isotime(_field(instance, 'created_at')),
        # Never changed since creation: last updated when created.
        'updated': isotime(_field(instance, 'updated_at') or _field(instance, 'created_at')),
        'addresses': _addresses(instance, extended=full),
        'accessIPv4': _access_ip(_field(instance, 'access_ip_v4')),
        'accessIPv6': _access_ip(_field(instance, 'access_ip_v6')),
        'links': links(req, instance.uuid),
        'OS-DCF:diskConfig': 'AUTO' if _field(instance, 'auto_disk_config') else 'MANUAL',
    }
    if status in FAULT_STATUSES:
        fault = _fault(req, instance)
        if fault:
            server['fault'] = fault
    if status in PROGRESS_STATUSES:
        server['progress'] = _field(instance, 'progress') or 0

    if full:
        server['OS-EXT-AZ:availability_zone'] = _field(instance, 'availability_zone') or ''
        server['config_drive'] = _field(instance, 'config_drive')
        server['key_name'] = _field(instance, 'key_name')
        server['OS-SRV-USG:launched_at'] = _usage_time(_field(instance, 'launched_at'))
        server['OS-SRV-USG:terminated_at'] = _usage_time(_field(instance, 'terminated_at'))
        server['security_groups'] = [{'name': name} for name in extras.security_groups]
        if visibility.extended_attributes:
            _add_extended_attributes(req, server, instance)
        for state in ('task_state', 'vm_state', 'power_state'):
            server['OS-EXT-STS:%s' % state] = _field(instance, state)
        with_delete_flag = _supported(req, '2.3')
        server['os-extended-volumes:volumes_attached'] = [
            dict({'id': volume_id},
                 **({'delete_on_termination': bool(delete)} if with_delete_flag else {}))
            for volume_id, delete in extras.volumes]
        if _supported(req, '2.16') and extras.host_status is not None:
            server['host_status'] = extras.host_status

    _add_versioned_fields(req, server, instance, extras, visibility)
    if server_groups and _supported(req, '2.71'):
        server['server_groups'] = list(extras.server_groups)
    return server


def _add_extended_attributes(req, server, instance):
    server['OS-EXT-SRV-ATTR:host'] = _field(instance, 'host')
    server['OS-EXT-SRV-ATTR:instance_name'] = instance.name
    server['OS-EXT-SRV-ATTR:hypervisor_hostname'] = _field(instance, 'node')
    if _supported(req, '2.3'):
        for name in ('reservation_id', 'launch_index', 'hostname', 'kernel_id',
                     'ramdisk_id', 'root_device_name', 'user_data'):
            server['OS-EXT-SRV-ATTR:%s' % name] = _field(instance, name)


def _add_versioned_fields(req, server, instance, extras, visibility):
    if _supported(req, '2.9'):
        server['locked'] = bool(_field(instance, 'locked'))
    if _supported(req, '2.73'):
        server['locked_reason'] = (_field(instance, 'system_metadata', {}) or {}).get(
            'locked_reason')
    if _supported(req, '2.19'):
        server['description'] = _field(instance, 'display_description')
    if _supported(req, '2.26'):
        server['tags'] = list(extras.tags)
    if _supported(req, '2.63'):
        server['trusted_image_certificates'] = None  # trusted certificates are refused
    if _supported(req, '2.90') and not visibility.extended_attributes:
        server['OS-EXT-SRV-ATTR:hostname'] = _field(instance, 'hostname')
    if _supported(req, '2.96'):
        server['pinned_availability_zone'] = extras.pinned_availability_zone
    if _supported(req, '2.100'):
        server['scheduler_hints'] = {
            key: value[0] if isinstance(value, list) and len(value) == 1 else value
            for key, value in (extras.scheduler_hints or {}).items()}


def show(req, instance, extras=None, visibility=None, full=True):
    """``{"server": ...}`` for GET and PUT of one server."""
    return {'server': detail(req, instance, extras, visibility, full, server_groups=True)}


def _with_links(req, servers, instances, collection_path):
    result = {'servers': servers}
    next_links = collection_links.next_links(req, list(instances), collection_path,
                                             lambda instance: instance.uuid)
    if next_links:
        result['servers_links'] = next_links
    return result


def index(req, instances):
    return _with_links(req, [summary(req, instance) for instance in instances], instances,
                       COLLECTION)


def detail_list(req, instances, extras_by_uuid=None, visibility=None):
    extras_by_uuid = extras_by_uuid or {}
    servers = [detail(req, instance, extras_by_uuid.get(instance.uuid), visibility)
               for instance in instances]
    return _with_links(req, servers, instances, COLLECTION + '/detail')


def created(req, instance, admin_password=None, security_groups=None):
    """The 202 body of POST /servers for one server."""
    server = {'id': instance.uuid, 'links': links(req, instance.uuid),
              'OS-DCF:diskConfig': 'AUTO' if _field(instance, 'auto_disk_config')
              else 'MANUAL',
              'security_groups': [{'name': name}
                                  for name in (security_groups or ['default'])]}
    if admin_password is not None:
        server['adminPass'] = admin_password
    return {'server': server}
