"""/os-simple-tenant-usage: what projects used over a period (start and end, default
now): hours, and vCPU, RAM and disk hours; per server with ``detailed=1`` (always for one
project). 2.40 pages by instance (limit, marker) with a next link.
"""

import datetime

import webob

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import simple_tenant_usage as schemas
from nova.api.openstack.compute.views import collection_links
from nova.compute import usage as usage_api
import nova.conf
from nova.i18n import _
from nova.policy import authorize

CONF = nova.conf.CONF

RULE = 'os_compute_api:os-simple-tenant-usage:%s'
PAGING_MIN_VERSION = '2.40'
_FORMATS = ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M:%S.%f')


def _last(req, name):
    values = req.GET.getall(name)
    return values[-1] if values else None


def _parse_time(text):
    if not text:
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise webob.exc.HTTPBadRequest(explanation=_(
        'Invalid datetime string: Datetime is in invalid format'))


def _period(req):
    start = _parse_time(_last(req, 'start'))
    stop = _parse_time(_last(req, 'end'))
    if not start < stop:
        raise webob.exc.HTTPBadRequest(explanation=_(
            'Invalid start time. The start time cannot occur after the end time.'))
    return start, stop


def _time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value is not None else None


def _shown(summary):
    body = dict(summary, start=_time(summary['start']), stop=_time(summary['stop']))
    if 'server_usages' in body:
        body['server_usages'] = [dict(u, started_at=_time(u['started_at']),
                                      ended_at=_time(u['ended_at']))
                                 for u in body['server_usages']]
    return body


def _page(req, instances):
    """The instances of the requested page (2.40+; MarkerNotFound for a bad marker)."""
    if not api_version_request.is_supported(req, PAGING_MIN_VERSION):
        return instances
    marker = _last(req, 'marker')
    if marker is not None:
        positions = [n for n, i in enumerate(instances) if i.uuid == marker]
        if not positions:
            raise exception.MarkerNotFound(marker=marker)
        instances = instances[positions[0] + 1:]
    limit = _last(req, 'limit')
    limit = min(int(limit), CONF.api.max_limit) if limit is not None else CONF.api.max_limit
    return instances[:limit]


class SimpleTenantUsageController:

    @wsgi.expected_errors(400)
    @validation.query_schema(schemas.index_query, '2.1', '2.39')
    @validation.query_schema(schemas.index_query_v240, '2.40', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        context = req.environ['nova.context']
        authorize(context, RULE % 'list', target={'project_id': context.project_id})
        start, stop = _period(req)
        detailed = _last(req, 'detailed') == '1'
        instances = _page(req, usage_api.instances_in_period(context, start, stop))
        body = {'tenant_usages': [_shown(s) for s in usage_api.tenant_usages(
            instances, start, stop, detailed)]}
        if api_version_request.is_supported(req, PAGING_MIN_VERSION):
            links = collection_links.next_links(req, instances, 'os-simple-tenant-usage',
                                                lambda i: i.uuid)
            if links:
                body['tenant_usages_links'] = links
        return body

    @wsgi.expected_errors(400)
    @validation.query_schema(schemas.show_query, '2.1', '2.39')
    @validation.query_schema(schemas.show_query_v240, '2.40', '2.74')
    @validation.query_schema(schemas.show_query_v275, '2.75')
    def show(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'show', target={'project_id': id})
        start, stop = _period(req)
        instances = _page(req, usage_api.instances_in_period(context, start, stop,
                                                             project_id=id))
        summaries = usage_api.tenant_usages(instances, start, stop, detailed=True)
        body = {'tenant_usage': _shown(summaries[0]) if summaries else {}}
        if api_version_request.is_supported(req, PAGING_MIN_VERSION):
            links = collection_links.next_links(
                req, instances, 'os-simple-tenant-usage/%s' % id, lambda i: i.uuid)
            if links:
                body['tenant_usage_links'] = links
        return body
