"""/os-quota-sets: a project's (or one of its users', with ``user_id``) quota limits,
the defaults, the limits with usage (detail), updating and reverting them.

Microversion 2.36 drops the network quotas (floating_ips, fixed_ips, security_groups,
security_group_rules) and 2.57 the file injection ones. An update below what is already
used is refused unless ``force`` is true; a user's limit may not exceed the project's.
"""

import webob

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import quota_sets as schemas
from nova.compute import quota
from nova.i18n import _
from nova.objects import quotas as quotas_obj
from nova.policy import authorize

RULE = 'os_compute_api:os-quota-sets:%s'


def shown_resources(req, network_max='2.35'):
    """The resources a response shows at the request's microversion."""
    hidden = set()
    if not api_version_request.is_supported(req, '2.1', network_max):
        hidden.update(quota.NETWORK_RESOURCES)
    if api_version_request.is_supported(req, '2.57'):
        hidden.update(quota.FILE_RESOURCES)
    return [r for r in quota.ALL_RESOURCES if r not in hidden]


def _user_id(req):
    values = req.GET.getall('user_id')
    return values[-1] if values else None


def _as_bool(value):
    if isinstance(value, bool):
        return value
    return str(value).lower() in ('true', '1', 'on', 'yes')


def _inf(value):
    return float('inf') if value == -1 else value


class QuotaSetsController:

    def _view(self, req, limits, project_id=None):
        body = {name: limits[name] for name in shown_resources(req)}
        if project_id is not None:
            body['id'] = project_id
        return {'quota_set': body}

    @staticmethod
    def _limits(context, project_id, user_id):
        if user_id:
            return quota.user_limits(context, project_id, user_id)
        return quota.project_limits(context, project_id)

    @wsgi.expected_errors(400)
    @validation.query_schema(schemas.query, '2.1', '2.74')
    @validation.query_schema(schemas.query_v275, '2.75')
    def show(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'show', target={'project_id': id})
        return self._view(req, self._limits(context, id, _user_id(req)), id)

    @wsgi.expected_errors(400)
    @validation.query_schema(schemas.query, '2.1', '2.74')
    @validation.query_schema(schemas.query_v275, '2.75')
    def detail(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'detail', target={'project_id': id})
        user_id = _user_id(req)
        limits = self._limits(context, id, user_id)
        used = quota.usage(context, id, user_id)
        body = {name: {'limit': limits[name], 'in_use': used.get(name, 0), 'reserved': 0}
                for name in shown_resources(req)}
        body['id'] = id
        return {'quota_set': body}

    @wsgi.expected_errors(())
    def defaults(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'defaults', target={'project_id': id})
        return self._view(req, quota.default_limits(context), id)

    @wsgi.expected_errors(400)
    @validation.schema(schemas.update, '2.1', '2.35')
    @validation.schema(schemas.update_v236, '2.36', '2.56')
    @validation.schema(schemas.update_v257, '2.57')
    @validation.query_schema(schemas.query, '2.1', '2.74')
    @validation.query_schema(schemas.query_v275, '2.75')
    def update(self, req, id, body):
        context = req.environ['nova.context']
        authorize(context, RULE % 'update', target={'project_id': id})
        user_id = _user_id(req)
        wanted = dict(body['quota_set'])
        force = _as_bool(wanted.pop('force', False))
        wanted = {name: int(value) for name, value in wanted.items()}
        if not force:
            self._check_bounds(context, id, user_id, wanted)
        for resource, limit in wanted.items():
            self._store(context, id, resource, limit, user_id)
        return {'quota_set': self._view(req, self._limits(context, id, user_id))['quota_set']}

    @staticmethod
    def _check_bounds(context, project_id, user_id, wanted):
        """Not below what is in use; a user's limit not above the project's."""
        used = quota.usage(context, project_id, user_id)
        maximum = quota.project_limits(context, project_id) if user_id else {}
        for resource, limit in sorted(wanted.items()):
            minimum = used.get(resource, 0)
            if _inf(limit) < _inf(minimum):
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Quota limit %(limit)s for %(resource)s must be greater than or equal '
                    'to already used and reserved %(minimum)s.')
                    % {'limit': limit, 'resource': resource, 'minimum': minimum})
            if resource in maximum and _inf(limit) > _inf(maximum[resource]):
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Quota limit %(limit)s for %(resource)s must be less than or equal to '
                    '%(maximum)s.')
                    % {'limit': limit, 'resource': resource,
                       'maximum': maximum[resource]})

    @staticmethod
    def _store(context, project_id, resource, limit, user_id):
        try:
            quotas_obj.Quotas.update_limit(context, project_id, resource, limit,
                                           user_id=user_id)
        except exception.QuotaNotFound:
            quotas_obj.Quotas.create_limit(context, project_id, resource, limit,
                                           user_id=user_id)

    @wsgi.response(202)
    @wsgi.expected_errors(())
    @validation.query_schema(schemas.query, '2.1', '2.74')
    @validation.query_schema(schemas.query_v275, '2.75')
    def delete(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'delete', target={'project_id': id})
        user_id = _user_id(req)
        if user_id:
            quotas_obj.Quotas.destroy_all_by_project_and_user(context, id, user_id)
        else:
            quotas_obj.Quotas.destroy_all_by_project(context, id)
