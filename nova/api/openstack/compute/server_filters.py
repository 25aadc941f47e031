"""The query string of GET /servers and /servers/detail, as the compute API takes it.

``parse(req, context, is_detail)`` answers a ListQuery (instance filters in the vocabulary
of nova.db.main.instance_filters, sort keys and directions, limit and marker) or raises the
400/403 upstream answers. Administrators filter by every documented parameter; other users
by the documented subset of their microversion, anything else being ignored, as upstream
does. The query schemas (schemas/servers.py) have already checked the shapes: what is left
here is meaning.
"""

import dataclasses
import datetime
import re

from oslo_utils import strutils
from oslo_utils import timeutils
import webob.exc

from nova import exception
from nova.api.openstack import api_version_request
from nova.api.openstack.compute.schemas import servers as schemas
from nova.api.openstack.compute.views import servers as views
import nova.conf
from nova.i18n import _
from nova.objects import flavor as flavor_obj
from nova.policy import authorize

CONF = nova.conf.CONF

RULE = 'os_compute_api:servers:%s'
TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
PAGING_AND_SORTING = ('limit', 'marker', 'sort_key', 'sort_dir')
ADMIN_SORT_KEYS = ('host', 'node')

# What non-admins may filter by, and from which microversion.
USER_FILTERS = (
    ('2.1', ('reservation_id', 'name', 'status', 'image', 'flavor', 'ip', 'changes-since',
             'all_tenants')),
    ('2.5', ('ip6',)),
    ('2.26', TAG_FILTERS),
    ('2.66', ('changes-before',)),
    ('2.73', ('locked',)),
    ('2.83', ('availability_zone', 'config_drive', 'key_name', 'created_at', 'launched_at',
              'terminated_at', 'power_state', 'task_state', 'vm_state', 'progress',
              'user_id')),
)

# API name -> column searched with the value as a regular expression.
_REGEX_FILTERS = {
    'hostname': 'hostname', 'node': 'node', 'key_name': 'key_name',
    'availability_zone': 'availability_zone', 'reservation_id': 'reservation_id',
    'kernel_id': 'kernel_id', 'ramdisk_id': 'ramdisk_id',
    'root_device_name': 'root_device_name', 'locked_by': 'locked_by',
    'access_ip_v4': 'access_ip_v4', 'access_ip_v6': 'access_ip_v6',
    'description': 'display_description', 'display_description': 'display_description',
}
_INTEGER_FILTERS = ('power_state', 'progress', 'launch_index')
_EXACT_FILTERS = ('uuid', 'user_id', 'host')
_TIME_FILTERS = ('created_at', 'launched_at', 'terminated_at')
_ADDRESS_FILTERS = ('ip', 'ip6')

# How long an ISO 8601 time stands for, from how precisely it is written: a day, a minute,
# a second, or (with a fraction) the instant itself.
_DATE_ONLY = re.compile(r'^\d{4}-\d{2}-\d{2}$')
_TO_THE_MINUTE = re.compile(r'^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})?$')
_FRACTION = re.compile(r'[T ]\d{2}:\d{2}:\d{2}[.,]\d+')


@dataclasses.dataclass
class ListQuery:
    filters: dict = None       # None: nothing can match (no need to ask the database)
    limit: int = None
    marker: str = None
    sort_keys: list = None
    sort_dirs: list = None


def _supported(req, version):
    return api_version_request.is_supported(req, version)


def _bad_filter(key):
    return webob.exc.HTTPBadRequest(explanation=_('Invalid filter field: %s.') % key)


def _strict_bool(value):
    """upstream's parse of all_tenants and locked: a 400 naming the accepted values."""
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as exc:
        raise exception.InvalidInput(reason=str(exc))


def allowed_filters(req, context):
    """The filters this caller may use at this microversion (None: all of them)."""
    if context.is_admin:
        return None
    allowed = set()
    for version, names in USER_FILTERS:
        if _supported(req, version):
            allowed.update(names)
    return allowed


