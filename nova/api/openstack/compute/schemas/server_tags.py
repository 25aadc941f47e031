"""Request schemas of /servers/{id}/tags (2.26+)."""

from nova.api.openstack.compute.schemas import servers

tag = servers.tag

# PUT /servers/{id}/tags: the whole set. Each tag is checked on its own afterwards, so the
# error can name the bad ones as upstream does.
update_all = {
    'type': 'object',
    'properties': {'tags': {'type': 'array', 'items': {'type': 'string'}}},
    'required': ['tags'],
    'additionalProperties': False,
}
