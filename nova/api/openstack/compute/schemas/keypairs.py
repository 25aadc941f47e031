"""Request schemas of /os-keypairs."""

import copy

from nova.api.validation import parameter_types

# Key pair names: 1-255 characters from a safe set, no leading or trailing space. 2.92
# widens the set with '@' and '.' (names such as "user@host" or "laptop.key").
_NAME_PATTERN = r'^(?! )[a-zA-Z0-9_ -]*(?<! )$'
_NAME_PATTERN_V292 = r'^(?! )[a-zA-Z0-9@._ -]*(?<! )$'

_name = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': _NAME_PATTERN}
_name_v292 = dict(_name, pattern=_NAME_PATTERN_V292)

_key_type = {'type': 'string', 'enum': ['ssh', 'x509']}


def _create(properties, required=('name',)):
    return {
        'type': 'object',
        'properties': {
            'keypair': {
                'type': 'object',
                'properties': properties,
                'required': list(required),
                'additionalProperties': False,
            },
        },
        'required': ['keypair'],
        'additionalProperties': False,
    }


# POST /os-keypairs: a name, and a public key to import (generated when absent).
create = _create({'name': _name, 'public_key': {'type': 'string'}})
# 2.2: the type of key (ssh or x509).
create_v22 = _create({'name': _name, 'type': _key_type, 'public_key': {'type': 'string'}})
# 2.10: admins may create key pairs for other users.
create_v210 = _create({'name': _name, 'type': _key_type, 'public_key': {'type': 'string'},
                       'user_id': {'type': 'string'}})
# 2.92: no more generated keys (public_key is required); wider names.
create_v292 = _create({'name': _name_v292, 'type': _key_type,
                       'public_key': {'type': 'string'}, 'user_id': {'type': 'string'}},
                      required=('name', 'public_key'))

_pagination = {
    'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
    'marker': parameter_types.multi_params({'type': 'string'}),
}

# Unknown query parameters are ignored before 2.75 and refused from it.
query = {'type': 'object', 'properties': {}, 'additionalProperties': True}
query_v210 = {
    'type': 'object',
    'properties': {'user_id': parameter_types.common_query_param},
    'additionalProperties': True,
}
index_query_v235 = copy.deepcopy(query_v210)
index_query_v235['properties'].update(_pagination)
index_query_v275 = dict(copy.deepcopy(index_query_v235), additionalProperties=False)
query_v275 = dict(copy.deepcopy(query_v210), additionalProperties=False)
