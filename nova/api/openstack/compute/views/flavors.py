"""The flavor bodies of every microversion, with their self, bookmark and next links.

- 2.1: id, name, links (list); plus ram, disk, swap ("" when 0), vcpus,
  OS-FLV-EXT-DATA:ephemeral, OS-FLV-DISABLED:disabled, os-flavor-access:is_public and
  rxtx_factor (detail).
- 2.55: description (list and detail).
- 2.61: extra_specs (detail), when the caller may read them.
- 2.75: swap is 0, not "", when there is none.
"""

from urllib import parse

from nova.api.openstack import api_version_request
from nova.api.openstack import common
import nova.conf

CONF = nova.conf.CONF

DESCRIPTION_MIN_VERSION = '2.55'
EXTRA_SPECS_MIN_VERSION = '2.61'
SWAP_ZERO_MIN_VERSION = '2.75'

COLLECTION = 'flavors'


def shows_description(req):
    return api_version_request.is_supported(req, DESCRIPTION_MIN_VERSION)


def _project_segment(req):
    """'/<project_id>' when the request URL names the caller's project, else ''."""
    context = req.environ.get('nova.context')
    project_id = getattr(context, 'project_id', None)
    if project_id and (req.path_info == '/' + project_id or
                       req.path_info.startswith('/%s/' % project_id)):
        return '/' + project_id
    return ''


def _links(req, flavorid):
    path = '%s/%s/%s' % (_project_segment(req), COLLECTION, parse.quote(flavorid, safe=''))
    return [
        {'rel': 'self', 'href': common.compute_link(req.application_url + path)},
        {'rel': 'bookmark', 'href': common.compute_link(common.api_root_url(req) + path)},
    ]


def _next_link(req, collection, marker):
    params = dict(sorted(req.GET.items()))
    params['marker'] = marker
    url = common.compute_link('%s%s/%s' % (req.application_url, _project_segment(req),
                                           collection))
    return {'rel': 'next', 'href': '%s?%s' % (url, parse.urlencode(params))}


def summary(req, flavor, include_description=False):
    """A flavor as GET /flavors lists it."""
    body = {'id': flavor.flavorid, 'name': flavor.name, 'links': _links(req, flavor.flavorid)}
    if include_description:
        body['description'] = flavor.description
    return body


def detail(req, flavor, include_description=False, include_extra_specs=False):
    """A flavor as GET /flavors/detail and GET /flavors/{id} show it."""
    swap_if_none = 0 if api_version_request.is_supported(req, SWAP_ZERO_MIN_VERSION) else ''
    body = {
        'id': flavor.flavorid,
        'name': flavor.name,
        'ram': flavor.memory_mb,
        'disk': flavor.root_gb,
        'swap': flavor.swap or swap_if_none,
        'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeral_gb,
        'OS-FLV-DISABLED:disabled': flavor.disabled,
        'vcpus': flavor.vcpus,
        'os-flavor-access:is_public': flavor.is_public,
        'rxtx_factor': flavor.rxtx_factor or '',
        'links': _links(req, flavor.flavorid),
    }
    if include_description:
        body['description'] = flavor.description
    if include_extra_specs:
        body['extra_specs'] = dict(flavor.extra_specs)
    return body


def show(req, flavor, include_extra_specs=False):
    """``{"flavor": {...}}`` for show, create and update."""
    return {'flavor': detail(req, flavor, shows_description(req), include_extra_specs)}


def _collection(req, flavors, body_of, collection):
    result = {'flavors': [body_of(flavor) for flavor in flavors]}
    # A full page (of the limit asked for, capped by max_limit) may have a next one.
    page_size = min(int(req.GET.get('limit', CONF.api.max_limit)), CONF.api.max_limit)
    if page_size and len(flavors) == page_size:
        result['flavors_links'] = [_next_link(req, collection, flavors[-1].flavorid)]
    return result


def index(req, flavors):
    include_description = shows_description(req)
    return _collection(req, flavors, lambda f: summary(req, f, include_description),
                       COLLECTION)


def detail_list(req, flavors, include_extra_specs=False):
    include_description = shows_description(req)
    return _collection(
        req, flavors, lambda f: detail(req, f, include_description, include_extra_specs),
        COLLECTION + '/detail')
