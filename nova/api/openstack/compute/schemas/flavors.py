"""Request schemas of /flavors: the list query and the admin's create and update bodies."""

import copy

from nova.api.validation import parameter_types

# What the list may be sorted by (the columns of the flavors table).
SORT_KEYS = ['created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id',
             'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap',
             'updated_at', 'vcpu_weight', 'vcpus']

index_query = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.multi_params({'type': 'string'}),
        'is_public': parameter_types.multi_params({'type': 'string'}),
        'minRam': parameter_types.multi_params({'type': 'string'}),
        'minDisk': parameter_types.multi_params({'type': 'string'}),
        'sort_key': parameter_types.multi_params({'type': 'string', 'enum': SORT_KEYS}),
        'sort_dir': parameter_types.multi_params({'type': 'string',
                                                  'enum': ['asc', 'desc']}),
    },
    # Unknown parameters were ignored (dropped) before 2.75.
    'additionalProperties': True,
}

index_query_v275 = copy.deepcopy(index_query)
index_query_v275['additionalProperties'] = False

# Printable text: no control characters.
_PRINTABLE = r'^[^\x00-\x1f\x7f-\x9f]*$'

# A name: printable, without leading or trailing white space.
name = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^(?!\s)[^\x00-\x1f\x7f-\x9f]*(?<!\s)$',
}

# Whole numbers as integers or digit strings, within the 32-bit signed range of the columns.
_MAX_INT = 0x7FFFFFFF
_positive = {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1,
             'maximum': _MAX_INT}
_non_negative = dict(_positive, minimum=0)

# The description column is TEXT (64 KiB).
description = {
    'type': ['string', 'null'], 'minLength': 0, 'maxLength': 65535, 'pattern': _PRINTABLE,
}

create = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {
                'name': name,
                # A string in the database, though clients often send a number. Absent or
                # null: a UUID is generated.
                'id': {
                    'type': ['string', 'number', 'null'],
                    'minLength': 1, 'maxLength': 255,
                    'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$',
                },
                'ram': _positive,
                'vcpus': _positive,
                'disk': _non_negative,
                'OS-FLV-EXT-DATA:ephemeral': _non_negative,
                'swap': _non_negative,
                'rxtx_factor': {
                    'type': ['number', 'string'],
                    'pattern': r'^[0-9]+(\.[0-9]+)?$',
                    'minimum': 0, 'exclusiveMinimum': True,
                    # the largest single-precision float (the column's SQL type)
                    'maximum': 3.40282e+38,
                },
                'os-flavor-access:is_public': parameter_types.boolean,
            },
            'required': ['name', 'ram', 'vcpus', 'disk'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

# 2.55 adds the description.
create_v255 = copy.deepcopy(create)
create_v255['properties']['flavor']['properties']['description'] = description

# PUT /flavors/{id} (2.55): the description is all that may change.
update_v255 = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {'description': description},
            'required': ['description'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}
