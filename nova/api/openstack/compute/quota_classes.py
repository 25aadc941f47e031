"""/os-quota-class-sets/{id}: the limits of a quota class (the class 'default' sets
everyone's defaults).

Before 2.50 the network quotas are shown and server group quotas are not; 2.50 swaps them;
2.57 drops the file injection quotas.
"""

from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import quota_sets as schemas
from nova.compute import quota
from nova.objects import quotas as quotas_obj
from nova.policy import authorize

RULE = 'os_compute_api:os-quota-class-sets:%s'


def _shown(req):
    if api_version_request.is_supported(req, '2.50'):
        hidden = set(quota.NETWORK_RESOURCES)
    else:
        hidden = set(quota.SERVER_GROUP_RESOURCES)
    if api_version_request.is_supported(req, '2.57'):
        hidden.update(quota.FILE_RESOURCES)
    return [r for r in quota.ALL_RESOURCES if r not in hidden]


class QuotaClassSetsController:

    @staticmethod
    def _view(req, limits, class_name=None):
        body = {name: limits[name] for name in _shown(req)}
        if class_name is not None:
            body['id'] = class_name
        return {'quota_class_set': body}

    @wsgi.expected_errors(())
    def show(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'show', target={'quota_class': id})
        return self._view(req, quota.class_limits(context, id), id)

    @wsgi.expected_errors(400)
    @validation.schema(schemas.class_update, '2.1', '2.49')
    @validation.schema(schemas.class_update_v250, '2.50', '2.56')
    @validation.schema(schemas.class_update_v257, '2.57')
    def update(self, req, id, body):
        context = req.environ['nova.context']
        authorize(context, RULE % 'update', target={'quota_class': id})
        for resource, limit in body['quota_class_set'].items():
            quotas_obj.Quotas.update_class(context, id, resource, int(limit))
        return self._view(req, quota.class_limits(context, id))
