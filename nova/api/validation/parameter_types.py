"""JSON-schema fragments shared by the request schemas of many resources."""

_TRUE_STRINGS = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes']
_FALSE_STRINGS = ['False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']

# A boolean, or one of the strings oslo's bool_from_string understands.
boolean = {
    'type': ['boolean', 'string'],
    'enum': [True] + _TRUE_STRINGS + [False] + _FALSE_STRINGS,
}

# Host names as nova stores them: RFC 952 plus underscores, which real systems use.
hostname = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': '^[a-zA-Z0-9-._]*$',
}

# A fully qualified domain name (dots, including a trailing one, are fine).
fqdn = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': '^[a-zA-Z0-9-._]*$',
}

uuid = {'type': 'string', 'format': 'uuid'}

positive_integer = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$', 'minimum': 1,
                    'minLength': 1}

non_negative_integer = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$', 'minimum': 0,
                        'minLength': 1}


def multi_params(schema):
    """A query parameter (always a list of values) whose values match ``schema``."""
    return {'type': 'array', 'items': schema}


# A query parameter whose last value is used as a plain string.
common_query_param = multi_params({'type': 'string'})
