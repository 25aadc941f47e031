"""Build orchestration in conductor: schedule, hand the build to a compute host, reschedule
a failed build on another host up to [scheduler] max_attempts, and put an instance that
cannot be placed into ERROR with a fault, so no instance is ever left half-built."""

import logging

import oslo_messaging as messaging

from nova import exception
from nova import objects
from nova.compute import aggregates
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova.conductor import move_tasks
import nova.conf
from nova.i18n import _
from nova.image import api as image_api
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeTaskManager(move_tasks.MoveTasksMixin):
    """The 'compute_task' namespace of nova-conductor (moves: nova.conductor.move_tasks).

    Version history:
        1.0 - initial: schedule_and_build_instances, build_instances (reschedule)
        1.2 - migrate_server, live_migrate_instance, evacuate_server
        1.3 - unshelve_instance
    """

    target = messaging.Target(namespace='compute_task', version='1.3')

    def __init__(self):
        self._scheduler = None
        self._compute = None

    # The RPC clients need an initialised bus, so they are built on first use.
    @property
    def scheduler(self):
        if self._scheduler is None:
            self._scheduler = scheduler_rpcapi.SchedulerAPI()
        return self._scheduler

    @property
    def compute(self):
        if self._compute is None:
            self._compute = compute_rpcapi.ComputeAPI()
        return self._compute

    def schedule_and_build_instances(self, context, instances, request_spec, image,
                                     admin_password, requested_networks,
                                     block_device_mapping):
        """Record each instance's 'create' action (here, as upstream, rather than in
        nova-api: a round trip less for the API), place every instance of the request,
        then cast each build to its host."""
        for instance in instances:
            objects.InstanceAction.action_start(context, instance.uuid, 'create',
                                                want_result=False)
        try:
            with compute_utils.event_reporter(context, instances[0].uuid,
                                              'conductor_schedule_and_build_instances'):
                selections = self.scheduler.select_destinations(
                    context, request_spec, [instance.uuid for instance in instances])
        except Exception as error:
            for instance in instances:
                self._fail_build(context, instance, error)
            return
        for instance, alternatives in zip(instances, selections):
            selection = alternatives[0]
            retry = {'num_attempts': 1,
                     'hosts': [[selection['service_host'], selection['nodename']]]}
            self._cast_build(context, instance, selection, request_spec, image,
                             admin_password, requested_networks, block_device_mapping, retry)

    def build_instances(self, context, instance, request_spec, image, admin_password,
                        requested_networks, block_device_mapping, retry):
        """Reschedule an instance whose build failed on the hosts in ``retry``."""
        if retry['num_attempts'] >= CONF.scheduler.max_attempts:
            self._fail_build(context, instance, exception.MaxRetriesExceeded(
                reason=_('Exhausted all hosts available for retrying build failures for '
                         'instance %s.') % instance.uuid))
            return
        request_spec.retry = retry
        request_spec.ignore_hosts = sorted(
            set(request_spec.ignore_hosts or []) | {host for host, _node in retry['hosts']})
        try:
            selection = self.scheduler.select_destinations(
                context, request_spec, [instance.uuid])[0][0]
        except Exception as error:
            self._fail_build(context, instance, error)
            return
        retry = {'num_attempts': retry['num_attempts'] + 1,
                 'hosts': retry['hosts'] + [[selection['service_host'],
                                             selection['nodename']]]}
        self._cast_build(context, instance, selection, request_spec, image, admin_password,
                         requested_networks, block_device_mapping, retry)

    def _cast_build(self, context, instance, selection, request_spec, image, admin_password,
                    requested_networks, block_device_mapping, retry):
        # The scheduler's claim placed the instance: what it wrote, without reading the
        # whole instance back. A change meanwhile (a delete) still stops the build: the
        # compute host's first save expects the task state this copy holds.
        instance.host = instance.launched_on = selection['service_host']
        instance.node = selection['nodename']
        instance.obj_reset_changes(['host', 'launched_on', 'node'])
        # As upstream: the instance is in its host's zone (host aggregates set it), which
        # the scheduler saw when it chose the host.
        zone = selection.get('availability_zone') or \
            aggregates.availability_zone_of_host(context, selection['service_host'])
        if instance.availability_zone != zone:
            instance.availability_zone = zone
            instance.save()
        LOG.info('Building instance %s on %s (attempt %d)', instance.uuid,
                 selection['service_host'], retry['num_attempts'])
        self.compute.build_and_run_instance(
            context, instance, selection['service_host'], selection['nodename'],
            request_spec=request_spec, image=image, admin_password=admin_password,
            requested_networks=requested_networks,
            block_device_mapping=block_device_mapping, retry=retry)

    def unshelve_instance(self, context, instance, request_spec=None):
        """A SHELVED instance spawns again on its host; a SHELVED_OFFLOADED one goes
        where the scheduler places (and claims) it. No host: back to SHELVED_OFFLOADED
        with no task, the action event failed."""
        if instance.vm_state == vm_states.SHELVED:
            self.compute.unshelve_instance(context, instance, instance.host)
            return
        try:
            with compute_utils.event_reporter(context, instance.uuid,
                                              'conductor_unshelve_instance'):
                selection = self.scheduler.select_destinations(
                    context, request_spec, [instance.uuid])[0][0]
        except Exception as error:
            LOG.warning('Unshelve of instance %s found no host: %s', instance.uuid, error)
            try:
                instance.refresh()
                instance.task_state = None
                instance.save(expected_task_state=task_states.UNSHELVING)
            except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
                pass
            return
        image_id = instance.system_metadata.get('shelved_image_id')
        image = None
        if image_id:
            try:
                image = image_api.API().get(context, image_id)
            except exception.ImageNotFound:
                LOG.warning('The shelved image %s of instance %s is gone; unshelving '
                            'from its original image', image_id, instance.uuid)
        instance.refresh()  # the scheduler's claim set host and node
        self.compute.unshelve_instance(context, instance, selection['service_host'],
                                       image=image, node=selection['nodename'])

    @staticmethod
    def _fail_build(context, instance, error):
        """ERROR with a fault: the user sees why, and the instance can be deleted."""
        if isinstance(error, exception.NoValidHost):
            LOG.warning('Instance %s: %s', instance.uuid, error.format_message())
        else:
            LOG.error('Build of instance %s failed: %s', instance.uuid, error,
                      exc_info=not isinstance(error, exception.NovaException))
        try:
            # The fault first: whoever sees ERROR must also see why (a reschedule's
            # fault from the compute host would otherwise show in between).
            compute_utils.add_instance_fault_from_exc(context, instance, error)
            instance.vm_state = vm_states.ERROR
            instance.task_state = None
            instance.save(expected_task_state=[task_states.SCHEDULING, None])
        except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
            # Deleted (or being deleted) meanwhile: nothing left to report on.
            LOG.info('Instance %s went away while its build failed', instance.uuid)
            return
        compute_utils.notify_about_instance_usage(context, instance, 'create.error',
                                                  message=str(error))
