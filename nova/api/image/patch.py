"""PATCH /v2/images/{id}: the two JSON-patch media types Glance accepts, applied to a copy.

``application/openstack-images-v2.1-json-patch``: ``[{"op": "replace", "path": "/name",
"value": "x"}]`` (RFC 6902); ``application/openstack-images-v2.0-json-patch``: the draft
form ``[{"replace": "/name", "value": "x"}]``, where "add" of an existing property is a
conflict. The whole patch is checked before anything is stored.
"""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.image import schemas
from nova.i18n import _

V21 = 'application/openstack-images-v2.1-json-patch'
V20 = 'application/openstack-images-v2.0-json-patch'
CONTENT_TYPES = (V21, V20)
OPERATIONS = ('add', 'replace', 'remove')
CORE = ('name', 'visibility', 'protected', 'os_hidden', 'owner', 'container_format',
        'disk_format', 'min_ram', 'min_disk', 'tags')


def _bad(message):
    return webob.exc.HTTPBadRequest(explanation=message)


def _decode_path(path):
    if not isinstance(path, str) or not path.startswith('/'):
        raise _bad(_('Pointer `%s` does not start with "/".') % path)
    segments = path[1:].split('/')
    if len(segments) != 1 or not segments[0]:
        raise _bad(_('Invalid JSON pointer for this resource: %s') % path)
    return segments[0].replace('~1', '/').replace('~0', '~')


def parse(body, content_type):
    """[(op, attribute, value)] from the patch document, or 400."""
    if not isinstance(body, list):
        raise _bad(_('Request body must be a JSON array of operation objects.'))
    changes = []
    for item in body:
        if not isinstance(item, dict):
            raise _bad(_('Operations must be JSON objects.'))
        if content_type == V21:
            op, path = item.get('op'), item.get('path')
            if op not in OPERATIONS:
                raise _bad(_('Unsupported operation: %s') % (op,))
        else:
            ops = [name for name in OPERATIONS if name in item]
            if len(ops) != 1:
                raise _bad(_('Operation objects must contain exactly one member named '
                             '"add", "remove", or "replace".'))
            op = ops[0]
            path = item[op]
        if op != 'remove' and 'value' not in item:
            raise _bad(_('Operation objects must contain a "value" member.'))
        changes.append((op, _decode_path(path), item.get('value')))
    return changes


def apply(image, changes, content_type):
    """(core values changed, properties, tags) after ``changes``; raises 400/403/409."""
    core = {name: image[name] for name in CORE if name != 'tags'}
    tags = list(image['tags'])
    properties = dict(image['properties'])
    for op, name, value in changes:
        if name in schemas.READ_ONLY or name == 'id':
            raise webob.exc.HTTPForbidden(explanation=_("Attribute '%s' is read-only.") % name)
        if name in schemas.RESERVED:
            raise webob.exc.HTTPForbidden(explanation=_("Attribute '%s' is reserved.") % name)
        if name in CORE:
            if op == 'remove':
                raise webob.exc.HTTPForbidden(
                    explanation=_('Property %s may not be removed.') % name)
            if op == 'add' and content_type == V20:
                raise webob.exc.HTTPConflict(explanation=_('Property %s already present.')
                                             % name)
            if name == 'tags':
                tags = value
            else:
                core[name] = value
            continue
        exists = name in properties
        if op == 'add' and exists and content_type == V20:
            raise webob.exc.HTTPConflict(explanation=_('Property %s already present.')
                                         % name)
        if op in ('replace', 'remove') and not exists:
            raise webob.exc.HTTPConflict(explanation=_('Property %s does not exist.') % name)
        if op == 'remove':
            del properties[name]
        else:
            properties[name] = value
    check(dict(properties, tags=tags, **core))
    changed = {name: value for name, value in core.items() if image[name] != value}
    return changed, properties, sorted(set(tags))


def check(document):
    """Validate a whole image document (create body or patched image): 400 if bad."""
    try:
        validation.validate(schemas.WRITABLE_IMAGE, document)
    except exception.ValidationError as exc:
        raise _bad(exc.format_message())
