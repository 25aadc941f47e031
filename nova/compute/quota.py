"""The quota engine: limits in force, usage counted from the records, and the checks.

Usage is counted, never tracked: instances, cores and ram from the live instances, key
pairs per user, server groups per project (and user), members per group. A limit of -1
means unlimited. A project's limits bound the whole project; a user's own limits (set with
``user_id``) bound that user's share inside it.

Other parts of compute call ``check_deltas`` before taking more (a resize's extra cores
and ram, an unshelve's instance): it raises the upstream 403 TooManyInstances
("Quota exceeded for cores: Requested 2, but already used 9 of 10 cores").
"""

from nova import exception
from nova.objects import floating_ip as floating_ip_obj
from nova.objects import instance as instance_obj
from nova.objects import instance_group as instance_group_obj
from nova.objects import keypair as keypair_obj
from nova.objects import quotas as quotas_obj
from nova.objects import security_group as security_group_obj

# nova-network's resources: shown before microversion 2.36 (2.50 for quota classes).
NETWORK_DEFAULTS = {'floating_ips': 10, 'fixed_ips': -1, 'security_groups': 10,
                    'security_group_rules': 20}
NETWORK_RESOURCES = tuple(sorted(NETWORK_DEFAULTS))
# Personality (file injection) limits: shown before microversion 2.57.
FILE_RESOURCES = ('injected_file_content_bytes', 'injected_file_path_bytes',
                  'injected_files')
SERVER_GROUP_RESOURCES = ('server_group_members', 'server_groups')
ALL_RESOURCES = tuple(sorted(set(quotas_obj.DEFAULT_QUOTA_LIMITS) | set(NETWORK_DEFAULTS)))

# Resources counted for the instances of a project (or user).
INSTANCE_RESOURCES = ('instances', 'cores', 'ram')


def default_limits(context):
    """{resource: limit} of every resource: built-in defaults, then the 'default' class."""
    limits = dict(NETWORK_DEFAULTS)
    limits.update(quotas_obj.Quotas.get_default_class(context))
    return {key: limits[key] for key in ALL_RESOURCES}


def class_limits(context, class_name):
    """A quota class's limits: the defaults overridden by what the class stores."""
    limits = default_limits(context)
    stored = quotas_obj.Quotas.get_all_class_by_name(context, class_name)
    stored.pop('class_name', None)
    limits.update({k: v for k, v in stored.items() if k in limits})
    return limits


def project_limits(context, project_id):
    """The defaults, the 'default' class, then the project's own limits (one round trip)."""
    limits = dict(NETWORK_DEFAULTS)
    limits.update(quotas_obj.Quotas.get_limits_in_force(context, project_id))
    return {key: limits[key] for key in ALL_RESOURCES}


def user_limits(context, project_id, user_id):
    """A user's limits: the project's, overridden by the user's own."""
    limits = project_limits(context, project_id)
    limits.update(user_overrides(context, project_id, user_id))
    return limits


def user_overrides(context, project_id, user_id):
    stored = quotas_obj.Quotas.get_all_by_project_and_user(context, project_id, user_id)
    return {k: v for k, v in stored.items() if k in ALL_RESOURCES}


def usage(context, project_id, user_id=None, resources=ALL_RESOURCES):
    """{resource: in use} for a project, or for one user inside it; only ``resources``
    are counted (the others read 0), so a server create counts its instances alone."""
    scope = 'user' if user_id is not None else 'project'
    wanted = set(resources)
    counts = {key: 0 for key in ALL_RESOURCES}
    if wanted & set(INSTANCE_RESOURCES):
        counts.update(instance_obj.InstanceList.get_counts(context, project_id,
                                                           user_id=user_id)[scope])
    if 'server_groups' in wanted:
        counts['server_groups'] = instance_group_obj.InstanceGroupList.get_counts(
            context, project_id, user_id=user_id)[scope]['server_groups']
    if 'key_pairs' in wanted and user_id is not None:
        counts['key_pairs'] = keypair_obj.KeyPairList.get_count_by_user(context, user_id)
    if 'floating_ips' in wanted:
        counts['floating_ips'] = len(floating_ip_obj.FloatingIPList.get_by_project(
            context, project_id))
    if 'security_groups' in wanted:
        counts['security_groups'] = len(
            security_group_obj.SecurityGroupList.get_by_project(context, project_id))
    return counts


