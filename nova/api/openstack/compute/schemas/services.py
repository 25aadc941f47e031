"""Request schemas of /os-services."""

import copy

from nova.api.validation import parameter_types

_binary = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_disabled_reason = {'type': 'string', 'minLength': 1, 'maxLength': 255}

# PUT /os-services/{enable,disable,disable-log-reason} before 2.11.
service_update = {
    'type': 'object',
    'properties': {
        'host': parameter_types.fqdn,
        'binary': _binary,
        'disabled_reason': _disabled_reason,
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

# 2.11 adds PUT /os-services/force-down.
service_update_v211 = copy.deepcopy(service_update)
service_update_v211['properties']['forced_down'] = parameter_types.boolean

# From 2.53 the service is named by its uuid in the path; the body says what changes.
# Nothing is required here; an empty update and "enabled" with a reason are refused in code.
service_update_v253 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': _disabled_reason,
        'forced_down': parameter_types.boolean,
    },
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'host': parameter_types.common_query_param,
        'binary': parameter_types.common_query_param,
    },
    # Unknown parameters were ignored before 2.75.
    'additionalProperties': True,
}

index_query_v275 = copy.deepcopy(index_query)
index_query_v275['additionalProperties'] = False
