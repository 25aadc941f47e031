"""os-getConsoleOutput: the guest's console log, or its last ``length`` lines."""

import re

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute.schemas import server_actions as schemas
from nova.i18n import _

# Control characters a JSON body should not carry (tab and newline stay).
_UNPRINTABLE = re.compile(r'[\x00-\x08\x0B-\x1F]')


class ConsoleOutputController(action_base.ActionController):

    @wsgi.expected_errors((404, 409, 501))
    @validation.schema(schemas.get_console_output)
    def get_console_output(self, req, id, body):
        context, instance = self.instance(req, id, 'os_compute_api:os-console-output')
        length = body['os-getConsoleOutput'].get('length')
        if length is not None and int(length) == -1:
            length = None  # the whole log
        try:
            with action_base.answers('get_console_output', id):
                output = self.compute_api.get_console_output(context, instance,
                                                             tail_length=length)
        except exception.ConsoleNotAvailable as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except NotImplementedError:
            raise webob.exc.HTTPNotImplemented(explanation=_(
                'Unable to get console log, functionality not implemented'))
        return {'output': _UNPRINTABLE.sub('', output)}
