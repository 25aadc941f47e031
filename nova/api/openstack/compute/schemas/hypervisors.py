"""Request schemas of /os-hypervisors."""

from nova.api.validation import parameter_types

# Before 2.33 nothing is read from the query string; unknown parameters are ignored.
index_query = {'type': 'object', 'properties': {}, 'additionalProperties': True}

# 2.33 adds paging.
index_query_v233 = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.multi_params({'type': 'string'}),
    },
    'additionalProperties': True,
}


def _single(schema):
    """A query parameter given at most once."""
    return {'type': 'array', 'items': schema, 'maxItems': 1}


# 2.53: one value each; a hostname pattern and with_servers replace /search and
# /servers; unknown parameters are refused.
index_query_v253 = {
    'type': 'object',
    'properties': {
        'limit': _single(parameter_types.non_negative_integer),
        'marker': _single({'type': 'string'}),
        'hypervisor_hostname_pattern': _single(parameter_types.fqdn),
        'with_servers': _single(parameter_types.boolean),
    },
    'additionalProperties': False,
}

show_query = index_query
show_query_v253 = {
    'type': 'object',
    'properties': {'with_servers': _single(parameter_types.boolean)},
    'additionalProperties': False,
}
