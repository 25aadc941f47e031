"""Query schemas of /os-simple-tenant-usage."""

import copy

from nova.api.validation import parameter_types

index_query = {
    'type': 'object',
    'properties': {
        'start': parameter_types.common_query_param,
        'end': parameter_types.common_query_param,
        'detailed': parameter_types.common_query_param,
    },
    # Unknown parameters are ignored before 2.75 and refused from it.
    'additionalProperties': True,
}
# 2.40: paging by instance (limit, marker).
index_query_v240 = copy.deepcopy(index_query)
index_query_v240['properties'].update({
    'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
    'marker': parameter_types.common_query_param,
})
index_query_v275 = dict(copy.deepcopy(index_query_v240), additionalProperties=False)

show_query = copy.deepcopy(index_query)
del show_query['properties']['detailed']
show_query_v240 = copy.deepcopy(index_query_v240)
del show_query_v240['properties']['detailed']
show_query_v275 = dict(copy.deepcopy(show_query_v240), additionalProperties=False)
