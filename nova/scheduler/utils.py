"""Reading a RequestSpec the way filters, weighers and the manager need it."""

import collections

# Legacy image property names and the names filters look for.
_IMAGE_PROPERTY_ALIASES = {
    'architecture': 'hw_architecture',
    'hypervisor_type': 'img_hv_type',
    'vm_mode': 'hw_vm_mode',
    'hypervisor_version_requires': 'img_hv_requested_version',
}

ServerGroup = collections.namedtuple('ServerGroup', 'policy hosts members rules')


def requested_resources(spec_obj):
    """(vcpus, memory_mb, disk_gb) one instance of the request takes on its host.

    Disk is root plus ephemeral, as the resource tracker counts it; swap lives in the
    instance's disk file budget on our drivers and is not claimed separately.
    """
    flavor = spec_obj.flavor if 'flavor' in spec_obj else None
    if flavor is None:
        return 0, 0, 0
    return flavor.vcpus, flavor.memory_mb, flavor.root_gb + flavor.ephemeral_gb


def image_properties(spec_obj):
    """The image's properties, whether nested under 'properties' (nova's image API) or at
    the top level (Glance v2), with legacy names mapped to current ones."""
    image = (spec_obj.image if 'image' in spec_obj else None) or {}
    props = dict(image)
    props.update(image.get('properties') or {})
    for legacy, current in _IMAGE_PROPERTY_ALIASES.items():
        if legacy in props and current not in props:
            props[current] = props[legacy]
    return props


def extra_specs(spec_obj):
    flavor = spec_obj.flavor if 'flavor' in spec_obj else None
    if flavor is None or 'extra_specs' not in flavor:
        return {}
    return flavor.extra_specs or {}


def server_group(spec_obj):
    """The request's server group as ServerGroup, or None.

    The spec carries the group as a dict: 'policy' (or upstream's older 'policies' list),
    'hosts' already used by members, 'members' (instance uuids) and 'rules'.
    """
    group = spec_obj.instance_group if 'instance_group' in spec_obj else None
    if not group:
        return None
    policy = group.get('policy')
    if not policy and group.get('policies'):
        policy = group['policies'][0]
    return ServerGroup(policy=policy, hosts=set(group.get('hosts') or ()),
                       members=set(group.get('members') or ()),
                       rules=dict(group.get('rules') or {}))


def tried_hosts(spec_obj):
    """{(host, node)} of earlier attempts of this request (spec_obj.retry['hosts'])."""
    retry = spec_obj.retry if 'retry' in spec_obj else None
    return {tuple(pair[:2]) for pair in (retry or {}).get('hosts') or ()}


def hint_list(spec_obj, name):
    """A scheduler hint as a list of strings (hints arrive as str or list)."""
    hints = spec_obj.scheduler_hints if 'scheduler_hints' in spec_obj else None
    value = (hints or {}).get(name)
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)
