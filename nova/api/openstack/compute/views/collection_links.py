"""The "next page" link of a paged collection (``<collection>_links``)."""

from urllib import parse

from nova.api.openstack import common
import nova.conf

CONF = nova.conf.CONF


def next_links(req, items, collection_path, marker_of):
    """``[{'rel': 'next', 'href': ...}]`` when ``items`` filled a whole page, else [].

    The link repeats the request's query with ``marker`` set to ``marker_of(last item)``,
    under the project id when the request URL had one.
    """
    try:
        page_size = min(int(req.GET.get('limit', CONF.api.max_limit)), CONF.api.max_limit)
    except ValueError:
        page_size = CONF.api.max_limit
    if not items or len(items) != page_size:
        return []
    params = sorted((key, value) for key, value in req.GET.items() if key != 'marker')
    params.append(('marker', marker_of(items[-1])))
    project_id = req.environ.get('wsgiorg.routing_args', ({}, {}))[1].get('project_id')
    path = '/'.join(part for part in (project_id, collection_path) if part)
    url = '%s/%s' % (common.compute_link(req.application_url).rstrip('/'), path)
    return [{'rel': 'next', 'href': '%s?%s' % (url, parse.urlencode(params))}]