def _over(limit, used, delta):
    return 0 <= limit < used + delta


def check_deltas(context, deltas, project_id=None, user_id=None):
    """Refuse (TooManyInstances, 403) taking ``deltas`` ({resource: more wanted}) of
    instances, cores and ram beyond the project's or the user's limits.

    project_id and user_id default to the context's.
    """
    project_id = project_id or context.project_id
    user_id = user_id or context.user_id
    deltas = {k: v for k, v in deltas.items() if v and v > 0}
    if not deltas:
        return
    scopes = [(project_limits(context, project_id),
               usage(context, project_id, resources=INSTANCE_RESOURCES))]
    overrides = user_overrides(context, project_id, user_id)
    if any(key in overrides for key in deltas):
        scopes.append((overrides, usage(context, project_id, user_id, INSTANCE_RESOURCES)))
    for limits, used in scopes:
        overs = sorted(key for key, delta in deltas.items()
                       if key in limits and _over(limits[key], used[key], delta))
        if overs:
            first = overs[0]
            raise exception.TooManyInstances(overs=', '.join(overs), req=deltas[first],
                                             used=used[first], allowed=limits[first])


class InstanceQuotaInputs:
    """A project's limits, a user's own limits and their instance usage, read in one
    conductor call: what a server create checks (allowed_instances, and the metadata
    limit in ``user_limits``). ``usage['user']`` is there when the user has instance
    limits of their own."""

    def __init__(self, context, project_id=None, user_id=None):
        self.project_id = project_id or context.project_id
        self.user_id = user_id or context.user_id
        inputs = quotas_obj.Quotas.get_instance_quota_inputs(context, self.project_id,
                                                             self.user_id)
        limits = dict(NETWORK_DEFAULTS)
        limits.update(inputs['project'])
        self.project_limits = {key: limits[key] for key in ALL_RESOURCES}
        self.user_overrides = {k: v for k, v in inputs['user'].items() if k in ALL_RESOURCES}
        self.user_limits = dict(self.project_limits, **self.user_overrides)
        self.usage = {}
        for scope, counted in inputs['usage'].items():
            self.usage[scope] = {key: 0 for key in ALL_RESOURCES}
            self.usage[scope].update(counted)


def allowed_instances(context, flavor, min_count, max_count, project_id=None,
                      user_id=None, inputs=None):
    """How many of max_count instances of ``flavor`` the quotas allow (at least
    min_count, or TooManyInstances naming what min_count would exceed). ``inputs``: an
    InstanceQuotaInputs already read for this project and user."""
    inputs = inputs or InstanceQuotaInputs(context, project_id, user_id)
    project_id, user_id = inputs.project_id, inputs.user_id
    per_instance = {'instances': 1, 'cores': flavor.vcpus, 'ram': flavor.memory_mb}
    scopes = [(inputs.project_limits, inputs.usage['project'])]
    overrides = inputs.user_overrides
    if any(key in overrides for key in per_instance):
        scopes.append((overrides, inputs.usage['user']))
    allowed = max_count
    for limits, used in scopes:
        for resource, size in per_instance.items():
            limit = limits.get(resource, -1)
            if limit >= 0 and size:
                allowed = min(allowed, max(limit - used[resource], 0) // size)
    if allowed < min_count:
        check_deltas(context, {k: v * min_count for k, v in per_instance.items()},
                     project_id, user_id)
    return max(allowed, min_count)


def check_server_groups(context, project_id=None, user_id=None, delta=1):
    """Refuse ``delta`` more server groups over quota (403, upstream's message); delta 0
    re-checks after a create."""
    project_id = project_id or context.project_id
    user_id = user_id or context.user_id
    for limits, used in ((project_limits(context, project_id), usage(context, project_id)),
                         (user_overrides(context, project_id, user_id),
                          usage(context, project_id, user_id))):
        if _over(limits.get('server_groups', -1), used['server_groups'], delta):
            raise exception.ServerGroupLimitExceeded()


def check_server_group_members(context, group, adding, project_id=None, user_id=None):
    """Refuse ``adding`` more members to ``group`` over server_group_members."""
    limit = user_limits(context, project_id or context.project_id,
                        user_id or context.user_id)['server_group_members']
    if _over(limit, len(group.members), adding):
        raise exception.ServerGroupMemberLimitExceeded()
