"""The request context: who is asking (user, project, roles) and the request id.

It travels with every RPC message (``to_dict``/``from_dict``) so a conductor or compute log
line carries the request id the API handed out.
"""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):
    """Security context and request information, serialisable over RPC."""

    def __init__(self, user_id=None, project_id=None, is_admin=None,
                 read_deleted='no', remote_address=None, timestamp=None,
                 quota_class=None, service_catalog=None, **kwargs):
        # oslo.context calls these ``user``/``project_id``; accept nova's names as well.
        kwargs.setdefault('user_id', user_id)
        kwargs.setdefault('project_id', project_id)
        super().__init__(is_admin=bool(is_admin), **kwargs)
        self.read_deleted = read_deleted
        self.remote_address = remote_address
        if timestamp is None:
            timestamp = timeutils.utcnow()
        elif isinstance(timestamp, str):
            timestamp = timeutils.normalize_time(timeutils.parse_isotime(timestamp))
        self.timestamp = timestamp
        self.quota_class = quota_class
        self.service_catalog = service_catalog or []
        if is_admin is None:
            self.is_admin = 'admin' in [r.lower() for r in self.roles]

    @property
    def read_deleted(self):
        return self._read_deleted

    @read_deleted.setter
    def read_deleted(self, value):
        if value not in ('no', 'yes', 'only'):
            raise ValueError("read_deleted can only be one of 'no', 'yes' or 'only', "
                             "not %r" % value)
        self._read_deleted = value

    def to_dict(self):
        values = super().to_dict()
        values.update({
            'user_id': self.user_id,
            'project_id': self.project_id,
            'is_admin': self.is_admin,
            'read_deleted': self.read_deleted,
            'remote_address': self.remote_address,
            'timestamp': self.timestamp.isoformat() if self.timestamp else None,
            'quota_class': self.quota_class,
            'service_catalog': self.service_catalog,
        })
        return values

    @classmethod
    def from_dict(cls, values):
        return super().from_dict(
            values,
            user_id=values.get('user_id'),
            project_id=values.get('project_id'),
            is_admin=values.get('is_admin'),
            read_deleted=values.get('read_deleted', 'no'),
            remote_address=values.get('remote_address'),
            timestamp=values.get('timestamp'),
            quota_class=values.get('quota_class'),
            service_catalog=values.get('service_catalog'),
        )

    def elevated(self, read_deleted=None):
        """An admin copy of this context (same request id), for internal lookups."""
        ctx = self.from_dict(self.to_dict())
        ctx.is_admin = True
        if 'admin' not in [r.lower() for r in ctx.roles]:
            ctx.roles = list(ctx.roles) + ['admin']
        if read_deleted is not None:
            ctx.read_deleted = read_deleted
        return ctx

    def __str__(self):
        return '<Context %s>' % self.to_dict()


def get_admin_context(read_deleted='no'):
    """A context for nova's own work (periodic tasks, heartbeats, nova-manage)."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          read_deleted=read_deleted, overwrite=False)


def get_context():
    """A plain non-admin context with no identity, for tests and tools."""
    return RequestContext(user_id=None, project_id=None, is_admin=False, overwrite=False)
