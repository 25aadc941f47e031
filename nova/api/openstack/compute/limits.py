"""GET /limits: the caller's project's absolute limits and what it uses of them.

Admins may ask about another project with ``tenant_id``. Microversions 2.36, 2.39 and 2.57
drop the network, image metadata and personality fields; rate limits are always empty.
"""

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import limits as schemas
from nova.api.openstack.compute.views import limits as views
from nova.compute import api as compute_api
from nova.objects import floating_ip as floating_ip_obj
from nova.objects import instance as instance_obj
from nova.objects import security_group as security_group_obj
from nova.policy import authorize

LIMITS_RULE = 'os_compute_api:limits'
OTHER_PROJECT_RULE = 'os_compute_api:limits:other_project'

# Defaults of the network quotas (nova-network's resources), used unless a quota class or
# the project sets them.
NETWORK_QUOTA_DEFAULTS = {'floating_ips': 10, 'security_groups': 10,
                          'security_group_rules': 20}


class LimitsController:

    @wsgi.expected_errors(())
    @validation.query_schema(schemas.index_query, '2.1', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        context = req.environ['nova.context']
        authorize(context, LIMITS_RULE)
        project_id = context.project_id
        if 'tenant_id' in req.GET:
            # As upstream: naming any project, even one's own, is an admin's request.
            project_id = req.GET.get('tenant_id')
            authorize(context, OTHER_PROJECT_RULE, target={'project_id': project_id})
        limits = dict(NETWORK_QUOTA_DEFAULTS)
        limits.update(compute_api.quota_limits(context, project_id))
        return views.limits(req, limits, self._usage(context, project_id))

    @staticmethod
    def _usage(context, project_id):
        usage = dict(instance_obj.InstanceList.get_counts(context, project_id)['project'])
        usage['floating_ips'] = len(floating_ip_obj.FloatingIPList.get_by_project(
            context, project_id))
        usage['security_groups'] = len(security_group_obj.SecurityGroupList.get_by_project(
            context, project_id))
        return usage
