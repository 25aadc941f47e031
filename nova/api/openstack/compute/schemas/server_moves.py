"""Request schemas of the server actions that move servers (resize, confirmResize,
revertResize, migrate, os-migrateLive, evacuate) and of /os-migrations' query string."""

import copy

from nova.api.validation import parameter_types

_flavor_ref = {'type': ['string', 'integer'], 'minLength': 1}
_disk_config = {'type': 'string', 'enum': ['AUTO', 'MANUAL']}
_admin_password = {'type': 'string'}


def _action(key, value_schema):
    return {'type': 'object', 'properties': {key: value_schema}, 'required': [key],
            'additionalProperties': False}


resize = _action('resize', {
    'type': 'object',
    'properties': {'flavorRef': _flavor_ref, 'OS-DCF:diskConfig': _disk_config},
    'required': ['flavorRef'],
    'additionalProperties': False,
})

# Clients send null (or, like tempest's for some actions, other placeholders): the value
# carries nothing, so any is taken.
confirm_resize = _action('confirmResize', {})
revert_resize = _action('revertResize', {})

# Before 2.56 the value carries nothing (clients send null or {}), so any is taken.
migrate = _action('migrate', {})
# 2.56: an optional destination host.
migrate_v256 = _action('migrate', {
    'type': ['object', 'null'],
    'properties': {'host': {'oneOf': [parameter_types.hostname, {'type': 'null'}]}},
    'additionalProperties': False,
})

_host_or_null = {'oneOf': [parameter_types.hostname, {'type': 'null'}]}

migrate_live = _action('os-migrateLive', {
    'type': 'object',
    'properties': {
        'block_migration': parameter_types.boolean,
        'disk_over_commit': parameter_types.boolean,
        'host': _host_or_null,
    },
    'required': ['block_migration', 'disk_over_commit', 'host'],
    'additionalProperties': False,
})
# 2.25: block_migration may be "auto"; disk_over_commit is gone.
migrate_live_v225 = copy.deepcopy(migrate_live)
_live = migrate_live_v225['properties']['os-migrateLive']
_live['properties']['block_migration'] = {
    'oneOf': [parameter_types.boolean, {'type': 'string', 'enum': ['auto']}]}
del _live['properties']['disk_over_commit']
_live['required'] = ['block_migration', 'host']
# 2.30: force.
migrate_live_v230 = copy.deepcopy(migrate_live_v225)
migrate_live_v230['properties']['os-migrateLive']['properties']['force'] = (
    parameter_types.boolean)
# 2.68: force is gone again.
migrate_live_v268 = copy.deepcopy(migrate_live_v225)

evacuate = _action('evacuate', {
    'type': 'object',
    'properties': {
        'host': parameter_types.hostname,
        'onSharedStorage': parameter_types.boolean,
        'adminPass': _admin_password,
    },
    'required': ['onSharedStorage'],
    'additionalProperties': False,
})
# 2.14: onSharedStorage is gone.
evacuate_v214 = copy.deepcopy(evacuate)
del evacuate_v214['properties']['evacuate']['properties']['onSharedStorage']
del evacuate_v214['properties']['evacuate']['required']
# 2.29: force.
evacuate_v229 = copy.deepcopy(evacuate_v214)
evacuate_v229['properties']['evacuate']['properties']['force'] = parameter_types.boolean
# 2.68: force is gone again.
evacuate_v268 = copy.deepcopy(evacuate_v214)


# -- GET /os-migrations ----------------------------------------------------------------------

def _one(schema):
    return {'type': 'array', 'items': schema, 'maxItems': 1}


_common = parameter_types.common_query_param

list_query = {
    'type': 'object',
    'properties': {
        'hidden': _common, 'host': _common, 'instance_uuid': _common,
        'source_compute': _common, 'status': _common, 'migration_type': _common,
    },
    'additionalProperties': True,
}

# 2.59: paging and changes-since; unknown parameters are refused.
list_query_v259 = copy.deepcopy(list_query)
list_query_v259['properties'].update({
    'limit': _one(parameter_types.non_negative_integer),
    'marker': _one({'type': 'string'}),
    'changes-since': _one({'type': 'string', 'format': 'date-time'}),
})
list_query_v259['additionalProperties'] = False

# 2.66: changes-before.
list_query_v266 = copy.deepcopy(list_query_v259)
list_query_v266['properties']['changes-before'] = _one({'type': 'string',
                                                        'format': 'date-time'})

# 2.80: user_id and project_id.
list_query_v280 = copy.deepcopy(list_query_v266)
list_query_v280['properties'].update({
    'user_id': _one({'type': 'string'}),
    'project_id': _one({'type': 'string'}),
})
