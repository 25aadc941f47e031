"""GET /os-migrations: the migration records (resizes, cold and live migrations,
evacuations), newest first, with upstream's filters; 2.59 pages them (limit, marker,
changes-since), 2.66 adds changes-before, 2.80 user_id and project_id. Administrators only.
"""

from oslo_utils import timeutils
import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import server_moves as schemas
from nova.api.openstack.compute.views import collection_links
from nova.api.openstack.compute.views import migrations as views
from nova.compute import api as compute_api
import nova.conf
from nova.i18n import _
from nova.policy import authorize

CONF = nova.conf.CONF
RULE = 'os_compute_api:os-migrations:index'

_FILTERS = ('host', 'status', 'instance_uuid', 'migration_type', 'source_compute')
_FILTERS_V280 = _FILTERS + ('user_id', 'project_id')


def _last(req, name):
    values = req.GET.getall(name)
    return values[-1] if values else None


class MigrationsController:

    def __init__(self):
        self.compute_api = compute_api.API()

    @wsgi.expected_errors((400, 403))
    @validation.query_schema(schemas.list_query, '2.0', '2.58')
    @validation.query_schema(schemas.list_query_v259, '2.59', '2.65')
    @validation.query_schema(schemas.list_query_v266, '2.66', '2.79')
    @validation.query_schema(schemas.list_query_v280, '2.80')
    def index(self, req):
        context = req.environ['nova.context']
        authorize(context, RULE, target={})
        paged = api_version_request.is_supported(req, '2.59')
        names = _FILTERS_V280 if api_version_request.is_supported(req, '2.80') else _FILTERS
        filters = {name: _last(req, name) for name in names
                   if _last(req, name) is not None}
        filters['hidden'] = False
        for name in ('changes-since', 'changes-before'):
            if paged and _last(req, name):
                filters[name] = timeutils.parse_isotime(_last(req, name))
        if filters.get('changes-since') and filters.get('changes-before') and \
                filters['changes-before'] < filters['changes-since']:
            raise webob.exc.HTTPBadRequest(explanation=_(
                'The value of changes-since must be less than or equal to changes-before.'))
        limit = marker = None
        if paged:
            marker = _last(req, 'marker')
            limit = min(int(_last(req, 'limit') or CONF.api.max_limit), CONF.api.max_limit)
        try:
            migrations = self.compute_api.get_migrations(context, filters, limit=limit,
                                                         marker=marker)
        except exception.MarkerNotFound as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        body = {'migrations': [views.migration(req, m) for m in migrations]}
        if paged:
            links = collection_links.next_links(req, list(migrations), 'os-migrations',
                                                lambda m: m.uuid)
            if links:
                body['migrations_links'] = links
        return body
