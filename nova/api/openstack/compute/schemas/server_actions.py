"""Bodies of the simple server actions (POST /servers/{id}/action), as upstream's schemas."""


def _action(key, value_schema):
    return {'type': 'object', 'properties': {key: value_schema}, 'required': [key],
            'additionalProperties': False}


_NULL = {'type': 'null'}
_ANY = {}

reboot = _action('reboot', {
    'type': 'object',
    'properties': {'type': {'type': 'string',
                            'enum': ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']}},
    'required': ['type'],
    'additionalProperties': False,
})
start = _action('os-start', _ANY)
stop = _action('os-stop', _ANY)
trigger_crash_dump = _action('trigger_crash_dump', _NULL)
pause = _action('pause', _ANY)
unpause = _action('unpause', _ANY)
suspend = _action('suspend', _ANY)
resume = _action('resume', _ANY)

lock = _action('lock', _ANY)
lock_v273 = _action('lock', {
    'type': ['object', 'null'],
    'properties': {'locked_reason': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
    'additionalProperties': False,
})
unlock = _action('unlock', _ANY)

_ADMIN_PASSWORD = {'type': 'string'}

rescue = _action('rescue', {
    'type': ['object', 'null'],
    'properties': {'adminPass': _ADMIN_PASSWORD,
                   'rescue_image_ref': {'type': 'string', 'format': 'uuid'}},
    'additionalProperties': False,
})
unrescue = _action('unrescue', _ANY)

change_password = _action('changePassword', {
    'type': 'object',
    'properties': {'adminPass': _ADMIN_PASSWORD},
    'required': ['adminPass'],
    'additionalProperties': False,
})

reset_state = _action('os-resetState', {
    'type': 'object',
    'properties': {'state': {'type': 'string', 'enum': ['active', 'error']}},
    'required': ['state'],
    'additionalProperties': False,
})
# Upstream's schemas say null; tempest.lib's client sends {}: take both.
inject_network_info = _action('injectNetworkInfo', {'type': ['null', 'object']})
reset_network = _action('resetNetwork', _ANY)

get_console_output = _action('os-getConsoleOutput', {
    'type': 'object',
    'properties': {'length': {'type': ['integer', 'string', 'null'],
                              'pattern': '^-?[0-9]+$',
                              # -1: the whole log, as if no length was given
                              'minimum': -1}},
    'additionalProperties': False,
})

restore = _action('restore', _ANY)

_IP_ADDRESS = {'type': 'string', 'oneOf': [{'format': 'ipv4'}, {'format': 'ipv6'}]}

add_floating_ip = _action('addFloatingIp', {
    'type': 'object',
    'properties': {'address': _IP_ADDRESS,
                   'fixed_address': _IP_ADDRESS},
    'required': ['address'],
    'additionalProperties': False,
})
remove_floating_ip = _action('removeFloatingIp', {
    'type': 'object',
    'properties': {'address': _IP_ADDRESS},
    'required': ['address'],
    'additionalProperties': False,
})
_SECURITY_GROUP = {
    'type': 'object',
    'properties': {'name': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
    'required': ['name'],
    'additionalProperties': False,
}
add_security_group = _action('addSecurityGroup', _SECURITY_GROUP)
remove_security_group = _action('removeSecurityGroup', _SECURITY_GROUP)
