"""/servers/{server_id}/metadata: the user's key/value pairs on a server.

POST merges, PUT replaces the set, PUT /metadata/{key} sets one item; more items than the
``metadata_items`` quota answer 403, a server whose state forbids changes 409.
"""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import server_metadata as schemas
from nova.compute import api as compute_api
from nova.i18n import _

RULE = 'os_compute_api:server-metadata:%s'
# Metadata changes need a settled server, as upstream's check_instance_state has it.
CHANGEABLE_VM_STATES = ('active', 'paused', 'suspended', 'stopped')


def check_changeable(context, instance, action, server_id):
    """409 unless the server is settled (no task) and, for non-admins, not locked."""
    if instance.vm_state not in CHANGEABLE_VM_STATES:
        servers.conflict_for_state(exception.InstanceInvalidState(
            instance_uuid=instance.uuid, attr='vm_state', state=instance.vm_state,
            method=action), action, server_id)
    if instance.task_state is not None:
        servers.conflict_for_state(exception.InstanceInvalidState(
            instance_uuid=instance.uuid, attr='task_state', state=instance.task_state,
            method=action), action, server_id)
    if instance.locked and not context.is_admin:
        raise webob.exc.HTTPConflict(explanation=_('Instance %s is locked') % instance.uuid)


class ServerMetadataController:

    def __init__(self):
        self.compute_api = compute_api.API()

    def _instance(self, req, server_id, action):
        context = req.environ['nova.context']
        instance = servers.get_instance(self.compute_api, context, server_id)
        servers.authorize_owner(context, RULE % action, instance)
        return context, instance

    def _update(self, context, instance, server_id, metadata, delete):
        check_changeable(context, instance, 'update metadata', server_id)
        try:
            return self.compute_api.update_instance_metadata(context, instance, metadata,
                                                             delete=delete)
        except exception.InstanceNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except exception.OverQuota as exc:
            raise webob.exc.HTTPForbidden(explanation=exc.format_message())
        except exception.InstanceInvalidState as exc:
            servers.conflict_for_state(exc, 'update metadata', server_id)
        except exception.Conflict as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())

    @wsgi.expected_errors(404)
    def index(self, req, server_id):
        context, instance = self._instance(req, server_id, 'index')
        return {'metadata': self.compute_api.get_instance_metadata(context, instance)}

    @wsgi.expected_errors((403, 404, 409))
    @validation.schema(schemas.create)
    def create(self, req, server_id, body):
        context, instance = self._instance(req, server_id, 'create')
        return {'metadata': self._update(context, instance, server_id, body['metadata'],
                                         delete=False)}

    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.update)
    def update(self, req, server_id, id, body):
        if id not in body['meta']:
            raise webob.exc.HTTPBadRequest(explanation=_('Request body and URI mismatch'))
        context, instance = self._instance(req, server_id, 'update')
        self._update(context, instance, server_id, body['meta'], delete=False)
        return {'meta': body['meta']}

    @wsgi.expected_errors((403, 404, 409))
    @validation.schema(schemas.update_all)
    def update_all(self, req, server_id, body):
        context, instance = self._instance(req, server_id, 'update_all')
        return {'metadata': self._update(context, instance, server_id, body['metadata'],
                                         delete=True)}

    @wsgi.expected_errors(404)
    def show(self, req, server_id, id):
        context, instance = self._instance(req, server_id, 'show')
        metadata = self.compute_api.get_instance_metadata(context, instance)
        if id not in metadata:
            raise webob.exc.HTTPNotFound(explanation=_('Metadata item was not found'))
        return {'meta': {id: metadata[id]}}

    @wsgi.response(204)
    @wsgi.expected_errors((404, 409))
    def delete(self, req, server_id, id):
        context, instance = self._instance(req, server_id, 'delete')
        if id not in self.compute_api.get_instance_metadata(context, instance):
            raise webob.exc.HTTPNotFound(explanation=_('Metadata item was not found'))
        check_changeable(context, instance, 'delete metadata', server_id)
        try:
            self.compute_api.delete_instance_metadata(context, instance, id)
        except exception.InstanceInvalidState as exc:
            servers.conflict_for_state(exc, 'delete metadata', server_id)
        except exception.InstanceNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except exception.NotFound:
            raise webob.exc.HTTPNotFound(explanation=_('Metadata item was not found'))
        except exception.Conflict as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
