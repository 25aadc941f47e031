"""Helpers shared by the Compute API resources: links and URL prefixes."""

import re
from urllib import parse

import nova.conf

CONF = nova.conf.CONF

_VERSION_SEGMENT = re.compile(r'/v2(\.1)?$')


def update_link_prefix(url, prefix):
    """``url`` with its scheme and host replaced by (and its path put under) ``prefix``."""
    if not prefix:
        return url
    parts = parse.urlsplit(url)
    prefix_parts = parse.urlsplit(prefix)
    return parse.urlunsplit((prefix_parts.scheme, prefix_parts.netloc,
                             prefix_parts.path.rstrip('/') + parts.path,
                             parts.query, parts.fragment))


def compute_link(url):
    """A link to the Compute API, honouring ``[api] compute_link_prefix``."""
    return update_link_prefix(url, CONF.api.compute_link_prefix)


def api_root_url(req):
    """The URL of the API root (where ``GET /`` lists the versions), without a slash."""
    script_name = _VERSION_SEGMENT.sub('', req.script_name.rstrip('/'))
    return req.host_url + script_name
