"""Query schemas of /servers/{id}/os-instance-actions."""

import copy

from nova.api.validation import parameter_types

_date_time = parameter_types.multi_params({'type': 'string', 'format': 'date-time'})

# 2.58: paging and changes-since.
list_query_v258 = {
    'type': 'object',
    'properties': {
        'limit': parameter_types.multi_params(parameter_types.non_negative_integer),
        'marker': parameter_types.common_query_param,
        'changes-since': _date_time,
    },
    'additionalProperties': False,
}

# 2.66: changes-before.
list_query_v266 = copy.deepcopy(list_query_v258)
list_query_v266['properties']['changes-before'] = _date_time
