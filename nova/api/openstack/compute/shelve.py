"""POST /servers/{id}/action {"shelve"}, {"shelveOffload"}, {"unshelve"}.

Shelving snapshots a server and stops it; offloading (by an admin, or by nova-compute as
[DEFAULT] shelved_offload_time says) frees its host; unshelving brings it back, through
the scheduler when it was offloaded: into an availability zone from 2.77, onto a named
host (admins) or with its zone unpinned (null) from 2.91.
"""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import shelve as schemas
from nova.policy import authorize

RULE = 'os_compute_api:os-shelve:%s'


class ShelveController(action_base.ActionController):

    @staticmethod
    def _run(action, server_id, method, *args, **kwargs):
        try:
            method(*args, **kwargs)
        except exception.InstanceNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except exception.UnshelveInstanceInvalidState as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except exception.InstanceInvalidState as exc:
            servers.conflict_for_state(exc, action, server_id)
        except exception.ComputeHostNotFound as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        except exception.Conflict as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except exception.UnshelveHostNotInAZ as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except exception.Invalid as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.shelve)
    def shelve(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'shelve')
        self._run('shelve', id, self.compute_api.shelve, context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.shelve_offload)
    def shelve_offload(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'shelve_offload')
        self._run('shelveOffload', id, self.compute_api.shelve_offload, context, instance)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.unshelve, '2.1', '2.76')
    @validation.schema(schemas.unshelve_v277, '2.77', '2.90')
    @validation.schema(schemas.unshelve_v291, '2.91')
    def unshelve(self, req, id, body):
        context, instance = self.instance(req, id, RULE % 'unshelve')
        kwargs = {}
        params = body['unshelve']
        if api_version_request.is_supported(req, '2.77') and isinstance(params, dict):
            if 'availability_zone' in params:
                kwargs['new_az'] = params['availability_zone']
            if params.get('host'):
                authorize(context, RULE % 'unshelve_to_host',
                          target={'project_id': instance.project_id,
                                  'user_id': instance.user_id})
                kwargs['host'] = params['host']
        self._run('unshelve', id, self.compute_api.unshelve, context, instance, **kwargs)
