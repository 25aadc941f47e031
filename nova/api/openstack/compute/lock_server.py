"""lock (with a reason from 2.73) and unlock a server.

A locked server refuses actions from non-administrators (409). Whoever locked it, its
project's members or an administrator of another project, unlocks it; anyone else needs
the unlock_override rule.
"""

from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas
from nova.policy import authorize

RULE = 'os_compute_api:os-lock-server:%s'


class LockServerController(action_base.ActionController):

    @wsgi.response(202)
    @wsgi.expected_errors(404)
    @validation.schema(schemas.lock, '2.1', '2.72')
    @validation.schema(schemas.lock_v273, '2.73')
    def lock(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'lock')
        reason = None
        if req.api_version_request.matches('2.73'):
            reason = (body['lock'] or {}).get('locked_reason')
        self.compute_api.lock(context, instance, reason=reason)

    @wsgi.response(202)
    @wsgi.expected_errors(404)
    @validation.schema(schemas.unlock)
    def unlock(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'unlock')
        if not self.compute_api.is_expected_locked_by(context, instance):
            authorize(context, RULE % 'unlock:unlock_override',
                      target={'project_id': instance.project_id,
                              'user_id': instance.user_id})
        self.compute_api.unlock(context, instance)
