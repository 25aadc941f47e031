"""/servers/{server_id}/os-instance-actions: the audit trail of a server.

2.21 shows the actions of deleted servers too. 2.51 shows events to owners (the traceback
stays admin-only). 2.58 adds updated_at and pages the list (limit, marker,
changes-since; 2.66 changes-before). 2.62 adds each event's hostId (and host, for admins).
"""

import copy

from oslo_utils import timeutils
import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import instance_actions as schemas
from nova.api.openstack.compute.views import collection_links
from nova.api.openstack.compute.views import servers as server_views
from nova.compute import api as compute_api
import nova.conf
from nova.i18n import _
from nova.objects import instance_action as action_obj

CONF = nova.conf.CONF

RULE = 'os_compute_api:os-instance-actions:%s'
ACTION_KEYS = ('action', 'instance_uuid', 'request_id', 'user_id', 'project_id',
               'start_time', 'message')
EVENT_KEYS = ('event', 'start_time', 'finish_time', 'result')


def _supported(req, version):
    return api_version_request.is_supported(req, version)


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value is not None else None


def _updated_at(action):
    """When the action last changed: its events touch it; a new one has only started."""
    return action.updated_at or action.created_at or action.start_time


def _naive(value):
    return timeutils.normalize_time(value) if value is not None else None


class InstanceActionsController:

    def __init__(self):
        self.compute_api = compute_api.API()

    def _instance(self, req, server_id, action):
        context = req.environ['nova.context']
        lookup = context
        if _supported(req, '2.21'):
            lookup = copy.copy(context)
            lookup.read_deleted = 'yes'
        instance = servers.get_instance(self.compute_api, lookup, server_id)
        servers.authorize_owner(context, RULE % action, instance)
        return context, instance

    @staticmethod
    def _format_action(req, action):
        body = {key: getattr(action, key) for key in ACTION_KEYS}
        body['start_time'] = _time(action.start_time)
        if _supported(req, '2.58'):
            body['updated_at'] = _time(_updated_at(action))
        return body

    # -- GET /servers/{id}/os-instance-actions ---------------------------------------------

    @wsgi.expected_errors((400, 404))
    @validation.query_schema(schemas.list_query_v258, '2.58', '2.65')
    @validation.query_schema(schemas.list_query_v266, '2.66')
    def index(self, req, server_id):
        context, instance = self._instance(req, server_id, 'list')
        actions = list(action_obj.InstanceActionList.get_by_instance_uuid(context,
                                                                          instance.uuid))
        if not _supported(req, '2.58'):
            return {'instanceActions': [self._format_action(req, a) for a in actions]}
        actions = self._page(req, self._filter_by_time(req, actions))
        result = {'instanceActions': [self._format_action(req, a) for a in actions]}
        links = collection_links.next_links(
            req, actions, 'servers/%s/os-instance-actions' % server_id,
            lambda action: action.request_id)
        if links:
            result['links'] = links
        return result

    @staticmethod
    def _filter_by_time(req, actions):
        bounds = {}
        for key in ('changes-since', 'changes-before'):
            if key in req.GET:
                try:
                    bounds[key] = _naive(timeutils.parse_isotime(req.GET.getall(key)[-1]))
                except ValueError:
                    raise webob.exc.HTTPBadRequest(
                        explanation=_('Invalid filter field: %s.') % key)
        since, before = bounds.get('changes-since'), bounds.get('changes-before')
        if since and before and before < since:
            raise webob.exc.HTTPBadRequest(explanation=_(
                'The value of changes-since must be less than or equal to changes-before.'))
        return [action for action in actions
                if (since is None or _naive(_updated_at(action)) >= since)
                and (before is None or _naive(_updated_at(action)) <= before)]

    @staticmethod
    def _page(req, actions):
        """Newest first, after the action of request id ``marker``, at most ``limit``."""
        limit = CONF.api.max_limit
        if 'limit' in req.GET:
            limit = min(int(req.GET.getall('limit')[-1]), CONF.api.max_limit)
        if 'marker' in req.GET:
            marker = req.GET.getall('marker')[-1]
            positions = [i for i, action in enumerate(actions) if action.request_id == marker]
            if not positions:
                raise webob.exc.HTTPBadRequest(
                    explanation=exception.MarkerNotFound(marker=marker).format_message())
            actions = actions[positions[0] + 1:]
        return actions[:limit]

    # -- GET /servers/{id}/os-instance-actions/{request_id} --------------------------------

    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        context, instance = self._instance(req, server_id, 'show')
        action = action_obj.InstanceAction.get_by_request_id(context, instance.uuid, id)
        if action is None:
            raise webob.exc.HTTPNotFound(explanation=_('Action %s not found') % id)
        body = self._format_action(req, action)
        show_details = servers.may(context, RULE % 'events')
        show_events = show_details or _supported(req, '2.51')
        if show_events:
            project_id = action.project_id or instance.project_id
            events = action_obj.InstanceActionEventList.get_by_action(context, action.id)
            event_details = (_supported(req, '2.84')
                             and servers.may(context, RULE % 'events:details'))
            body['events'] = [self._format_event(req, event, project_id, show_details,
                                                 event_details)
                              for event in events]
        return {'instanceAction': body}

    @staticmethod
    def _format_event(req, event, project_id, show_details, event_details):
        body = {key: getattr(event, key) for key in EVENT_KEYS}
        body['start_time'] = _time(event.start_time)
        body['finish_time'] = _time(event.finish_time)
        if show_details:
            body['traceback'] = event.traceback
        if _supported(req, '2.62'):
            if show_details:
                body['host'] = event.host
            body['hostId'] = server_views.host_id_for(event.host, project_id)
        if event_details:
            body['details'] = event.details
        return body
