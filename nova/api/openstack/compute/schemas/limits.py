"""Request schemas of /limits."""

from nova.api.validation import parameter_types

index_query = {
    'type': 'object',
    'properties': {'tenant_id': parameter_types.common_query_param},
    # Unknown parameters are ignored before 2.75 and refused from it.
    'additionalProperties': True,
}

index_query_v275 = dict(index_query, additionalProperties=False)
