"""Request schemas of /servers: create, update, the list query, and forceDelete.

Create grows with the microversion: description (2.19), device tags on networks and
block devices (2.32, gone in 2.33-2.41 by an upstream bug, back from 2.42), networks
required as a list or 'auto'/'none' (2.37), server tags (2.52), no personality (2.57),
trusted_image_certificates (2.63), volume_type (2.67), host/hypervisor_hostname (2.74),
hostname (2.90, a FQDN from 2.94).
"""

import copy

from nova.api.validation import parameter_types

# Printable text without leading or trailing white space.
_NAME_PATTERN = r'^(?!\s)[^\x00-\x1f\x7f-\x9f]*(?<!\s)$'
_PRINTABLE = r'^[^\x00-\x1f\x7f-\x9f]*$'
# base64 text (line breaks allowed, as upstream's decoder tolerates them).
_BASE64 = r'^[A-Za-z0-9+/=\s]*$'

name = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': _NAME_PATTERN}
description = {'type': ['string', 'null'], 'minLength': 0, 'maxLength': 255,
               'pattern': _PRINTABLE}
_uuid = {'type': 'string', 'format': 'uuid'}
_ipv4 = {'type': 'string', 'format': 'ipv4'}
_ipv6 = {'type': 'string', 'format': 'ipv6'}
_ip_address = {'oneOf': [_ipv4, _ipv6]}
_image_ref = {'oneOf': [_uuid, {'type': 'string', 'maxLength': 0}]}
_flavor_ref = {'type': ['string', 'integer'], 'minLength': 1}
_boolean = parameter_types.boolean
_positive_integer = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$', 'minimum': 1,
                     'minLength': 1}
_disk_config = {'type': 'string', 'enum': ['AUTO', 'MANUAL']}

# Metadata: keys of 1-255 characters from a safe set, string values of at most 255.
metadata = {
    'type': 'object',
    'patternProperties': {'^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255}},
    'additionalProperties': False,
}

MAX_TAG_LENGTH = 60
MAX_TAG_COUNT = 50
tag = {'type': 'string', 'minLength': 1, 'maxLength': MAX_TAG_LENGTH, 'pattern': '^[^,/]*$'}
# A device tag on a network or block device (2.32, 2.42+).
_device_tag = {'type': 'string', 'maxLength': 60, 'pattern': '^[^,/]*$'}

_network = {
    'type': 'object',
    'properties': {
        'fixed_ip': _ip_address,
        'port': {'oneOf': [_uuid, {'type': 'null'}]},
        'uuid': {'type': 'string'},
    },
    'additionalProperties': False,
}
_network_with_tag = copy.deepcopy(_network)
_network_with_tag['properties']['tag'] = _device_tag

_bdm_v2 = {
    'type': 'object',
    'properties': {
        'source_type': {'type': 'string', 'enum': ['volume', 'image', 'snapshot', 'blank']},
        'uuid': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                 'pattern': '^[a-zA-Z0-9._-]*$'},
        'image_id': _uuid,
        'destination_type': {'type': 'string', 'enum': ['local', 'volume']},
        'guest_format': {'type': 'string', 'maxLength': 255},
        'device_type': {'type': 'string', 'maxLength': 255},
        'disk_bus': {'type': 'string', 'maxLength': 255},
        'boot_index': {'type': ['integer', 'string', 'null'], 'pattern': '^-?[0-9]+$'},
        'device_name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                        'pattern': '^[a-zA-Z0-9._/-]*$'},
        'volume_id': _uuid,
        'snapshot_id': _uuid,
        'volume_size': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1},
        'delete_on_termination': _boolean,
        'no_device': {},
        'connection_info': {'type': 'string', 'maxLength': 16777215},
    },
    'additionalProperties': False,
}
_bdm_v2_with_tag = copy.deepcopy(_bdm_v2)
_bdm_v2_with_tag['properties']['tag'] = _device_tag
_bdm_v2_v267 = copy.deepcopy(_bdm_v2_with_tag)
_bdm_v2_v267['properties']['volume_type'] = {'type': ['string', 'null'], 'minLength': 0,
                                             'maxLength': 255}

_hints = {
    'type': 'object',
    'properties': {
        'group': _uuid,
        'different_host': {'oneOf': [_uuid, {'type': 'array', 'items': _uuid}]},
        'same_host': {'oneOf': [_uuid, {'type': 'array', 'items': _uuid}]},
        'query': {'type': ['string', 'object']},
        'target_cell': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'different_cell': {'type': ['string', 'array'], 'items': {'type': 'string'}},
        'build_near_host_ip': _ip_address,
        'cidr': {'type': 'string', 'pattern': '^/[0-9a-f.:]+$'},
    },
    # Scheduler filters define their own hints: unknown ones are passed on.
    'additionalProperties': True,
}

