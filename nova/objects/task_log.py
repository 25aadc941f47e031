"""TaskLog: one run of a periodic task on a host over a period (main database); the
instance usage audit records its runs here and os-instance-usage-audit-log reports them."""

from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class TaskLog(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'task_name': fields.StringField(),
        'state': fields.StringField(),
        'host': fields.StringField(),
        'period_beginning': fields.DateTimeField(),
        'period_ending': fields.DateTimeField(),
        'message': fields.StringField(),
        'task_items': fields.IntegerField(),
        'errors': fields.IntegerField(),
    }

    @staticmethod
    def _from_db_object(context, task_log, row):
        for name in task_log.fields:
            value = row[name]
            setattr(task_log, name, bool(value) if name == 'deleted' else value)
        task_log._context = context
        task_log.obj_reset_changes()
        return task_log

    @classmethod
    @base.remotable
    def begin_task(cls, context, task_name, period_beginning, period_ending, host,
                   task_items=None, message=None):
        """TaskAlreadyRunning when the host already ran (or runs) it for the period."""
        return cls._from_db_object(context, cls(), db.task_log_begin_task(
            context, task_name, period_beginning, period_ending, host, task_items, message))

    @classmethod
    @base.remotable
    def end_task(cls, context, task_name, period_beginning, period_ending, host, errors,
                 message=None):
        return cls._from_db_object(context, cls(), db.task_log_end_task(
            context, task_name, period_beginning, period_ending, host, errors, message))


@base.NovaObjectRegistry.register
class TaskLogList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('TaskLog'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context, task_name, period_beginning, period_ending, host=None,
                state=None):
        return cls._from_rows(context, db.task_log_get_all(
            context, task_name, period_beginning, period_ending, host, state))