def _options(req, context):
    """{parameter: last value} of what this caller may filter by."""
    allowed = allowed_filters(req, context)
    opts = {}
    for key in req.GET.keys():
        if key in PAGING_AND_SORTING or (allowed is not None and key not in allowed):
            continue
        opts[key] = req.GET.getall(key)[-1]
    for key in opts:
        if key in schemas.JOINED_TABLE_FILTERS or key.startswith('_'):
            raise _bad_filter(key)
    return opts


def _states(value):
    """vm_state/task_state values as stored: lower case, 'soft_deleted' -> 'soft-delete'."""
    state = value.strip().lower()
    return 'soft-delete' if state == 'soft_deleted' else state


def _time_window(key, value):
    """[start, end) that a time written as ``value`` stands for (naive UTC)."""
    text = value.strip()
    try:
        start = timeutils.normalize_time(timeutils.parse_isotime(text))
    except ValueError:
        raise _bad_filter(key)
    if _DATE_ONLY.match(text):
        span = datetime.timedelta(days=1)
    elif _TO_THE_MINUTE.match(text):
        span = datetime.timedelta(minutes=1)
    elif _FRACTION.search(text):
        span = datetime.timedelta(microseconds=1)
    else:
        span = datetime.timedelta(seconds=1)
    return [start, start + span]


def _status_filters(req, context, filters):
    """vm_state (and task_state) for ?status=...; False when nothing can match."""
    vm_states, task_states = views.states_from_status(req.GET.getall('status'))
    if not vm_states:
        if _supported(req, '2.38'):
            raise webob.exc.HTTPBadRequest(explanation=_('Invalid status value'))
        return False
    filters['vm_state'] = vm_states
    if 'default' not in task_states:
        filters['task_state'] = task_states
    if 'soft-delete' in vm_states:
        filters['soft_deleted'] = True
    if vm_states == ['deleted']:
        if not context.is_admin:
            raise webob.exc.HTTPForbidden(
                explanation=_('Only administrators may list deleted instances'))
        filters['deleted'] = True
    return True


def _changes_window(opts, filters):
    for key in ('changes-since', 'changes-before'):
        if key in opts:
            try:
                filters[key] = timeutils.normalize_time(timeutils.parse_isotime(opts[key]))
            except ValueError:
                raise _bad_filter(key)
    if filters.get('changes-before') and filters.get('changes-since') and \
            filters['changes-before'] < filters['changes-since']:
        raise webob.exc.HTTPBadRequest(explanation=_(
            'The value of changes-since must be less than or equal to changes-before.'))


def _deleted_filters(opts, filters):
    """Deleted servers only when asked (deleted=true), or within a changes-* window
    (which shows recent deletions too)."""
    if 'deleted' in filters:
        return
    if 'deleted' in opts:
        filters['deleted'] = strutils.bool_from_string(opts['deleted'], default=False)
    elif 'changes-since' in filters or 'changes-before' in filters:
        filters['deleted'] = None
    else:
        filters['deleted'] = False
    if 'soft_deleted' in opts:
        filters['soft_deleted'] = strutils.bool_from_string(opts['soft_deleted'])


def _project_scope(req, context, opts, filters, is_detail):
    all_tenants = False
    if 'all_tenants' in opts:
        # A bare ?all_tenants (no value) means yes, as upstream.
        all_tenants = _strict_bool(opts['all_tenants']) if opts['all_tenants'] else True
    if all_tenants:
        authorize(context, RULE % ('%s:get_all_tenants' % ('detail' if is_detail
                                                           else 'index')))
        filters['all_tenants'] = True
        project = opts.get('project_id', opts.get('tenant_id'))
        if project is not None:
            filters['project_id'] = project
    elif context.project_id:
        filters['project_id'] = context.project_id
    else:
        filters['user_id'] = context.user_id


def _flavor_filter(context, flavor_id, filters):
    """instance_type_id of the flavor; False when there is no such flavor."""
    try:
        flavor = flavor_obj.Flavor.get_by_flavor_id(context, flavor_id)
    except exception.FlavorNotFound:
        return False
    filters['instance_type_id'] = flavor.id
    return True