_personality = {
    'type': 'array',
    'items': {
        'type': 'object',
        'properties': {'path': {'type': 'string'},
                       'contents': {'type': 'string', 'pattern': _BASE64}},
        'additionalProperties': False,
    },
}

_base_server = {
    'type': 'object',
    'properties': {
        'name': name,
        'imageRef': _image_ref,
        'flavorRef': _flavor_ref,
        'adminPass': {'type': 'string'},
        'metadata': metadata,
        'networks': {'type': 'array', 'items': _network},
        'OS-DCF:diskConfig': _disk_config,
        'accessIPv4': _ipv4,
        'accessIPv6': _ipv6,
        'personality': _personality,
        'availability_zone': name,
        'block_device_mapping_v2': {'type': 'array', 'items': _bdm_v2},
        'config_drive': _boolean,
        'key_name': name,
        'min_count': _positive_integer,
        'max_count': _positive_integer,
        'return_reservation_id': _boolean,
        'security_groups': {
            'type': 'array',
            'items': {'type': 'object',
                      'properties': {'name': {'type': 'string', 'minLength': 1,
                                              'maxLength': 255}},
                      'additionalProperties': False},
        },
        'user_data': {'type': 'string', 'pattern': _BASE64, 'maxLength': 65535},
    },
    'required': ['name', 'flavorRef'],
    'additionalProperties': False,
}


def _create(server):
    return {
        'type': 'object',
        'properties': {
            'server': server,
            'os:scheduler_hints': _hints,
            'OS-SCH-HNT:scheduler_hints': _hints,
        },
        'required': ['server'],
        'additionalProperties': False,
    }


def _server_with(base, properties=(), remove=(), required=None):
    server = copy.deepcopy(base)
    server['properties'].update(dict(properties))
    for key in remove:
        server['properties'].pop(key, None)
    if required is not None:
        server['required'] = list(required)
    return server


_server_v219 = _server_with(_base_server, {'description': description})
_server_v232 = _server_with(_server_v219, {
    'networks': {'type': 'array', 'items': _network_with_tag},
    'block_device_mapping_v2': {'type': 'array', 'items': _bdm_v2_with_tag}})
_networks_v237 = {'oneOf': [{'type': 'array', 'items': _network},
                            {'type': 'string', 'enum': ['none', 'auto']}]}
_server_v237 = _server_with(_server_v219, {'networks': _networks_v237},
                            required=('name', 'flavorRef', 'networks'))
_networks_v242 = {'oneOf': [{'type': 'array', 'items': _network_with_tag},
                            {'type': 'string', 'enum': ['none', 'auto']}]}
_server_v242 = _server_with(_server_v237, {
    'networks': _networks_v242,
    'block_device_mapping_v2': {'type': 'array', 'items': _bdm_v2_with_tag}})
_server_v252 = _server_with(_server_v242, {
    'tags': {'type': 'array', 'items': tag, 'maxItems': MAX_TAG_COUNT}})
_server_v257 = _server_with(_server_v252, remove=('personality',))
_server_v263 = _server_with(_server_v257, {
    'trusted_image_certificates': {
        'type': ['array', 'null'], 'minItems': 1, 'maxItems': 50, 'uniqueItems': True,
        'items': {'type': 'string', 'minLength': 1}}})
_server_v267 = _server_with(_server_v263, {
    'block_device_mapping_v2': {'type': 'array', 'items': _bdm_v2_v267}})
_server_v274 = _server_with(_server_v267, {
    'host': parameter_types.hostname, 'hypervisor_hostname': parameter_types.fqdn})
_server_v290 = _server_with(_server_v274, {'hostname': parameter_types.hostname})
_server_v294 = _server_with(_server_v290, {'hostname': parameter_types.fqdn})

create = _create(_base_server)
create_v219 = _create(_server_v219)
create_v232 = _create(_server_v232)
create_v237 = _create(_server_v237)
create_v242 = _create(_server_v242)
create_v252 = _create(_server_v252)
create_v257 = _create(_server_v257)
create_v263 = _create(_server_v263)
create_v267 = _create(_server_v267)
create_v274 = _create(_server_v274)
create_v290 = _create(_server_v290)
create_v294 = _create(_server_v294)

# -- PUT /servers/{id} ---------------------------------------------------------------------


def _update(properties):
    return {
        'type': 'object',
        'properties': {
            'server': {
                'type': 'object',
                'properties': dict({'name': name, 'OS-DCF:diskConfig': _disk_config,
                                    'accessIPv4': _ipv4, 'accessIPv6': _ipv6},
                                   **properties),
                'additionalProperties': False,
            },
        },
        'required': ['server'],
        'additionalProperties': False,
    }


