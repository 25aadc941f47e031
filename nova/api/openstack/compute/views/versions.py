"""The version documents: the list at ``/``, one version at ``/v2.1/`` and the 300 choices."""

import copy

from nova.api.openstack import common


def version_href(root_url, version_id, path=None):
    segment = 'v2' if version_id == 'v2.0' else 'v2.1'
    href = '%s/%s/' % (root_url, segment)
    if path and path.strip('/'):
        href += path.strip('/')
    return common.compute_link(href)


def build_versions(versions, root_url):
    """``{"versions": [...]}``: each version with its self link, no media types."""
    summaries = []
    for version in sorted(versions.values(), key=lambda v: v['id']):
        summaries.append({
            'id': version['id'],
            'status': version['status'],
            'version': version['version'],
            'min_version': version['min_version'],
            'updated': version['updated'],
            'links': [{'rel': 'self', 'href': version_href(root_url, version['id'])}],
        })
    return {'versions': summaries}


def build_version(version, root_url):
    """``{"version": {...}}``: the full document, self link first."""
    document = copy.deepcopy(version)
    document['links'].insert(0, {'rel': 'self',
                                 'href': version_href(root_url, version['id'])})
    return {'version': document}


def build_choices(versions, root_url, path):
    """``{"choices": [...]}``: where ``path`` lives in each version."""
    choices = []
    for version in sorted(versions.values(), key=lambda v: v['id']):
        choices.append({
            'id': version['id'],
            'status': version['status'],
            'links': [{'rel': 'self', 'href': version_href(root_url, version['id'], path)}],
            'media-types': copy.deepcopy(version['media-types']),
        })
    return {'choices': choices}
