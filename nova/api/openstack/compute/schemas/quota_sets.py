"""Request schemas of /os-quota-sets and /os-quota-class-sets."""

import copy

from nova.api.validation import parameter_types
from nova.compute import quota

_MAX_INT = 0x7FFFFFFF

# A limit: an integer (or its string) from -1 (unlimited) up.
_limit = {'type': ['integer', 'string'], 'pattern': r'^-?[0-9]+$', 'minimum': -1,
          'maximum': _MAX_INT}


def _body(key, resources, extra=None):
    properties = {name: _limit for name in resources}
    properties.update(extra or {})
    return {
        'type': 'object',
        'properties': {key: {'type': 'object', 'properties': properties,
                             'additionalProperties': False}},
        'required': [key],
        'additionalProperties': False,
    }


_ALL = quota.ALL_RESOURCES
_V236 = tuple(r for r in _ALL if r not in quota.NETWORK_RESOURCES)
_V257 = tuple(r for r in _V236 if r not in quota.FILE_RESOURCES)
_FORCE = {'force': parameter_types.boolean}

update = _body('quota_set', _ALL, _FORCE)
# 2.36: the network quotas go (nova-network's resources).
update_v236 = _body('quota_set', _V236, _FORCE)
# 2.57: the file injection quotas go (personality is gone).
update_v257 = _body('quota_set', _V257, _FORCE)

# Quota classes take the same limits without force; networks go at 2.50 instead.
class_update = _body('quota_class_set', _ALL)
class_update_v250 = _body('quota_class_set', _V236)
class_update_v257 = _body('quota_class_set', _V257)

query = {
    'type': 'object',
    'properties': {'user_id': parameter_types.common_query_param},
    # Unknown parameters are ignored before 2.75 and refused from it.
    'additionalProperties': True,
}
query_v275 = dict(copy.deepcopy(query), additionalProperties=False)
