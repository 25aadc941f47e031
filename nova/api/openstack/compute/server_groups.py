"""/os-server-groups: groups of servers the scheduler keeps together or apart.

Before 2.64 a group has a ``policies`` list (one policy) and empty ``metadata``; from 2.64
one ``policy`` and ``rules`` (``max_server_per_host`` for anti-affinity). 2.13 shows the
project and user; 2.15 adds the soft policies. Admins list every project's groups with
``all_projects``; ``limit`` and ``offset`` page the list.
"""

import webob

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import server_groups as schemas
from nova.compute import server_groups as server_groups_api
import nova.conf
from nova.i18n import _
from nova.policy import authorize

CONF = nova.conf.CONF

RULE = 'os_compute_api:os-server-groups:%s'
POLICY_MIN_VERSION = '2.64'


def _view(req, group):
    body = {'id': group.uuid, 'name': group.name, 'members': list(group.members)}
    if api_version_request.is_supported(req, POLICY_MIN_VERSION):
        body['policy'] = group.policy
        body['rules'] = group.rules_as_given
    else:
        body['policies'] = [group.policy]
        body['metadata'] = {}
    if api_version_request.is_supported(req, '2.13'):
        body['project_id'] = group.project_id
        body['user_id'] = group.user_id
    return body


def _last(req, name):
    values = req.GET.getall(name)
    return values[-1] if values else None


class ServerGroupController:

    def __init__(self):
        self.api = server_groups_api.ServerGroupAPI()

    @wsgi.expected_errors(404)
    def show(self, req, id):
        context = req.environ['nova.context']
        group = self.api.get(context, id)
        authorize(context, RULE % 'show', target={'project_id': group.project_id})
        return {'server_group': _view(req, group)}

    @wsgi.response(204)
    @wsgi.expected_errors(404)
    def delete(self, req, id):
        context = req.environ['nova.context']
        group = self.api.get(context, id)
        authorize(context, RULE % 'delete', target={'project_id': group.project_id})
        self.api.delete(context, id)

    @wsgi.expected_errors(())
    @validation.query_schema(schemas.index_query, '2.1', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        context = req.environ['nova.context']
        authorize(context, RULE % 'index', target={'project_id': context.project_id})
        all_projects = 'all_projects' in req.GET and authorize(
            context, RULE % 'index:all_projects', target={'project_id': context.project_id},
            fatal=False)
        limit = _last(req, 'limit')
        limit = min(int(limit), CONF.api.max_limit) if limit is not None \
            else CONF.api.max_limit
        offset = int(_last(req, 'offset') or 0)
        groups = self.api.get_all(context, all_projects=all_projects, limit=limit,
                                  offset=offset)
        return {'server_groups': [_view(req, group) for group in groups]}

    @wsgi.expected_errors((400, 403, 409))
    @validation.schema(schemas.create, '2.1', '2.14')
    @validation.schema(schemas.create_v215, '2.15', '2.63')
    @validation.schema(schemas.create_v264, POLICY_MIN_VERSION)
    def create(self, req, body):
        context = req.environ['nova.context']
        authorize(context, RULE % 'create', target={'project_id': context.project_id,
                                                    'user_id': context.user_id})
        values = body['server_group']
        if api_version_request.is_supported(req, POLICY_MIN_VERSION):
            policy = values['policy']
            rules = values.get('rules') or {}
            if rules and policy != 'anti-affinity':
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Only anti-affinity policy supports rules.'))
            rules = {key: int(value) for key, value in rules.items()}
        else:
            policy, rules = values['policies'][0], {}
        try:
            group = self.api.create(context, values['name'], policy, rules)
        except exception.OverQuota as exc:
            raise webob.exc.HTTPForbidden(explanation=exc.format_message())
        return {'server_group': _view(req, group)}