update = _update({})
update_v219 = _update({'description': description})
update_v290 = _update({'description': description, 'hostname': parameter_types.hostname})
update_v294 = _update({'description': description, 'hostname': parameter_types.fqdn})

# -- POST /servers/{id}/action {"forceDelete": null} --------------------------------------

force_delete = {
    'type': 'object',
    'properties': {'forceDelete': {}},
    'required': ['forceDelete'],
    'additionalProperties': False,
}

# -- GET /servers and /servers/detail ------------------------------------------------------

# What the list may be sorted by; the second group is accepted and ignored until 2.75, which
# refuses it.
SORT_KEYS = ['access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'availability_zone',
             'config_drive', 'created_at', 'display_description', 'display_name', 'host',
             'hostname', 'image_ref', 'instance_type_id', 'kernel_id', 'key_name',
             'launch_index', 'launched_at', 'locked_by', 'node', 'power_state', 'progress',
             'project_id', 'ramdisk_id', 'root_device_name', 'task_state', 'terminated_at',
             'updated_at', 'user_id', 'uuid', 'vm_state']
IGNORED_SORT_KEYS = ['architecture', 'cell_name', 'cleaned', 'default_ephemeral_device',
                     'default_swap_device', 'deleted', 'deleted_at', 'disable_terminate',
                     'ephemeral_gb', 'ephemeral_key_uuid', 'id', 'key_data', 'launched_on',
                     'locked', 'memory_mb', 'os_type', 'reservation_id', 'root_gb',
                     'shutdown_terminate', 'user_data', 'vcpus', 'vm_mode']
IGNORED_SORT_KEYS_V273 = [key for key in IGNORED_SORT_KEYS if key != 'locked']
# Names of the instance's child tables: refused as filters (400), not silently dropped.
JOINED_TABLE_FILTERS = ('block_device_mapping', 'services', 'metadata', 'system_metadata',
                        'info_cache', 'security_groups', 'pci_devices')

_string = parameter_types.common_query_param
_regex = parameter_types.multi_params({'type': 'string', 'format': 'regex'})
_date_time = parameter_types.multi_params({'type': 'string', 'format': 'date-time'})
# Plain values (exact matches, or parsed by the handler).
_STRING_FILTERS = (
    'user_id', 'project_id', 'tenant_id', 'launch_index', 'image_ref', 'image', 'vm_state',
    'task_state', 'host', 'uuid', 'sort_dir', 'all_tenants', 'soft_deleted', 'deleted',
    'status', 'marker',
) + JOINED_TABLE_FILTERS
# Regular expressions (a value that does not compile is refused).
_REGEX_FILTERS = (
    'kernel_id', 'ramdisk_id', 'hostname', 'key_name', 'power_state', 'node', 'flavor',
    'reservation_id', 'launched_at', 'terminated_at', 'availability_zone', 'name',
    'display_name', 'description', 'display_description', 'locked_by', 'root_device_name',
    'config_drive', 'access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'progress', 'ip',
    'ip6', 'created_at',
)


def _sort_key(keys):
    return parameter_types.multi_params({'type': 'string', 'enum': list(keys)})


index_query = {
    'type': 'object',
    'properties': dict(
        {key: _string for key in _STRING_FILTERS},
        **{key: _regex for key in _REGEX_FILTERS},
        **{
            'changes-since': _date_time,
            'sort_key': _sort_key(SORT_KEYS + IGNORED_SORT_KEYS),
            'sort_dir': parameter_types.multi_params(
                {'type': 'string', 'enum': ['asc', 'desc']}),
            'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        }),
    # Unknown parameters are dropped (ignored) until 2.75, which refuses them. Names
    # starting with '_' are kept so that the handler refuses them (internal attributes).
    'additionalProperties': True,
    'patternProperties': {'^_': _string},
}

index_query_v226 = copy.deepcopy(index_query)
for _key in ('tags', 'tags-any', 'not-tags', 'not-tags-any'):
    index_query_v226['properties'][_key] = _string

index_query_v266 = copy.deepcopy(index_query_v226)
index_query_v266['properties']['changes-before'] = _date_time

index_query_v273 = copy.deepcopy(index_query_v266)
index_query_v273['properties']['locked'] = _string
index_query_v273['properties']['sort_key'] = _sort_key(
    SORT_KEYS + ['locked'] + IGNORED_SORT_KEYS_V273)

index_query_v275 = copy.deepcopy(index_query_v273)
index_query_v275['properties']['sort_key'] = _sort_key(SORT_KEYS + ['locked'])
index_query_v275['additionalProperties'] = False

show_query = {'type': 'object', 'properties': {}, 'additionalProperties': True}
