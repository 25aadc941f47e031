"""Request schemas of the deprecated /images proxy and its /images/{id}/metadata."""

_metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}

# POST (merge) and PUT (replace all) /images/{id}/metadata.
metadata = {
    'type': 'object',
    'properties': {'metadata': _metadata},
    'required': ['metadata'],
    'additionalProperties': False,
}

# PUT /images/{id}/metadata/{key}: exactly one item, the key of the URL.
metadata_item = {
    'type': 'object',
    'properties': {
        'meta': dict(_metadata, minProperties=1, maxProperties=1),
    },
    'required': ['meta'],
    'additionalProperties': False,
}
