"""/os-hypervisors (admin): compute nodes, their state, resources, uptime and servers.

2.28 shows cpu_info as an object; 2.33 pages the lists; 2.53 names hypervisors by uuid and
replaces /{pattern}/search and /{pattern}/servers with the hypervisor_hostname_pattern and
with_servers query parameters; 2.75 always shows servers when asked for; 2.88 drops the
resource figures (placement has them) and /statistics, and folds uptime into the details.
"""

from oslo_utils import strutils
from oslo_utils import uuidutils
import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import hypervisors as schemas
from nova.api.openstack.compute.views import collection_links
from nova.api.openstack.compute.views import hypervisors as views
from nova.compute import api as compute_api
import nova.conf
from nova.i18n import _
from nova.policy import authorize

CONF = nova.conf.CONF

RULE = 'os_compute_api:os-hypervisors:%s'

PAGING_MIN_VERSION = '2.33'
UUID_FOR_ID_MIN_VERSION = views.UUID_FOR_ID_MIN_VERSION
LAST_VERSION_WITH_RESOURCES = '2.87'
LAST_VERSION_WITH_SEARCH = '2.52'


def _not_found(hypervisor_id):
    return webob.exc.HTTPNotFound(
        explanation=_("Hypervisor with ID '%s' could not be found.") % hypervisor_id)


