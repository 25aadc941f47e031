"""Request schemas of /servers/{id}/metadata."""

import copy

from nova.api.openstack.compute.schemas import servers

# POST (merge) and PUT (replace) of the whole set.
create = {
    'type': 'object',
    'properties': {'metadata': servers.metadata},
    'required': ['metadata'],
    'additionalProperties': False,
}
update_all = create

# PUT /metadata/{key}: exactly one item, whose key is the URL's.
_one_item = copy.deepcopy(servers.metadata)
_one_item.update({'minProperties': 1, 'maxProperties': 1})
update = {
    'type': 'object',
    'properties': {'meta': _one_item},
    'required': ['meta'],
    'additionalProperties': False,
}
