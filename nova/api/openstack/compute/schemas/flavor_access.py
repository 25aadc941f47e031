"""Request schemas of the flavor access actions (POST /flavors/{id}/action)."""

# A project id as the flavor projects table holds it.
_tenant = {'type': 'string', 'minLength': 1, 'maxLength': 255}


def _action(action_name):
    return {
        'type': 'object',
        'properties': {
            action_name: {
                'type': 'object',
                'properties': {'tenant': _tenant},
                'required': ['tenant'],
                'additionalProperties': False,
            },
        },
        'required': [action_name],
        'additionalProperties': False,
    }


add_tenant_access = _action('addTenantAccess')
remove_tenant_access = _action('removeTenantAccess')
