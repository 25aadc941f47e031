"""What the simple server actions share: find the server, check the rule, and turn the
compute API's refusals into upstream's answers."""

import contextlib

import webob.exc

from nova import exception
from nova.api.openstack.compute import servers
from nova.compute import api as compute_api
from nova.policy import authorize


class ActionController:
    """Base of the controllers of ``POST /servers/{id}/action`` bodies."""

    def __init__(self):
        self.compute_api = compute_api.API()

    def instance(self, req, server_id, rule, expected_attrs=None):
        """(context, instance) for a caller who may see the server (404 otherwise) and
        whom ``rule`` allows to act on it (403 otherwise)."""
        context = req.environ['nova.context']
        instance = servers.get_instance(self.compute_api, context, server_id,
                                        expected_attrs=expected_attrs)
        authorize(context, rule, target={'project_id': instance.project_id,
                                         'user_id': instance.user_id})
        return context, instance


@contextlib.contextmanager
def answers(action, server_id):
    """404 for a server gone meanwhile; 409 for a lock, a state that forbids ``action``, an
    instance without a host yet, or a concurrent task."""
    try:
        yield
    except exception.InstanceNotFound as exc:
        raise webob.exc.HTTPNotFound(explanation=exc.format_message())
    except exception.InstanceInvalidState as exc:  # InstanceIsLocked too
        servers.conflict_for_state(exc, action, server_id)
    except (exception.InstanceNotReady, exception.UnexpectedTaskStateError) as exc:
        raise webob.exc.HTTPConflict(explanation=exc.format_message())