class HypervisorsController:

    def __init__(self):
        self.api = compute_api.HypervisorAPI()

    # -- lists -------------------------------------------------------------------------------

    @wsgi.expected_errors((400, 404))
    @validation.query_schema(schemas.index_query, '2.1', '2.32')
    @validation.query_schema(schemas.index_query_v233, PAGING_MIN_VERSION, '2.52')
    @validation.query_schema(schemas.index_query_v253, UUID_FOR_ID_MIN_VERSION)
    def index(self, req):
        authorize(req.environ['nova.context'], RULE % 'list')
        return self._list(req, detail=False)

    @wsgi.expected_errors((400, 404))
    @validation.query_schema(schemas.index_query, '2.1', '2.32')
    @validation.query_schema(schemas.index_query_v233, PAGING_MIN_VERSION, '2.52')
    @validation.query_schema(schemas.index_query_v253, UUID_FOR_ID_MIN_VERSION)
    def detail(self, req):
        authorize(req.environ['nova.context'], RULE % 'list-detail')
        return self._list(req, detail=True)

    def _list(self, req, detail):
        context = req.environ['nova.context']
        pattern, with_servers = None, False
        if views.uses_uuids(req):
            pattern = req.GET.get('hypervisor_hostname_pattern')
            with_servers = strutils.bool_from_string(req.GET.get('with_servers', False),
                                                     strict=True)
        paging = api_version_request.is_supported(req, PAGING_MIN_VERSION)
        if pattern is not None:
            if 'limit' in req.GET or req.GET.get('marker'):
                raise webob.exc.HTTPBadRequest(explanation=_(
                    'Paging over hypervisors with the hypervisor_hostname_pattern query '
                    'parameter is not supported.'))
            nodes = self._search(context, pattern)
            paging = False  # a next link would repeat the pattern and fail the check above
        elif paging:
            limit = min(int(req.GET.get('limit', CONF.api.max_limit)), CONF.api.max_limit)
            marker = req.GET.get('marker')
            try:
                nodes = self.api.compute_node_get_all(
                    context, limit=limit, marker=marker,
                    marker_field='uuid' if views.uses_uuids(req) else 'id')
            except exception.MarkerNotFound:
                raise webob.exc.HTTPBadRequest(
                    explanation=_('marker [%s] not found') % marker)
        else:
            nodes = self.api.compute_node_get_all(context)

        hypervisors = []
        for node, service in self._with_services(context, nodes):
            servers = (self.api.instance_get_all_by_host(context, node.host)
                       if with_servers else None)
            if detail:
                hypervisors.append(views.detail(req, node, service, servers, with_servers,
                                                uptime=self._uptime_for_detail(req, node)))
            else:
                hypervisors.append(views.summary(req, node, service, servers, with_servers))
        result = {'hypervisors': hypervisors}
        if paging:
            path = 'os-hypervisors/detail' if detail else 'os-hypervisors'
            links = collection_links.next_links(req, hypervisors, path, lambda h: h['id'])
            if links:
                result['hypervisors_links'] = links
        return result

    def _with_services(self, context, nodes):
        """(node, compute service) pairs; a node whose service was deleted is left out
        (its record stays until an operator cleans it up)."""
        for node in nodes:
            try:
                yield node, self.api.service_get_by_compute_host(context, node.host)
            except exception.ComputeHostNotFound:
                continue

    def _search(self, context, pattern):
        nodes = self.api.compute_node_search_by_hypervisor(context, pattern)
        if not nodes:
            raise webob.exc.HTTPNotFound(
                explanation=_("No hypervisor matching '%s' could be found.") % pattern)
        return nodes

    def _uptime_for_detail(self, req, node):
        if not api_version_request.is_supported(req, '2.88'):
            return None
        try:
            return self.api.get_host_uptime(req.environ['nova.context'], node.host)
        except (NotImplementedError, exception.ComputeServiceUnavailable,
                exception.ComputeHostNotFound):
            # Not every driver reports uptime, and a down host cannot.
            return None

    # -- one hypervisor ----------------------------------------------------------------------

    def _get_node(self, req, hypervisor_id):
        """The node named by ``hypervisor_id`` (a uuid from 2.53, an integer before) and
        its compute service."""
        context = req.environ['nova.context']
        if views.uses_uuids(req):
            if not uuidutils.is_uuid_like(hypervisor_id):
                raise webob.exc.HTTPBadRequest(explanation=_('Invalid uuid %s') % hypervisor_id)
        elif not hypervisor_id.isdigit():
            raise _not_found(hypervisor_id)
        try:
            node = self.api.compute_node_get(context, hypervisor_id)
            service = self.api.service_get_by_compute_host(context, node.host)
        except exception.ComputeHostNotFound:
            raise _not_found(hypervisor_id)
        return context, node, service

    @wsgi.expected_errors((400, 404))
    @validation.query_schema(schemas.show_query, '2.1', '2.52')
    @validation.query_schema(schemas.show_query_v253, UUID_FOR_ID_MIN_VERSION)
    def show(self, req, id):
        authorize(req.environ['nova.context'], RULE % 'show')
        context, node, service = self._get_node(req, id)
        with_servers = views.uses_uuids(req) and strutils.bool_from_string(
            req.GET.get('with_servers', False), strict=True)
        servers = self.api.instance_get_all_by_host(context, node.host) if with_servers \
            else None
        return {'hypervisor': views.detail(req, node, service, servers, with_servers,
                                           uptime=self._uptime_for_detail(req, node))}

    @wsgi.api_version('2.1', LAST_VERSION_WITH_RESOURCES)
    @wsgi.expected_errors((400, 404, 501))
    def uptime(self, req, id):
        authorize(req.environ['nova.context'], RULE % 'uptime')
        context, node, service = self._get_node(req, id)
        try:
            uptime = self.api.get_host_uptime(context, node.host)
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(
                explanation=_('The requested functionality is not supported.'))
        except exception.ComputeHostNotFound:
            raise _not_found(id)
        # ComputeServiceUnavailable: 400
        return {'hypervisor': dict(views.summary(req, node, service), uptime=uptime)}

    # -- before 2.53: search by hostname pattern, with or without servers ----------------------

    @wsgi.api_version('2.1', LAST_VERSION_WITH_SEARCH)
    @wsgi.expected_errors(404)
    def search(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'search')
        nodes = self._search(context, id)
        return {'hypervisors': [views.summary(req, node, service)
                                for node, service in self._with_services(context, nodes)]}

    @wsgi.api_version('2.1', LAST_VERSION_WITH_SEARCH)
    @wsgi.expected_errors(404)
    def servers(self, req, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'servers')
        nodes = self._search(context, id)
        return {'hypervisors': [
            views.summary(req, node, service,
                          self.api.instance_get_all_by_host(context, node.host))
            for node, service in self._with_services(context, nodes)]}

    # -- before 2.88: totals -----------------------------------------------------------------

    @wsgi.api_version('2.1', LAST_VERSION_WITH_RESOURCES)
    @wsgi.expected_errors(())
    def statistics(self, req):
        context = req.environ['nova.context']
        authorize(context, RULE % 'statistics')
        return {'hypervisor_statistics': self.api.compute_node_statistics(context)}
