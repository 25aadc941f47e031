"""Request schemas of POST /os-server-external-events: the event names grow with the
microversion (2.51 volume-extended, 2.76 power-update, 2.82 accelerator-request-bound,
2.93 volume-reimaged)."""


NAMES = ['network-changed', 'network-vif-plugged', 'network-vif-unplugged',
         'network-vif-deleted']


def _create(names):
    return {
        'type': 'object',
        'properties': {'events': {
            'type': 'array', 'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {
                    'server_uuid': {'type': 'string', 'format': 'uuid'},
                    'name': {'type': 'string', 'enum': list(names)},
                    'status': {'type': 'string',
                               'enum': ['failed', 'completed', 'in-progress']},
                    'tag': {'type': 'string', 'maxLength': 255},
                },
                'required': ['server_uuid', 'name'],
                'additionalProperties': False,
            },
        }},
        'required': ['events'],
        'additionalProperties': False,
    }


create = _create(NAMES)
create_v251 = _create(NAMES + ['volume-extended'])
create_v276 = _create(NAMES + ['volume-extended', 'power-update'])
create_v282 = _create(NAMES + ['volume-extended', 'power-update',
                               'accelerator-request-bound'])
create_v293 = _create(NAMES + ['volume-extended', 'power-update',
                               'accelerator-request-bound', 'volume-reimaged'])
