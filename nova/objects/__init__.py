"""Nova's versioned objects. ``register_all()`` imports every object module, after which
each class is reachable as ``nova.objects.<Name>`` (newest registered version)."""

import importlib

OBJECT_MODULES = (
    # main (cell) database records
    'service', 'compute_node', 'instance', 'instance_fault', 'instance_action',
    'block_device', 'security_group', 'security_group_rule', 'network', 'fixed_ip',
    'floating_ip', 'virtual_interface', 'migration', 'tag', 'task_log',
    # API database records
    'flavor', 'keypair', 'request_spec', 'build_request', 'instance_mapping',
    'host_mapping', 'cell_mapping', 'quotas', 'image', 'identity', 'instance_group',
    'aggregate',
    # several records in one call
    'host_view',
)


def register_all():
    for name in OBJECT_MODULES:
        importlib.import_module('nova.objects.' + name)