def _attribute_filters(opts, filters):
    regex = {}
    for key, column in _REGEX_FILTERS.items():
        if key in opts:
            regex[column] = opts[key]
    if 'name' in opts or 'display_name' in opts:
        filters['name'] = opts.get('name', opts.get('display_name'))
    if regex:
        filters['regex'] = regex
    for key in _EXACT_FILTERS:
        if key in opts and key not in filters:
            filters[key] = opts[key]
    if 'image' in opts or 'image_ref' in opts:
        filters['image_ref'] = opts.get('image', opts.get('image_ref'))
    for key in ('vm_state', 'task_state'):
        if key in opts and key not in filters:
            filters[key] = [_states(opts[key])]
    for key in _INTEGER_FILTERS:
        if key in opts:
            try:
                filters[key] = int(opts[key])
            except ValueError:
                raise _bad_filter(key)
    for key in _TIME_FILTERS:
        if key in opts:
            filters[key] = _time_window(key, opts[key])
    if 'config_drive' in opts:
        try:
            filters['config_drive'] = strutils.bool_from_string(opts['config_drive'],
                                                                strict=True)
        except ValueError:
            raise _bad_filter('config_drive')
    if 'auto_disk_config' in opts:
        value = opts['auto_disk_config'].strip().upper()
        if value not in ('AUTO', 'MANUAL'):
            raise _bad_filter('auto_disk_config')
        filters['auto_disk_config'] = value == 'AUTO'
    if 'locked' in opts:
        filters['locked'] = _strict_bool(opts['locked'])
    for key in _ADDRESS_FILTERS:
        if key in opts:
            filters[key] = opts[key]


def _tag_filters(req, opts, filters):
    if not _supported(req, '2.26'):
        return
    for key in TAG_FILTERS:
        if key in opts:
            filters[key] = [tag for tag in opts[key].split(',') if tag]


def sort_params(req, context):
    """(sort keys, sort directions), each complete, or (None, None) for the default.

    Keys upstream accepts but ignores are dropped with their direction; sorting by host or
    node is for administrators (403).
    """
    ignored = (schemas.IGNORED_SORT_KEYS_V273 if _supported(req, '2.73')
               else schemas.IGNORED_SORT_KEYS)
    keys = [key.strip() for key in req.GET.getall('sort_key')]
    dirs = [direction.strip() for direction in req.GET.getall('sort_dir')]
    if len(dirs) > max(len(keys), 1):
        raise exception.InvalidInput(reason=_('Sort direction size exceeds sort key size'))
    if not keys:
        return None, dirs or None
    kept_keys, kept_dirs = [], []
    for position, key in enumerate(keys):
        if key in ignored:
            continue
        if key in ADMIN_SORT_KEYS and not context.is_admin:
            raise webob.exc.HTTPForbidden(
                explanation=_('Only administrators can sort servers by %s') % key)
        kept_keys.append(key)
        kept_dirs.append(dirs[position] if position < len(dirs) else None)
    if not kept_keys:
        return None, None
    default = dirs[0] if dirs else 'desc'
    return kept_keys, [direction or default for direction in kept_dirs]


def limit_and_marker(req):
    limit = CONF.api.max_limit
    if 'limit' in req.GET:
        limit = min(int(req.GET.getall('limit')[-1]), CONF.api.max_limit)
    marker = req.GET.getall('marker')[-1] if 'marker' in req.GET else None
    return limit, marker


def parse(req, context, is_detail):
    """The ListQuery of this request (filters None when nothing can match)."""
    opts = _options(req, context)
    query = ListQuery()
    query.sort_keys, query.sort_dirs = sort_params(req, context)
    query.limit, query.marker = limit_and_marker(req)
    filters = {}
    if 'status' in opts and not _status_filters(req, context, filters):
        return query
    _changes_window(opts, filters)
    _deleted_filters(opts, filters)
    _project_scope(req, context, opts, filters, is_detail)
    _tag_filters(req, opts, filters)
    _attribute_filters(opts, filters)
    if 'flavor' in opts and not _flavor_filter(context, opts['flavor'], filters):
        return query
    query.filters = filters
    return query
