"""JSON schemas of the identity API's request bodies, as Keystone's validate them.

Resources accept attributes beyond the known ones (Keystone keeps them as "extra" and
returns them), except where Keystone's own schemas forbid them.
"""

import copy

_id_string = {'type': 'string', 'minLength': 1, 'maxLength': 64}
_name = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': r'[\S]+'}
_short_name = dict(_name, maxLength=64)
_description = {'type': ['string', 'null']}
_enabled = {'type': 'boolean'}
_tags = {'type': 'array', 'items': {'type': 'string'}}
_options = {'type': 'object'}

_ref = {  # {"id": ..} or {"name": .., "domain": {..}}
    'type': 'object',
    'properties': {'id': {'type': 'string'}, 'name': {'type': 'string'},
                   'domain': {'type': 'object',
                              'properties': {'id': {'type': 'string'},
                                             'name': {'type': 'string'}},
                              'anyOf': [{'required': ['id']}, {'required': ['name']}]}},
    'anyOf': [{'required': ['id']}, {'required': ['name']}],
}

AUTH = {
    'type': 'object',
    'properties': {
        'auth': {
            'type': 'object',
            'properties': {
                'identity': {
                    'type': 'object',
                    'properties': {
                        'methods': {'type': 'array', 'items': {'type': 'string'},
                                    'minItems': 1},
                        'password': {
                            'type': 'object',
                            'properties': {
                                'user': dict(_ref, properties=dict(
                                    _ref['properties'], password={'type': 'string'})),
                            },
                            'required': ['user'],
                        },
                        'token': {'type': 'object',
                                  'properties': {'id': {'type': 'string'}},
                                  'required': ['id']},
                        'application_credential': {
                            'type': 'object',
                            'properties': {'id': {'type': 'string'},
                                           'name': {'type': 'string'},
                                           'secret': {'type': 'string'},
                                           'user': _ref},
                            'required': ['secret'],
                            'anyOf': [{'required': ['id']}, {'required': ['name']}],
                        },
                    },
                    'required': ['methods'],
                },
                'scope': {
                    'type': ['object', 'string'],
                    'properties': {
                        'project': _ref,
                        'domain': {'type': 'object',
                                   'properties': {'id': {'type': 'string'},
                                                  'name': {'type': 'string'}},
                                   'anyOf': [{'required': ['id']}, {'required': ['name']}]},
                        'system': {'type': 'object'},
                    },
                    'maxProperties': 1,
                },
            },
            'required': ['identity'],
        },
    },
    'required': ['auth'],
}


def _body(key, properties, required=(), additional=True):
    """``{key: {..}}``: the create schema; ``update(schema)`` makes its update schema."""
    inner = {'type': 'object', 'properties': properties, 'additionalProperties': additional}
    if required:
        inner['required'] = list(required)
    return {'type': 'object', 'properties': {key: inner}, 'required': [key],
            'additionalProperties': False}


def update(schema):
    """The update form of a create schema: nothing required, at least one attribute."""
    schema = copy.deepcopy(schema)
    key = schema['required'][0]
    inner = schema['properties'][key]
    inner.pop('required', None)
    inner['minProperties'] = 1
    return schema


DOMAIN_CREATE = _body('domain', {
    'name': _short_name, 'description': _description, 'enabled': _enabled, 'tags': _tags,
    'options': _options, 'explicit_domain_id': _id_string}, ['name'])
DOMAIN_UPDATE = update(DOMAIN_CREATE)

PROJECT_CREATE = _body('project', {
    'name': _short_name, 'description': _description, 'domain_id': _id_string,
    'enabled': _enabled, 'parent_id': {'type': ['string', 'null']},
    'is_domain': {'type': 'boolean', 'enum': [False]}, 'tags': _tags,
    'options': _options}, ['name'])
PROJECT_UPDATE = update(PROJECT_CREATE)
PROJECT_UPDATE['properties']['project']['properties'].pop('domain_id')

USER_CREATE = _body('user', {
    'name': _name, 'domain_id': _id_string, 'password': {'type': ['string', 'null']},
    'enabled': _enabled, 'default_project_id': {'type': ['string', 'null']},
    'description': _description, 'email': {'type': ['string', 'null']},
    'options': _options}, ['name'])
USER_UPDATE = update(USER_CREATE)

PASSWORD_CHANGE = _body('user', {
    'password': {'type': 'string'}, 'original_password': {'type': 'string'}},
    ['password', 'original_password'], additional=False)

ROLE_CREATE = _body('role', {
    'name': _name, 'description': _description, 'domain_id': {'type': 'null'},
    'options': _options}, ['name'])
ROLE_UPDATE = update(ROLE_CREATE)

SERVICE_CREATE = _body('service', {
    'type': _name, 'name': {'type': ['string', 'null'], 'maxLength': 255},
    'description': _description, 'enabled': _enabled}, ['type'])
SERVICE_UPDATE = update(SERVICE_CREATE)

ENDPOINT_CREATE = _body('endpoint', {
    'service_id': _id_string, 'interface': {'type': 'string',
                                            'enum': ['public', 'internal', 'admin']},
    'url': {'type': 'string', 'minLength': 1, 'maxLength': 2048,
            'pattern': '^[a-zA-Z0-9+.-]+:.+'},
    'region_id': {'type': ['string', 'null'], 'maxLength': 255},
    'region': {'type': ['string', 'null'], 'maxLength': 255},
    'enabled': _enabled}, ['service_id', 'interface', 'url'], additional=False)
ENDPOINT_UPDATE = update(ENDPOINT_CREATE)

APPLICATION_CREDENTIAL_CREATE = _body('application_credential', {
    'name': _name, 'description': _description, 'secret': {'type': ['string', 'null']},
    'expires_at': {'type': ['string', 'null']},
    'roles': {'type': 'array', 'items': {
        'type': 'object',
        'properties': {'id': {'type': 'string'}, 'name': {'type': 'string'}},
        'anyOf': [{'required': ['id']}, {'required': ['name']}]}},
    'unrestricted': {'type': ['boolean', 'null']},
    'access_rules': {'type': 'array', 'maxItems': 0}}, ['name'], additional=False)

EC2_CREATE = {'type': 'object', 'properties': {'tenant_id': _id_string},
              'required': ['tenant_id']}
