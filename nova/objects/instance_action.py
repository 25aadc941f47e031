"""InstanceAction and InstanceActionEvent: the audit trail of requests on an instance.

An action is one user request (``request_id`` of the context); events are the steps
services run for it (``compute_reboot_instance``, ...), each with a result.
"""

import traceback as traceback_module

from oslo_utils import timeutils

from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields

SUCCESS = 'Success'
ERROR = 'Error'


def _from_db(context, obj, db_row):
    for name in obj.fields:
        value = db_row[name]
        setattr(obj, name, bool(value) if name == 'deleted' else value)
    obj._context = context
    obj.obj_reset_changes()
    return obj


@base.NovaObjectRegistry.register
class InstanceAction(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'action': fields.StringField(nullable=True),
        'instance_uuid': fields.UUIDField(nullable=True),
        'request_id': fields.StringField(nullable=True),
        'user_id': fields.StringField(nullable=True),
        'project_id': fields.StringField(nullable=True),
        'start_time': fields.DateTimeField(nullable=True),
        'finish_time': fields.DateTimeField(nullable=True),
        'message': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, action, db_action):
        return _from_db(context, action, db_action)

    @staticmethod
    def pack_action_start(context, instance_uuid, action_name):
        return {'request_id': context.request_id, 'user_id': context.user_id,
                'project_id': context.project_id, 'instance_uuid': instance_uuid,
                'action': action_name, 'start_time': context.timestamp}

    @staticmethod
    def pack_action_finish(context, instance_uuid):
        return {'request_id': context.request_id, 'instance_uuid': instance_uuid,
                'finish_time': timeutils.utcnow()}

    @classmethod
    @base.remotable
    def get_by_request_id(cls, context, instance_uuid, request_id):
        """The action, or None."""
        db_action = db.action_get_by_request_id(context, instance_uuid, request_id)
        return cls._from_db_object(context, cls(), db_action) if db_action else None

    @classmethod
    @base.remotable
    def action_start(cls, context, instance_uuid, action_name, want_result=True):
        db_action = db.action_start(context,
                                    cls.pack_action_start(context, instance_uuid, action_name))
        return cls._from_db_object(context, cls(), db_action) if want_result else None

    @classmethod
    @base.remotable
    def action_finish(cls, context, instance_uuid, want_result=True):
        db_action = db.action_finish(context, cls.pack_action_finish(context, instance_uuid))
        return cls._from_db_object(context, cls(), db_action) if want_result else None

    @base.remotable
    def finish(self):
        values = self.pack_action_finish(self._context, self.instance_uuid)
        values['request_id'] = self.request_id
        self._from_db_object(self._context, self, db.action_finish(self._context, values))


@base.NovaObjectRegistry.register
class InstanceActionList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceAction'),
    }

    @classmethod
    @base.remotable
    def get_by_instance_uuid(cls, context, instance_uuid, limit=None, marker=None):
        """Newest first; ``marker`` is the request id of the last action of a page."""
        rows = db.actions_get(context, instance_uuid, limit=limit, marker=marker)
        return cls._from_rows(context, rows)


@base.NovaObjectRegistry.register
class InstanceActionEvent(base.NovaPersistentObject, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(),
        'event': fields.StringField(nullable=True),
        'action_id': fields.IntegerField(nullable=True),
        'start_time': fields.DateTimeField(nullable=True),
        'finish_time': fields.DateTimeField(nullable=True),
        'result': fields.StringField(nullable=True),
        'traceback': fields.StringField(nullable=True),
        'host': fields.StringField(nullable=True),
        'details': fields.StringField(nullable=True),
    }

    @staticmethod
    def _from_db_object(context, event, db_event):
        return _from_db(context, event, db_event)

    @staticmethod
    def pack_action_event_start(context, instance_uuid, event_name, host=None):
        return {'event': event_name, 'instance_uuid': instance_uuid,
                'request_id': context.request_id, 'start_time': timeutils.utcnow(),
                'host': host}

    @staticmethod
    def pack_action_event_finish(context, instance_uuid, event_name, exc_val=None,
                                 exc_tb=None):
        values = {'event': event_name, 'instance_uuid': instance_uuid,
                  'request_id': context.request_id, 'finish_time': timeutils.utcnow()}
        if exc_tb is None:
            values['result'] = SUCCESS
        else:
            values['result'] = ERROR
            values['details'] = str(exc_val) if exc_val is not None else None
            values['traceback'] = (exc_tb if isinstance(exc_tb, str)
                                   else ''.join(traceback_module.format_tb(exc_tb)))
        return values

    @classmethod
    @base.remotable
    def get_by_id(cls, context, action_id, event_id):
        return cls._from_db_object(context, cls(),
                                   db.action_event_get_by_id(context, action_id, event_id))

    @classmethod
    @base.remotable
    def event_start(cls, context, instance_uuid, event_name, want_result=True, host=None):
        db_event = db.action_event_start(
            context, cls.pack_action_event_start(context, instance_uuid, event_name, host))
        return cls._from_db_object(context, cls(), db_event) if want_result else None

    @classmethod
    def event_finish_with_failure(cls, context, instance_uuid, event_name, exc_val=None,
                                  exc_tb=None, want_result=None):
        """Finish the event, as an error when ``exc_tb`` (a traceback or its text) is given.

        Not remotable itself: a traceback object cannot travel over RPC, so it is turned
        into text here and the remotable ``_event_finish`` carries that.
        """
        if exc_tb is not None and not isinstance(exc_tb, str):
            exc_tb = ''.join(traceback_module.format_tb(exc_tb))
        if exc_val is not None and not isinstance(exc_val, str):
            exc_val = str(exc_val)
        return cls._event_finish(context, instance_uuid, event_name, exc_val, exc_tb,
                                 want_result)

    @classmethod
    def event_finish(cls, context, instance_uuid, event_name, want_result=True):
        return cls._event_finish(context, instance_uuid, event_name, None, None, want_result)

    @classmethod
    @base.remotable
    def _event_finish(cls, context, instance_uuid, event_name, exc_val, exc_tb, want_result):
        values = cls.pack_action_event_finish(context, instance_uuid, event_name,
                                              exc_val=exc_val, exc_tb=exc_tb)
        db_event = db.action_event_finish(context, values)
        return cls._from_db_object(context, cls(), db_event) if want_result else None


@base.NovaObjectRegistry.register
class InstanceActionEventList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('InstanceActionEvent'),
    }

    @classmethod
    @base.remotable
    def get_by_action(cls, context, action_id):
        return cls._from_rows(context, db.action_events_get(context,
                                                                              action_id))
