"""Request schemas of /os-aggregates."""

from nova.api.validation import parameter_types

# 1-255 characters without leading or trailing white space.
_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)[\s\S]*(?<!\s)$'}
# As a name, and without ':' (which separates zone, host and node in a boot request).
_zone = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)[^:]*(?<!\s)$'}


def _wrapped(key, properties, required=(), min_properties=0):
    inner = {'type': 'object', 'properties': properties, 'required': list(required),
             'additionalProperties': False}
    if min_properties:
        inner['minProperties'] = min_properties
    return {'type': 'object', 'properties': {key: inner}, 'required': [key],
            'additionalProperties': False}


create = _wrapped('aggregate', {'name': _name, 'availability_zone': _zone}, ['name'])
update = _wrapped('aggregate', {'name': _name, 'availability_zone': _zone},
                  min_properties=1)
add_host = _wrapped('add_host', {'host': parameter_types.hostname}, ['host'])
remove_host = _wrapped('remove_host', {'host': parameter_types.hostname}, ['host'])
set_metadata = _wrapped('set_metadata', {'metadata': {
    'type': 'object',
    'patternProperties': {r'^[a-zA-Z0-9-_:. ]{1,255}$': {
        'type': ['string', 'null'], 'maxLength': 255}},
    'additionalProperties': False,
}}, ['metadata'])

# 2.81: POST /os-aggregates/{id}/images
images = {
    'type': 'object',
    'properties': {'cache': {
        'type': 'array', 'minItems': 1,
        'items': {'type': 'object', 'properties': {'id': parameter_types.uuid},
                  'required': ['id'], 'additionalProperties': False}}},
    'required': ['cache'],
    'additionalProperties': False,
}
