"""Quota limits stored in the API database: per project, per user and per quota class.

Only storage and lookups live here; counting usage and refusing requests over a limit is
the quota engine's job. A limit is an integer; -1 means unlimited.
"""

from nova import exception
from nova.db.api import api as api_db
from nova.db.main import api as main_db
from nova.i18n import _
from nova.objects import base
from nova.objects import fields

# Upstream Nova's defaults; the [quota] options may override them.
DEFAULT_QUOTA_LIMITS = {
    'instances': 10,
    'cores': 20,
    'ram': 51200,
    'metadata_items': 128,
    'key_pairs': 100,
    'server_groups': 10,
    'server_group_members': 10,
    'injected_files': 5,
    'injected_file_content_bytes': 10240,
    'injected_file_path_bytes': 255,
}

# The quota class whose limits replace the defaults above for everyone.
DEFAULT_QUOTA_CLASS = 'default'

_MAX_NAME = 255


def _check_name(what, value):
    if not isinstance(value, str) or not value or len(value) > _MAX_NAME:
        raise exception.InvalidInput(
            reason=_('%(what)s must be a non-empty string of at most %(max)d characters, '
                     'not %(value)r') % {'what': what, 'max': _MAX_NAME, 'value': value})


def _check_limit(resource, limit):
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < -1:
        raise exception.InvalidInput(
            reason=_('quota limit of %(resource)s must be an integer >= -1, not %(limit)r')
            % {'resource': resource, 'limit': limit})


def _check(project_id, resource, limit, user_id=None):
    _check_name('project_id', project_id)
    _check_name('resource', resource)
    if user_id is not None:
        _check_name('user_id', user_id)
    _check_limit(resource, limit)


@base.NovaObjectRegistry.register
class Quotas(base.NovaObject):
    """Remotable access to the quota tables; every method returns plain values.

    Per-user limits live beside the project's: a user limit applies within the project
    limit, and deleting a project's limits deletes its users' too.
    """

    VERSION = '1.0'

    fields = {
        'project_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
    }

    # -- project and user limits ----------------------------------------------------------

    @classmethod
    @base.remotable
    def get(cls, context, project_id, resource, user_id=None):
        """One stored limit (ProjectQuotaNotFound / ProjectUserQuotaNotFound if unset)."""
        return api_db.quota_get(context, project_id, resource, user_id=user_id).hard_limit

    @classmethod
    @base.remotable
    def get_limits_in_force(cls, context, project_id, user_id=None):
        """{resource: limit} for a project (or one of its users), in one round trip: the
        defaults, overridden by the 'default' quota class, then the project's limits, then
        the user's. -1 means unlimited."""
        limits = cls.get_default_class(context)
        stored = api_db.quota_get_all_by_project(context, project_id)
        if user_id is not None:
            stored.update(api_db.quota_get_all_by_project_and_user(context, project_id,
                                                                   user_id))
        for key in ('project_id', 'user_id'):
            stored.pop(key, None)
        limits.update(stored)
        return limits

    @classmethod
    @base.remotable
    def get_instance_quota_inputs(cls, context, project_id, user_id):
        """What a server create checks, in one round trip: {'project': the project's limits
        in force, 'user': the user's own stored limits, 'usage': the live instances, cores
        and ram of the project, and of the user when the user has instance limits of their
        own (as InstanceList.get_counts)}."""
        user = api_db.quota_get_all_by_project_and_user(context, project_id, user_id)
        for key in ('project_id', 'user_id'):
            user.pop(key, None)
        # The user's usage only matters under the user's own instance limits.
        counted_user = user_id if {'instances', 'cores', 'ram'} & set(user) else None
        return {'project': cls.get_limits_in_force(context, project_id),
                'user': user,
                'usage': main_db.instance_count_usage(context, project_id,
                                                      user_id=counted_user)}

    @classmethod
    @base.remotable
    def get_all_by_project(cls, context, project_id):
        """{'project_id': ..., resource: limit, ...} of the project's stored limits."""
        return api_db.quota_get_all_by_project(context, project_id)

    @classmethod
    @base.remotable
    def get_all_by_project_and_user(cls, context, project_id, user_id):
        """{'project_id': ..., 'user_id': ..., resource: limit, ...} of one user."""
        return api_db.quota_get_all_by_project_and_user(context, project_id, user_id)

    @classmethod
    @base.remotable
    def get_all(cls, context, project_id):
        """Every per-user limit in a project, as dicts of project_id, user_id, resource
        and hard_limit."""
        return [{'project_id': row.project_id, 'user_id': row.user_id,
                 'resource': row.resource, 'hard_limit': row.hard_limit}
                for row in api_db.quota_get_all_users(context, project_id)]

    @classmethod
    @base.remotable
    def create_limit(cls, context, project_id, resource, limit, user_id=None):
        """Store a new limit (QuotaExists if that one is already stored)."""
        _check(project_id, resource, limit, user_id)
        api_db.quota_create(context, project_id, resource, limit, user_id=user_id)

    @classmethod
    @base.remotable
    def update_limit(cls, context, project_id, resource, limit, user_id=None):
        """Change a stored limit (ProjectQuotaNotFound / ProjectUserQuotaNotFound if
        there is none)."""
        _check(project_id, resource, limit, user_id)
        api_db.quota_update(context, project_id, resource, limit, user_id=user_id)

    @classmethod
    @base.remotable
    def destroy_all_by_project(cls, context, project_id):
        api_db.quota_destroy_all_by_project(context, project_id)

    @classmethod
    @base.remotable
    def destroy_all_by_project_and_user(cls, context, project_id, user_id):
        api_db.quota_destroy_all_by_project_and_user(context, project_id, user_id)

    # -- quota classes --------------------------------------------------------------------

    @classmethod
    @base.remotable
    def get_class(cls, context, class_name, resource):
        """One limit of a quota class (QuotaClassNotFound if the class does not set it)."""
        return api_db.quota_class_get(context, class_name, resource).hard_limit

    @classmethod
    @base.remotable
    def get_all_class_by_name(cls, context, class_name):
        """{'class_name': ..., resource: limit, ...} of what the class stores."""
        return api_db.quota_class_get_all_by_name(context, class_name)

    @classmethod
    @base.remotable
    def get_default_class(cls, context):
        """The default limits of every resource: DEFAULT_QUOTA_LIMITS, overridden by what
        the 'default' quota class stores."""
        limits = dict(DEFAULT_QUOTA_LIMITS)
        stored = api_db.quota_class_get_all_by_name(context, DEFAULT_QUOTA_CLASS)
        stored.pop('class_name')
        limits.update(stored)
        return limits

    @classmethod
    @base.remotable
    def update_class(cls, context, class_name, resource, limit):
        """Set one limit of a quota class, adding it when the class does not have it yet."""
        _check_name('class_name', class_name)
        _check_name('resource', resource)
        _check_limit(resource, limit)
        api_db.quota_class_update(context, class_name, resource, limit)
