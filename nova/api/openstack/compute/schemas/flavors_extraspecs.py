"""Request schemas of /flavors/{flavor_id}/os-extra_specs."""

import copy

# Values are strings (numbers are accepted and stored as strings). In the key pattern "9-_"
# is a character range (it also admits ":;<=>?@[\\]^" and capitals), as upstream's is:
# clients rely on what it accepts.
KEY_PATTERN = '^[a-zA-Z0-9-_:. ]{1,255}$'

extra_specs = {
    'type': 'object',
    'patternProperties': {
        KEY_PATTERN: {'type': ['string', 'number'], 'maxLength': 255},
    },
    'additionalProperties': False,
}

# POST: {"extra_specs": {key: value, ...}}
create = {
    'type': 'object',
    'properties': {'extra_specs': extra_specs},
    'required': ['extra_specs'],
    'additionalProperties': False,
}

# PUT /{key}: {key: value}, exactly one
update = copy.deepcopy(extra_specs)
update.update({'minProperties': 1, 'maxProperties': 1})
