"""/flavors: list, detail and show for everyone; create, delete and (2.55) update the
description for admins (upstream's flavor-manage).

Non-admins see public flavors and those shared with their project, never disabled ones
in lists; admins may list by ``is_public`` (true, false or none for all).
"""

from oslo_utils import strutils
import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import flavors as schemas
from nova.api.openstack.compute.views import flavors as views
import nova.conf
from nova.i18n import _
from nova.objects import flavor as flavor_obj
from nova.policy import authorize

CONF = nova.conf.CONF

MANAGE_RULE = 'os_compute_api:os-flavor-manage:%s'

# The largest value of a single-precision float column (rxtx_factor).
_SQL_SP_FLOAT_MAX = 3.40282e+38
_MAX_INT = 0x7FFFFFFF


def may_read_extra_specs(req):
    """Whether flavor bodies of this request carry extra_specs (2.61+).

    Upstream's default for os_compute_api:os-flavor-extra-specs:index lets every caller
    read them, so from 2.61 everyone does.
    """
    return api_version_request.is_supported(req, views.EXTRA_SPECS_MIN_VERSION)


def get_flavor(context, flavorid):
    """The flavor ``flavorid`` as ``context`` may see it; 404 if it may not or none exists."""
    try:
        return flavor_obj.Flavor.get_by_flavor_id(context, flavorid)
    except exception.FlavorNotFound as exc:
        raise webob.exc.HTTPNotFound(explanation=exc.format_message())


def _bad_request(message):
    return webob.exc.HTTPBadRequest(explanation=message)


def _int_param(req, name):
    try:
        return strutils.validate_integer(req.GET[name], name, min_value=0)
    except ValueError as exc:
        raise _bad_request(str(exc))


def _parse_is_public(value):
    """None (admins: all flavors) for 'none', True or False otherwise; default True."""
    if value is None:
        return True
    if value.lower() == 'none':
        return None
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise _bad_request(_('Invalid is_public filter [%s]') % value)


def _int_filter(req, param):
    value = req.GET[param]
    try:
        return int(value)
    except ValueError:
        raise _bad_request(_('Invalid %(param)s filter [%(value)s]')
                           % {'param': param, 'value': value})


class FlavorsController:

    # -- GET /flavors and /flavors/detail ------------------------------------------------

    @wsgi.expected_errors(400)
    @validation.query_schema(schemas.index_query, '2.1', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        return views.index(req, self._list(req))

    @wsgi.expected_errors(400)
    @validation.query_schema(schemas.index_query, '2.1', '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def detail(self, req):
        return views.detail_list(req, self._list(req), may_read_extra_specs(req))

    def _list(self, req):
        context = req.environ['nova.context']
        filters = {}
        if context.is_admin:
            filters['is_public'] = _parse_is_public(req.GET.get('is_public'))
        else:
            filters['is_public'] = True
            filters['disabled'] = False
        if 'minRam' in req.GET:
            filters['min_memory_mb'] = _int_filter(req, 'minRam')
        if 'minDisk' in req.GET:
            filters['min_root_gb'] = _int_filter(req, 'minDisk')
        limit = CONF.api.max_limit
        if 'limit' in req.GET:
            limit = min(limit, _int_param(req, 'limit'))
        marker = req.GET.get('marker')
        try:
            return flavor_obj.FlavorList.get_all(
                context, filters=filters, sort_key=req.GET.get('sort_key') or 'flavorid',
                sort_dir=req.GET.get('sort_dir') or 'asc', limit=limit, marker=marker)
        except exception.MarkerNotFound:
            raise _bad_request(_('marker [%s] not found') % marker)

    # -- GET /flavors/{id} ------------------------------------------------------------------

    @wsgi.expected_errors(404)
    def show(self, req, id):
        flavor = get_flavor(req.environ['nova.context'], id)
        return views.show(req, flavor, may_read_extra_specs(req))

    # -- POST /flavors (admin) -------------------------------------------------------------

    # 200 rather than 201, as upstream answers.
    @wsgi.expected_errors((400, 409))
    @validation.schema(schemas.create, '2.1', '2.54')
    @validation.schema(schemas.create_v255, views.DESCRIPTION_MIN_VERSION)
    def create(self, req, body):
        context = req.environ['nova.context']
        authorize(context, MANAGE_RULE % 'create')
        values = self._values_for_create(req, body['flavor'])
        flavor = flavor_obj.Flavor(context=context, **values)
        try:
            flavor.create()
        except (exception.FlavorExists, exception.FlavorIdExists) as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        return views.show(req, flavor, may_read_extra_specs(req))

    @staticmethod
    def _values_for_create(req, requested):
        """The Flavor fields of a create request; 400 (InvalidInput) for values the schema
        lets through but that make no flavor (e.g. "0" as a string for ram)."""
        name = requested['name'].strip()
        if not name:
            raise exception.InvalidInput(reason=_('flavor name must not be blank'))
        values = {'name': name}
        sizes = (('memory_mb', 'ram', 1, None), ('vcpus', 'vcpus', 1, None),
                 ('root_gb', 'disk', 0, None),
                 ('ephemeral_gb', 'OS-FLV-EXT-DATA:ephemeral', 0, 0),
                 ('swap', 'swap', 0, 0))
        for field, key, minimum, default in sizes:
            try:
                values[field] = strutils.validate_integer(
                    requested.get(key, default), key.split(':')[-1], minimum, _MAX_INT)
            except ValueError as exc:
                raise exception.InvalidInput(reason=str(exc))
        try:
            rxtx_factor = float(requested.get('rxtx_factor', 1.0))
            if not 0 < rxtx_factor <= _SQL_SP_FLOAT_MAX:
                raise ValueError()
        except ValueError:
            raise exception.InvalidInput(
                reason=_("'rxtx_factor' argument must be a float between 0 and %g")
                % _SQL_SP_FLOAT_MAX)
        values['rxtx_factor'] = rxtx_factor
        try:
            values['is_public'] = strutils.bool_from_string(
                requested.get('os-flavor-access:is_public', True), strict=True)
        except ValueError:
            raise exception.InvalidInput(reason=_('is_public must be a boolean'))
        # An id sent as a number is stored as its string; none (or null) gets a UUID.
        if requested.get('id') is not None:
            values['flavorid'] = str(requested['id'])
        if views.shows_description(req):
            values['description'] = requested.get('description')
        values['disabled'] = False
        return values

    # -- PUT /flavors/{id} (2.55, admin) --------------------------------------------------

    @wsgi.api_version(views.DESCRIPTION_MIN_VERSION)
    @wsgi.expected_errors((400, 404))
    @validation.schema(schemas.update_v255, views.DESCRIPTION_MIN_VERSION)
    def update(self, req, id, body):
        context = req.environ['nova.context']
        authorize(context, MANAGE_RULE % 'update')
        flavor = get_flavor(context, id)
        flavor.description = body['flavor']['description']
        try:
            flavor.save()
        except exception.FlavorNotFound as exc:  # deleted meanwhile
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        return views.show(req, flavor, may_read_extra_specs(req))

    # -- DELETE /flavors/{id} (admin) -------------------------------------------------------

    @wsgi.response(202)
    @wsgi.expected_errors(404)
    def delete(self, req, id):
        context = req.environ['nova.context']
        authorize(context, MANAGE_RULE % 'delete')
        try:
            flavor_obj.Flavor(context=context, flavorid=id).destroy()
        except exception.FlavorNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
