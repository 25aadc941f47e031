"""nova-scheduler's RPC endpoint: picks a compute node for each instance of a request.

For each instance: filter the hosts, weigh them, pick one at random among the best
host_subset_size, and claim the instance's size on it in the database (one conditional
UPDATE that also places the instance); when the claim loses a race, try the next host.
A request for several instances is all or nothing: when one cannot be placed, the claims
already made for the others are given back.

Version history:
    1.0 - initial: select_destinations
    1.1 - select_destinations takes migration_uuid (a move claim)
"""

import logging
import random

import oslo_messaging as messaging

from nova import exception
from nova import manager
from nova import objects
import nova.conf
from nova.i18n import _
from nova.scheduler import host_manager
from nova.scheduler import utils

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def _selection(host_state, claimed):
    """What crosses the bus for one chosen (or alternate) host; names as upstream's
    Selection object."""
    return {'service_host': host_state.host, 'nodename': host_state.nodename,
            'compute_node_uuid': host_state.uuid, 'limits': dict(host_state.limits),
            'availability_zone': host_state.availability_zone, 'claimed': claimed}


class SchedulerManager(manager.Manager):
    target = messaging.Target(version='1.1')
    service_name = 'scheduler'

    def __init__(self, host=None):
        super().__init__(host=host)
        self.host_manager = host_manager.HostManager()

    @manager.periodic_task(spacing_option='scheduler.periodic_task_interval',
                           run_immediately=True)
    def refresh_host_states(self, context):
        self.host_manager.refresh(context)

    # -- RPC --------------------------------------------------------------------------------

    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, context, spec_obj, instance_uuids, return_alternates=False,
                            migration_uuid=None):
        """A list with one entry per instance: [chosen selection, alternates...].

        With ``instance_uuids`` each chosen host is claimed for its instance (its host and
        node are set); without, hosts are only chosen. Alternates (with
        ``return_alternates``, up to max_attempts - 1 per instance) are not claimed.
        NoValidHost when some instance fits nowhere; nothing stays claimed then.
        With ``migration_uuid`` (one instance that is moving), the claim is a move claim:
        the chosen node becomes the migration's destination and holds the spec's flavor.
        """
        spec = spec_obj.obj_clone()  # group hosts and members grow as we place instances
        count = len(instance_uuids) if instance_uuids else (
            spec.num_instances if 'num_instances' in spec else 1)
        host_states = self.host_manager.get_all_host_states(
            context, self._instances_of_interest(spec))
        self._add_member_hosts(spec, host_states)
        placed = []  # (host state, instance uuid) claimed so far
        results = []
        try:
            for index in range(count):
                instance_uuid = instance_uuids[index] if instance_uuids else None
                weighed, chosen = self._place_one(context, spec, host_states, instance_uuid,
                                                  migration_uuid)
                if instance_uuid and not migration_uuid:
                    placed.append((chosen, instance_uuid))
                self._consume(spec, host_states, chosen, instance_uuid)
                entry = [_selection(chosen, claimed=bool(instance_uuid))]
                if return_alternates:
                    entry += [_selection(w.obj, claimed=False) for w in weighed
                              if w.obj is not chosen][:CONF.scheduler.max_attempts - 1]
                results.append(entry)
        except Exception:
            self._unclaim(context, spec, placed)
            raise
        return results

    # -- one instance -----------------------------------------------------------------------

    def _place_one(self, context, spec, host_states, instance_uuid, migration_uuid=None):
        hosts = self.host_manager.get_filtered_hosts(host_states, spec)
        if not hosts:
            raise exception.NoValidHost(reason=_('There are not enough hosts available.'))
        weighed = self.host_manager.get_weighed_hosts(hosts, spec)
        for candidate in self._try_order(weighed):
            state = candidate.obj
            if instance_uuid is None or self._claim(context, spec, state, instance_uuid,
                                                    migration_uuid):
                LOG.info('Placed instance %s on %s/%s', instance_uuid or '(unnamed)',
                         state.host, state.nodename)
                return weighed, state
            # Our view of the node was stale (someone claimed first): it has no room left
            # for this request's size, so later instances need not try it either.
            host_states.remove(state)
        raise exception.NoValidHost(
            reason=_('Every candidate host was claimed by concurrent requests.'))

    @staticmethod
    def _try_order(weighed):
        """A random one of the best host_subset_size first, then the rest by weight."""
        best = weighed
        if CONF.filter_scheduler.shuffle_best_same_weighed_hosts:
            ties = [w for w in weighed if w.weight == weighed[0].weight]
            random.shuffle(ties)
            best = ties + weighed[len(ties):]
        chosen = random.choice(best[:CONF.filter_scheduler.host_subset_size])
        return [chosen] + [w for w in best if w is not chosen]

    @staticmethod
    def _claim(context, spec, state, instance_uuid, migration_uuid=None):
        vcpus, memory_mb, disk_gb = utils.requested_resources(spec)
        try:
            if migration_uuid is not None:
                return objects.ComputeNode.claim_for_migration(
                    context, state.uuid, migration_uuid, vcpus, memory_mb, disk_gb)
            return objects.ComputeNode.claim_for_instance(
                context, state.uuid, instance_uuid, vcpus, memory_mb, disk_gb)
        except exception.ComputeHostNotFound:
            return False  # the node went away since we read it

    @staticmethod
    def _unclaim(context, spec, placed):
        vcpus, memory_mb, disk_gb = utils.requested_resources(spec)
        for state, instance_uuid in placed:
            try:
                objects.ComputeNode.unclaim_for_instance(
                    context, state.uuid, instance_uuid, vcpus, memory_mb, disk_gb)
            except Exception:
                LOG.exception('Could not give back the claim of instance %s on %s/%s',
                              instance_uuid, state.host, state.nodename)

    # -- server groups and hints ------------------------------------------------------------

    @staticmethod
    def _instances_of_interest(spec):
        """Instances whose hosts the filters and weighers need to know."""
        group = utils.server_group(spec)
        uuids = set(group.members) if group else set()
        uuids.update(utils.hint_list(spec, 'same_host'))
        uuids.update(utils.hint_list(spec, 'different_host'))
        return uuids

    @staticmethod
    def _add_member_hosts(spec, host_states):
        """The group's hosts are where its members run, whatever the caller passed."""
        group = utils.server_group(spec)
        if group is None:
            return
        hosts = set(group.hosts)
        hosts.update(s.host for s in host_states if s.instances & group.members)
        spec.instance_group['hosts'] = sorted(hosts)

    @staticmethod
    def _consume(spec, host_states, chosen, instance_uuid):
        chosen.consume_from_request(spec, instance_uuid)
        if instance_uuid:
            for state in host_states:  # other nodes of the same host see it too
                if state.host == chosen.host:
                    state.instances.add(instance_uuid)
        group = utils.server_group(spec)
        if group is not None:
            spec.instance_group['hosts'] = sorted(group.hosts | {chosen.host})
            if instance_uuid:
                spec.instance_group['members'] = sorted(group.members | {instance_uuid})
