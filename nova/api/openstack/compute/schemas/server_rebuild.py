"""Request schemas of the rebuild server action, by microversion: description (2.19),
key_name (2.54), user_data without personality (2.57), trusted_image_certificates (2.63),
hostname (2.90, a FQDN from 2.94)."""

import copy

from nova.api.openstack.compute.schemas import servers
from nova.api.validation import parameter_types

_rebuild = {
    'type': 'object',
    'properties': {
        'name': servers.name,
        'imageRef': parameter_types.uuid,
        'adminPass': {'type': 'string'},
        'metadata': servers.metadata,
        'preserve_ephemeral': parameter_types.boolean,
        'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
        'accessIPv4': {'type': 'string', 'format': 'ipv4'},
        'accessIPv6': {'type': 'string', 'format': 'ipv6'},
        'personality': servers._personality,
    },
    'required': ['imageRef'],
    'additionalProperties': False,
}


def _with(base, add=None, remove=()):
    rebuild = copy.deepcopy(base)
    rebuild['properties'].update(add or {})
    for name in remove:
        rebuild['properties'].pop(name)
    return rebuild


def _body(rebuild):
    return {'type': 'object', 'properties': {'rebuild': rebuild}, 'required': ['rebuild'],
            'additionalProperties': False}


_rebuild_v219 = _with(_rebuild, {'description': servers.description})
_rebuild_v254 = _with(_rebuild_v219, {'key_name': {
    'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
    'pattern': servers._NAME_PATTERN}})
_rebuild_v257 = _with(_rebuild_v254, {'user_data': {
    'type': ['string', 'null'], 'pattern': servers._BASE64, 'maxLength': 65535}},
    remove=('personality',))
_rebuild_v263 = _with(_rebuild_v257, {'trusted_image_certificates': {
    'type': ['array', 'null'], 'minItems': 1, 'maxItems': 50, 'uniqueItems': True,
    'items': {'type': 'string', 'minLength': 1}}})
_rebuild_v290 = _with(_rebuild_v263, {'hostname': parameter_types.hostname})
_rebuild_v294 = _with(_rebuild_v290, {'hostname': parameter_types.fqdn})

rebuild = _body(_rebuild)
rebuild_v219 = _body(_rebuild_v219)
rebuild_v254 = _body(_rebuild_v254)
rebuild_v257 = _body(_rebuild_v257)
rebuild_v263 = _body(_rebuild_v263)
rebuild_v290 = _body(_rebuild_v290)
rebuild_v294 = _body(_rebuild_v294)
