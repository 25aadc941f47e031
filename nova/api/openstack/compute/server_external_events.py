"""POST /os-server-external-events: events from the network, volume or accelerator
service about servers, delivered to each server's compute host.

Each event is answered with a code: 200 (accepted and sent to the host), 404 (no such
server), 422 (the server has no host yet); the request answers 200 when every event was
accepted, 207 when only some were, 404 when none was.
"""

import logging

import webob

from nova import objects
from nova.api import validation
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import server_external_events as schemas
from nova.compute import rpcapi as compute_rpcapi
from nova.i18n import _
from nova.policy import authorize

LOG = logging.getLogger(__name__)

RULE = 'os_compute_api:os-server-external-events:create'


class ServerExternalEventsController:

    def __init__(self):
        self._rpcapi = None

    @property
    def rpcapi(self):
        if self._rpcapi is None:
            self._rpcapi = compute_rpcapi.ComputeAPI()
        return self._rpcapi

    @staticmethod
    def _instances(context, uuids):
        found = objects.InstanceList.get_by_filters(context, {'uuid': sorted(uuids)})
        return {instance.uuid: instance for instance in found}

    @wsgi.expected_errors((403, 404))
    @validation.schema(schemas.create, '2.1', '2.50')
    @validation.schema(schemas.create_v251, '2.51', '2.75')
    @validation.schema(schemas.create_v276, '2.76', '2.81')
    @validation.schema(schemas.create_v282, '2.82', '2.92')
    @validation.schema(schemas.create_v293, '2.93')
    def create(self, req, body):
        context = req.environ['nova.context']
        authorize(context, RULE, target={})
        instances = self._instances(context.elevated(),
                                    {e['server_uuid'] for e in body['events']})
        answers = []
        by_host = {}  # host -> ({uuid: instance}, [events])
        for given in body['events']:
            event = dict(given, status=given.get('status', 'completed'))
            instance = instances.get(event['server_uuid'])
            if instance is None:
                LOG.debug('External event %s for unknown server %s', event['name'],
                          event['server_uuid'])
                event.update(status='failed', code=404)
            elif not instance.host:
                LOG.debug('External event %s for server %s, which has no host yet',
                          event['name'], instance.uuid)
                event.update(status='failed', code=422)
            else:
                event['code'] = 200
                targets, events = by_host.setdefault(instance.host, ({}, []))
                targets[instance.uuid] = instance
                events.append({k: v for k, v in event.items() if k != 'code'})
                LOG.info('Creating event %s:%s for instance %s on %s', event['name'],
                         event.get('tag'), instance.uuid, instance.host)
            answers.append(event)
        if not by_host:
            raise webob.exc.HTTPNotFound(explanation=_('No instances found for any event'))
        for host, (targets, events) in by_host.items():
            try:
                self.rpcapi.external_instance_event(context, host, list(targets.values()),
                                                    events)
            except Exception:  # events are best effort: the answer stands
                LOG.exception('Could not send external events to %s', host)
        code = 200 if all(a['code'] == 200 for a in answers) else 207
        return wsgi.ResponseObject({'events': answers}, code=code)
