"""GET /limits: absolute limits (and usage) per microversion; rate limits are gone."""

from nova.api.openstack import api_version_request

# Response field -> quota resource.
_LIMIT_FIELDS = {
    'maxImageMeta': 'metadata_items',
    'maxPersonality': 'injected_files',
    'maxPersonalitySize': 'injected_file_content_bytes',
    'maxSecurityGroupRules': 'security_group_rules',
    'maxSecurityGroups': 'security_groups',
    'maxServerMeta': 'metadata_items',
    'maxServerGroupMembers': 'server_group_members',
    'maxServerGroups': 'server_groups',
    'maxTotalCores': 'cores',
    'maxTotalFloatingIps': 'floating_ips',
    'maxTotalInstances': 'instances',
    'maxTotalKeypairs': 'key_pairs',
    'maxTotalRAMSize': 'ram',
}
_USAGE_FIELDS = {
    'totalCoresUsed': 'cores',
    'totalFloatingIpsUsed': 'floating_ips',
    'totalInstancesUsed': 'instances',
    'totalRAMUsed': 'ram',
    'totalSecurityGroupsUsed': 'security_groups',
    'totalServerGroupsUsed': 'server_groups',
}

# Fields each microversion dropped: the network quotas (2.36), image metadata (2.39),
# personality files (2.57).
_REMOVED = (
    ('2.36', ('maxSecurityGroupRules', 'maxSecurityGroups', 'maxTotalFloatingIps',
              'totalFloatingIpsUsed', 'totalSecurityGroupsUsed')),
    ('2.39', ('maxImageMeta',)),
    ('2.57', ('maxPersonality', 'maxPersonalitySize')),
)


def limits(req, quota_limits, usage):
    """``quota_limits`` and ``usage`` are {resource: number}; missing usage counts 0."""
    absolute = {field: quota_limits[resource] for field, resource in _LIMIT_FIELDS.items()}
    absolute.update((field, usage.get(resource, 0))
                    for field, resource in _USAGE_FIELDS.items())
    for version, fields in _REMOVED:
        if api_version_request.is_supported(req, version):
            for field in fields:
                del absolute[field]
    return {'limits': {'rate': [], 'absolute': absolute}}
