"""changePassword: set a running server's admin password through its driver."""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas
from nova.i18n import _


class AdminPasswordController(action_base.ActionController):

    @wsgi.response(202)
    @wsgi.expected_errors((404, 409, 501))
    @validation.schema(schemas.change_password)
    def change_password(self, req, id, body):
        context, instance = self.instance(req, id, 'os_compute_api:os-admin-password')
        password = body['changePassword']['adminPass']
        try:
            with action_base.answers('changePassword', id):
                self.compute_api.set_admin_password(context, instance, password)
        except (exception.InstancePasswordSetFailed,
                exception.SetAdminPasswdNotSupported) as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(explanation=_(
                'Unable to set password on instance'))
