"""Request schemas of the shelve, shelveOffload and unshelve server actions.

unshelve takes nothing before 2.77 (any value is ignored), an availability_zone from
2.77, and from 2.91 a host and an availability_zone that may be null (unpin)."""

shelve = {
    'type': 'object',
    'properties': {'shelve': {}},
    'required': ['shelve'],
    'additionalProperties': False,
}

shelve_offload = {
    'type': 'object',
    'properties': {'shelveOffload': {}},
    'required': ['shelveOffload'],
    'additionalProperties': False,
}

unshelve = {
    'type': 'object',
    'properties': {'unshelve': {}},
    'required': ['unshelve'],
    'additionalProperties': False,
}

_zone = {'type': 'string', 'minLength': 1, 'maxLength': 255}

unshelve_v277 = {
    'type': 'object',
    'properties': {
        'unshelve': {
            'type': ['object', 'null'],
            'properties': {'availability_zone': _zone},
            'additionalProperties': False,
        },
    },
    'required': ['unshelve'],
    'additionalProperties': False,
}

unshelve_v291 = {
    'type': 'object',
    'properties': {
        'unshelve': {
            'type': ['object', 'null'],
            'properties': {
                'availability_zone': {'oneOf': [_zone, {'type': 'null'}]},
                'host': {'type': 'string', 'minLength': 1, 'maxLength': 255},
            },
            'additionalProperties': False,
        },
    },
    'required': ['unshelve'],
    'additionalProperties': False,
}
