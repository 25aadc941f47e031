"""Request schemas of /os-server-groups."""

import copy

from nova.api.validation import parameter_types

# 1-255 characters, no leading or trailing white space.
_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)[\s\S]*(?<!\s)$'}

_POLICIES = ['anti-affinity', 'affinity']
_POLICIES_V215 = _POLICIES + ['soft-anti-affinity', 'soft-affinity']


def _policies(choices):
    return {'type': 'array', 'items': [{'type': 'string', 'enum': choices}],
            'uniqueItems': True, 'minItems': 1, 'maxItems': 1, 'additionalItems': False}


def _create(properties, required):
    return {
        'type': 'object',
        'properties': {'server_group': {
            'type': 'object', 'properties': properties, 'required': required,
            'additionalProperties': False}},
        'required': ['server_group'],
        'additionalProperties': False,
    }


create = _create({'name': _name, 'policies': _policies(_POLICIES)}, ['name', 'policies'])
# 2.15: the soft policies.
create_v215 = _create({'name': _name, 'policies': _policies(_POLICIES_V215)},
                      ['name', 'policies'])
# 2.64: one policy (a string) and rules (max_server_per_host for anti-affinity).
create_v264 = _create({
    'name': _name,
    'policy': {'type': 'string', 'enum': _POLICIES_V215},
    'rules': {'type': 'object',
              'properties': {'max_server_per_host': parameter_types.positive_integer},
              'additionalProperties': False},
}, ['name', 'policy'])

index_query = {
    'type': 'object',
    'properties': {
        'all_projects': parameter_types.common_query_param,
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'offset': parameter_types.multi_params(parameter_types.non_negative_integer),
    },
    # Unknown parameters are ignored before 2.75 and refused from it.
    'additionalProperties': True,
}
index_query_v275 = dict(copy.deepcopy(index_query), additionalProperties=False)
