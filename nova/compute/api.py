"""What the REST API asks of the compute layer.

``HostAPI`` covers services, ``KeypairAPI`` key pairs, ``API`` instances. Everything goes
through objects, so in nova-api it runs in conductor over RPC.
"""

import random
import re

from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import exception
from nova import objects
from nova import servicegroup
from nova.compute import aggregates
from nova.compute import keypairs as keypair_crypto
from nova.compute import move_api
from nova.compute import power_state
from nova.compute import quota
from nova.compute import resource_tracker
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import server_records
from nova.compute import task_states
from nova.compute import utils as compute_utils
from nova.compute import vm_states
from nova.conductor import rpcapi as conductor_rpcapi
from nova.conductor import server_listing
import nova.conf
from nova.i18n import _
from nova.image import api as image_api
from nova.objects import base as objects_base
from nova.objects import compute_node as compute_node_obj
from nova.objects import instance as instance_obj
from nova.objects import keypair as keypair_obj
from nova.objects import quotas as quotas_obj
from nova.objects import service as service_obj

CONF = nova.conf.CONF

COMPUTE_BINARY = 'nova-compute'


class HostAPI:
    """Services: list, look up, update and delete their records."""

    def service_get_all(self, context, filters=None):
        """Services matching ``filters``: ``host``, ``binary`` (exact) and ``disabled``."""
        filters = dict(filters or {})
        disabled = filters.pop('disabled', None)
        unknown = set(filters) - {'host', 'binary'}
        if unknown:
            raise ValueError('Unknown service filters: %s' % ', '.join(sorted(unknown)))
        services = service_obj.ServiceList.get_all(context, disabled=disabled)
        return [service for service in services
                if all(getattr(service, key) == value for key, value in filters.items())]

    def service_get_by_id_or_uuid(self, context, service_id):
        """A service by its uuid, or its integer id; ServiceNotFound if there is none."""
        if uuidutils.is_uuid_like(service_id):
            return service_obj.Service.get_by_uuid(context, service_id)
        try:
            numeric_id = int(str(service_id))
        except ValueError:
            raise exception.ServiceNotFound(service_id=service_id)
        return service_obj.Service.get_by_id(context, numeric_id)

    def service_get_by_host_and_binary(self, context, host, binary):
        service = service_obj.Service.get_by_host_and_binary(context, host, binary)
        if service is None:
            raise exception.HostBinaryNotFound(host=host, binary=binary)
        return service

    def service_update(self, context, service, values=None):
        """Apply ``values`` (field: value) to ``service`` and save what changed."""
        for key, value in (values or {}).items():
            setattr(service, key, value)
        service.save()
        return service

    def service_delete(self, context, service_id):
        """Delete a service record (a compute service also loses its compute nodes).

        A compute service still hosting instances is refused (ComputeServiceInUse): its
        instances would lose their host's records.
        """
        service = self.service_get_by_id_or_uuid(context, service_id)
        if service.binary == COMPUTE_BINARY:
            # Imported here: the instance objects are not needed for anything else here.
            if len(instance_obj.InstanceList.get_by_host(context, service.host)):
                raise exception.ComputeServiceInUse(host=service.host)
        service.destroy()

    @staticmethod
    def availability_zone(service, host_zones=None):
        """The zone a service is shown in: a compute host's is its aggregate's
        availability_zone (else the default zone), other services are in the internal
        zone. ``host_zones``: {host: zone} already read (aggregates.host_availability_zones)."""
        if service.binary != COMPUTE_BINARY:
            return CONF.internal_service_availability_zone
        if host_zones is None:
            host_zones = aggregates.host_availability_zones(service._context)
        return host_zones.get(service.host, CONF.default_availability_zone)


# -- quotas as the key pair and limits APIs see them ----------------------------------------

def quota_limits(context, project_id, user_id=None):
    """{resource: limit} in force for a project (or for one of its users); -1: unlimited."""
    return quotas_obj.Quotas.get_limits_in_force(context, project_id, user_id)


class KeypairAPI:
    """A user's key pairs: list, look up, import, generate and delete, within quota."""

    def get_key_pairs(self, context, user_id, limit=None, marker=None):
        """Sorted by name; ``marker`` is the name to start after (MarkerNotFound)."""
        return keypair_obj.KeyPairList.get_by_user(context, user_id, limit=limit,
                                                   marker=marker)

    def get_key_pair(self, context, user_id, name):
        return keypair_obj.KeyPair.get_by_name(context, user_id, name)  # KeypairNotFound

    def import_key_pair(self, context, user_id, name, public_key, key_type='ssh'):
        """Store a given public key (or certificate); InvalidKeypair if it does not parse."""
        fingerprint = keypair_crypto.fingerprint(key_type, public_key)
        return self._create(context, user_id, name, key_type, public_key, fingerprint)

    def create_key_pair(self, context, user_id, name, key_type='ssh'):
        """Generate a key (an RSA SSH key, or a self-signed certificate for x509):
        (KeyPair, private key PEM). The private key is not stored anywhere."""
        self._check_quota(context, user_id)  # before spending time on the key
        if key_type == 'x509':
            private_key, public_key, fingerprint = keypair_crypto.generate_x509_cert(user_id)
        else:
            private_key, public_key, fingerprint = keypair_crypto.generate_ssh_key_pair()
        keypair = self._create(context, user_id, name, key_type, public_key, fingerprint)
        return keypair, private_key

    def delete_key_pair(self, context, user_id, name):
        keypair_obj.KeyPair.destroy_by_name(context, user_id, name)  # KeypairNotFound

    def _create(self, context, user_id, name, key_type, public_key, fingerprint):
        self._check_quota(context, user_id)
        keypair = keypair_obj.KeyPair(context, name=name, user_id=user_id, type=key_type,
                                      public_key=public_key, fingerprint=fingerprint)
        keypair.create()  # KeyPairExists
        # Two concurrent requests may both have passed the check: count again, and give
        # back ours if together they went over.
        try:
            self._check_quota(context, user_id, delta=0)
        except exception.KeypairLimitExceeded:
            keypair.destroy()
            raise
        return keypair

    @staticmethod
    def _check_quota(context, user_id, delta=1):
        limit = quota_limits(context, context.project_id, user_id)['key_pairs']
        if limit < 0:
            return
        if keypair_obj.KeyPairList.get_count_by_user(context, user_id) + delta > limit:
            raise exception.KeypairLimitExceeded()


# -- hypervisors ----------------------------------------------------------------------------

_STATISTICS_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
                      'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload',
                      'running_vms', 'disk_available_least')

_MAX_DB_ID = 2 ** 31 - 1


class HypervisorAPI:
    """Compute nodes (hypervisors) with their services and instances, and host uptime."""

    def __init__(self):
        self._rpcapi = None

    @property
    def rpcapi(self):
        # Built on first use: the bus is set up after the API app is loaded.
        if self._rpcapi is None:
            self._rpcapi = compute_rpcapi.ComputeAPI()
        return self._rpcapi

    @staticmethod
    def compute_node_get_all(context, limit=None, marker=None, marker_field='id'):
        """Compute nodes by id; a page of ``limit`` after the one whose ``marker_field``
        ('id' or 'uuid') is ``marker`` (MarkerNotFound if none is)."""
        nodes = sorted(compute_node_obj.ComputeNodeList.get_all(context), key=lambda n: n.id)
        if marker is not None:
            positions = [index for index, node in enumerate(nodes)
                         if str(getattr(node, marker_field)) == str(marker)]
            if not positions:
                raise exception.MarkerNotFound(marker=marker)
            nodes = nodes[positions[0] + 1:]
        return nodes if limit is None else nodes[:limit]

    @staticmethod
    def compute_node_get(context, compute_id):
        """A compute node by uuid or integer id; ComputeHostNotFound if there is none."""
        if uuidutils.is_uuid_like(compute_id):
            return compute_node_obj.ComputeNode.get_by_uuid(context, compute_id)
        try:
            numeric_id = int(str(compute_id))
        except ValueError:
            raise exception.ComputeHostNotFound(host=compute_id)
        if not 0 <= numeric_id <= _MAX_DB_ID:
            raise exception.ComputeHostNotFound(host=compute_id)
        return compute_node_obj.ComputeNode.get_by_id(context, numeric_id)

    @staticmethod
    def compute_node_search_by_hypervisor(context, hypervisor_match):
        """Compute nodes whose hypervisor_hostname contains ``hypervisor_match``."""
        return sorted(compute_node_obj.ComputeNodeList.get_by_hypervisor(
            context, hypervisor_match), key=lambda n: n.id)

    @staticmethod
    def service_get_by_compute_host(context, host):
        return service_obj.Service.get_by_compute_host(context, host)  # ComputeHostNotFound

    @staticmethod
    def instance_get_all_by_host(context, host):
        return instance_obj.InstanceList.get_by_host(context, host)

    def compute_node_statistics(self, context):
        """Totals over the compute nodes of enabled compute services."""
        enabled_hosts = {service.host for service in service_obj.ServiceList.get_by_binary(
            context, COMPUTE_BINARY)}
        nodes = [node for node in compute_node_obj.ComputeNodeList.get_all(context)
                 if node.host in enabled_hosts]
        totals = {'count': len(nodes)}
        for field in _STATISTICS_FIELDS:
            totals[field] = sum(getattr(node, field) or 0 for node in nodes)
        return totals

    def get_host_uptime(self, context, host):
        """Ask the host's nova-compute for its uptime line (ComputeHostNotFound without a
        compute service there, ComputeServiceUnavailable when it is down or silent)."""
        import oslo_messaging as messaging

        service = service_obj.Service.get_by_compute_host(context, host)
        if not servicegroup.service_is_up(service):
            raise exception.ComputeServiceUnavailable(host=host)
        try:
            return self.rpcapi.get_host_uptime(context, host)
        except messaging.MessagingTimeout:
            raise exception.ComputeServiceUnavailable(host=host)


# -- instances ---------------------------------------------------------------------------------

MAX_USERDATA_SIZE = 65535
GIB = 1024 ** 3
_RESERVATION_ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789'


class API(move_api.MoveAPIMixin):
    """Instances as the REST API sees them: create, read, update, delete, metadata.

    Creating records the instances (BUILDING/scheduling), a request spec and a 'create'
    action, then hands the rest to conductor; every later step happens on the bus.
    """

    def __init__(self):
        self._compute_task_api = None
        self._compute_rpcapi = None
        self._conductor_api = None
        self.host_api = HostAPI()

    @property
    def compute_task_api(self):
        if self._compute_task_api is None:
            self._compute_task_api = conductor_rpcapi.ComputeTaskAPI()
        return self._compute_task_api

    @property
    def compute_rpcapi(self):
        if self._compute_rpcapi is None:
            self._compute_rpcapi = compute_rpcapi.ComputeAPI()
        return self._compute_rpcapi

    # -- create --------------------------------------------------------------------------

    def check_availability_zone(self, context, zone):
        """AvailabilityZoneNotAvailable (400) unless some compute service is in ``zone``."""
        host_zones = aggregates.host_availability_zones(context.elevated())
        services = objects.ServiceList.get_by_binary(context.elevated(), COMPUTE_BINARY)
        if zone not in {self.host_api.availability_zone(service, host_zones)
                        for service in services}:
            raise exception.AvailabilityZoneNotAvailable()

    def _parse_zone(self, context, availability_zone):
        """(zone, forced host, forced node) of a create's ``availability_zone``: "zone",
        "zone:host", "zone:host:node" or "zone::node" (the API lets only administrators
        name a host or node); a zone no compute service is in is refused."""
        zone, _sep, destination = (availability_zone or '').partition(':')
        host, _sep, node = destination.partition(':')
        if zone:
            self.check_availability_zone(context, zone)
        return zone or None, host or None, node or None

    def create(self, context, flavor, image_href, name=None, description=None,
               key_name=None, metadata=None, user_data=None, availability_zone=None,
               min_count=1, max_count=1, requested_networks=None, security_groups=None,
               config_drive=False, block_device_mapping=None, tags=None, hostname=None,
               scheduler_hints=None, access_ip_v4=None, access_ip_v6=None,
               admin_password=None):
        """Record the instances and start their build: (instances, reservation_id)."""

        min_count, max_count = min_count or 1, max_count or min_count or 1
        if min_count > max_count:
            raise exception.InvalidInput(reason=_('min_count must be <= max_count'))
        image = self._get_image(context, image_href, flavor)
        key_pair = (objects.KeyPair.get_by_name(context, context.user_id, key_name)
                    if key_name else None)
        metadata = dict(metadata or {})
        quota_inputs = quota.InstanceQuotaInputs(context)  # limits and usage: one call
        self._check_metadata_quota(quota_inputs.user_limits, metadata)
        if user_data is not None and len(user_data) > MAX_USERDATA_SIZE:
            raise exception.InstanceUserDataTooLarge(maxsize=MAX_USERDATA_SIZE,
                                                     length=len(user_data))
        availability_zone, forced_host, forced_node = self._parse_zone(context,
                                                                       availability_zone)
        count = quota.allowed_instances(context, flavor, min_count, max_count,
                                        inputs=quota_inputs)
        group = self._requested_group(context, scheduler_hints, count)
        reservation_id = 'r-' + ''.join(random.choice(_RESERVATION_ID_CHARS)
                                        for _i in range(8))
        properties = dict(image.get('properties') or {}) if image else {}
        instances = []
        for index in range(count):
            display_name = name if count == 1 or not name else '%s-%d' % (name, index + 1)
            instance = objects.Instance(
                context, user_id=context.user_id, project_id=context.project_id,
                image_ref=image_href or '', kernel_id=properties.get('kernel_id', ''),
                ramdisk_id=properties.get('ramdisk_id', ''),
                hostname=_hostname(hostname if count == 1 and hostname else display_name,
                                   index if count > 1 and hostname else None),
                launch_index=index, key_name=key_name,
                key_data=key_pair.public_key if key_pair else None,
                power_state=power_state.NOSTATE, vm_state=vm_states.BUILDING,
                task_state=task_states.SCHEDULING, memory_mb=flavor.memory_mb,
                vcpus=flavor.vcpus, root_gb=flavor.root_gb, ephemeral_gb=flavor.ephemeral_gb,
                instance_type_id=flavor.id, flavor=flavor, user_data=user_data,
                reservation_id=reservation_id, availability_zone=availability_zone,
                display_name=display_name, display_description=description,
                metadata=metadata, system_metadata=_image_system_metadata(image),
                config_drive='True' if config_drive else '', access_ip_v4=access_ip_v4,
                access_ip_v6=access_ip_v6, os_type=properties.get('os_type'),
                architecture=properties.get('hw_architecture'), locked=False, progress=0)
            instance.create()  # its 'create' action: conductor's schedule_and_build_instances
            if tags:
                objects.TagList.create(context, instance.uuid, list(tags))
            instances.append(instance)
        if group is not None:
            group.members = objects.InstanceGroup.add_members(
                context, group.uuid, [i.uuid for i in instances])
        request_spec = self._request_spec(context, instances, flavor, image,
                                          availability_zone, scheduler_hints,
                                          security_groups, group, forced_host, forced_node)
        self.compute_task_api.schedule_and_build_instances(
            context, instances, request_spec, image, admin_password, requested_networks,
            block_device_mapping)
        return instances, reservation_id

    @staticmethod
    def _get_image(context, image_href, flavor):
        if not image_href:
            return None
        image = image_api.API().get(context, image_href)  # ImageNotFound
        if image['status'] != 'active':
            raise exception.ImageNotActive(image_id=image_href)
        if flavor.memory_mb < (image.get('min_ram') or 0):
            raise exception.FlavorMemoryTooSmall()
        min_disk_gb = image.get('min_disk') or 0
        if flavor.root_gb and flavor.root_gb < min_disk_gb:
            raise exception.FlavorDiskSmallerThanMinDisk(
                flavor_size=flavor.root_gb * GIB, image_min_disk=min_disk_gb * GIB)
        return image

    @staticmethod
    def _check_metadata_quota(limits, metadata):
        allowed = limits['metadata_items']
        if 0 <= allowed < len(metadata):
            raise exception.MetadataLimitExceeded(allowed=allowed)

    @staticmethod
    def _requested_group(context, scheduler_hints, count):
        """The server group the 'group' hint names, after its member quota check;
        None without the hint. InstanceGroupNotFound for another project's group."""
        group_uuid = (scheduler_hints or {}).get('group')
        if isinstance(group_uuid, list):
            group_uuid = group_uuid[0] if group_uuid else None
        if not group_uuid:
            return None
        group = objects.InstanceGroup.get_by_uuid(context, group_uuid)
        if not context.is_admin and group.project_id != context.project_id:
            raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
        group.members = live_group_members(context, group)
        quota.check_server_group_members(context, group, count)
        return group

    @staticmethod
    def _request_spec(context, instances, flavor, image, availability_zone,
                      scheduler_hints, security_groups, group=None, forced_host=None,
                      forced_node=None):
        hints = {key: value if isinstance(value, list) else [value]
                 for key, value in (scheduler_hints or {}).items()}
        first = None
        for instance in instances:
            spec = objects.RequestSpec(
                context, instance_uuid=instance.uuid, project_id=context.project_id,
                user_id=context.user_id, flavor=flavor,
                image=dict(image.get('properties') or {}, id=image['id'],
                           min_ram=image.get('min_ram') or 0,
                           min_disk=image.get('min_disk') or 0) if image else {},
                num_instances=len(instances), availability_zone=availability_zone,
                scheduler_hints={k: [str(v) for v in vals] for k, vals in hints.items()},
                security_groups=list(security_groups or ['default']),
                instance_group=group.as_spec() if group is not None else None,
                force_hosts=[forced_host] if forced_host else None,
                force_nodes=[forced_node] if forced_node else None)
            spec.create()
            first = first or spec
        return first

    # -- read ----------------------------------------------------------------------------

    def get(self, context, instance_uuid, expected_attrs=None):
        instance = objects.Instance.get_by_uuid(context, instance_uuid,
                                                expected_attrs=expected_attrs)
        if not context.is_admin and instance.project_id != context.project_id:
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return instance

    @staticmethod
    def _list_filters(context, search_opts):
        """The instance filters of a list: only the caller's project unless an admin
        asked for all of them (all_tenants)."""
        filters = dict(search_opts or {})
        if not context.is_admin or not filters.pop('all_tenants', False):
            filters.pop('all_tenants', None)
            filters['project_id'] = filters.get('project_id', context.project_id) \
                if context.is_admin else context.project_id
        return filters

    def get_all(self, context, search_opts, limit=None, marker=None, sort_keys=None,
                sort_dirs=None, expected_attrs=None):
        return objects.InstanceList.get_by_filters(
            context, self._list_filters(context, search_opts), sort_keys=sort_keys,
            sort_dirs=sort_dirs, limit=limit, marker=marker, expected_attrs=expected_attrs)

    @property
    def conductor_api(self):
        if self._conductor_api is None:
            self._conductor_api = conductor_rpcapi.ConductorAPI()
        return self._conductor_api

    def list_servers(self, context, search_opts, limit=None, marker=None, sort_keys=None,
                     sort_dirs=None, detail=True, extras=()):
        """A page of servers as the server list shows them, in one conductor call:
        (ServerRecords, {host: compute service Record}) (see nova.compute.server_records;
        ``extras`` as nova.conductor.server_listing.EXTRAS), or None while the
        conductors are capped below the call ([upgrade_levels] conductor): then use
        get_all and the objects' own lookups. Conductors capped below 1.2 leave out
        ``server_groups``: the records then lack it."""
        filters = self._list_filters(context, search_opts)
        kwargs = dict(limit=limit, marker=marker, sort_keys=sort_keys, sort_dirs=sort_dirs,
                      detail=detail, extras=list(extras))
        if objects_base.NovaObject.indirection_api is None:
            # This process owns the database (nova-all): conductor's code runs here, as
            # remotable object methods do.
            text = server_listing.list_servers(context, filters, **kwargs)
        elif not self.conductor_api.can_list_servers():
            return None
        else:
            if not self.conductor_api.can_list_server_groups():
                kwargs['extras'] = [extra for extra in kwargs['extras']
                                    if extra != server_listing.SERVER_GROUPS]
            text = self.conductor_api.list_servers(context, filters, **kwargs)
        return server_records.read_page(text)

    # -- diagnostics ---------------------------------------------------------------------

    # vm_states in which the instance has a guest on its host to ask.
    DIAGNOSTICS_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED, vm_states.SUSPENDED,
                             vm_states.STOPPED, vm_states.RESCUED, vm_states.RESIZED)

    def _check_diagnosable(self, instance):
        if not instance.host:
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        if instance.vm_state not in self.DIAGNOSTICS_VM_STATES:
            raise exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='vm_state', state=instance.vm_state,
                method='get_diagnostics')

    def get_diagnostics(self, context, instance):
        """The guest's diagnostics in its driver's own shape (before microversion 2.48).

        InstanceNotReady without a host, InstanceInvalidState when the instance (or its
        guest, as its host sees it) is in no state to answer, NotImplementedError when the
        host's driver cannot tell.
        """
        self._check_diagnosable(instance)
        return self.compute_rpcapi.get_diagnostics(context, instance)

    def get_instance_diagnostics(self, context, instance):
        """The guest's standardized diagnostics (from 2.48): a dict, see nova.virt.diagnostics;
        the same errors as get_diagnostics."""
        self._check_diagnosable(instance)
        return self.compute_rpcapi.get_instance_diagnostics(context, instance)

    # -- update --------------------------------------------------------------------------

    def update_instance(self, context, instance, updates):
        for field, value in updates.items():
            setattr(instance, field, value)
        instance.save()
        return instance

    def get_instance_metadata(self, context, instance):
        return dict(instance.metadata)

    def update_instance_metadata(self, context, instance, metadata, delete=False):
        merged = dict(metadata) if delete else dict(instance.metadata, **metadata)
        self._check_metadata_quota(
            quota_limits(context, context.project_id, context.user_id), merged)
        instance.metadata = merged
        instance.save()
        return dict(instance.metadata)

    def delete_instance_metadata(self, context, instance, key):
        if key not in instance.metadata:
            raise exception.NotFound(_('Metadata item was not found'))
        metadata = dict(instance.metadata)
        metadata.pop(key)
        instance.metadata = metadata
        instance.save()

    # -- simple actions: state checks, a task state, an action record, a cast --------------

    @staticmethod
    def _check_lock(context, instance):
        """A locked instance takes actions from administrators only (upstream's rule)."""
        if instance.locked and not context.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)

    @staticmethod
    def _check_state(instance, method, vm_states_allowed=None, task_states_allowed=(None,),
                     must_have_launched=True):
        """InstanceInvalidState unless the instance is in one of the allowed states."""
        if vm_states_allowed is not None and instance.vm_state not in vm_states_allowed:
            raise exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='vm_state', state=instance.vm_state,
                method=method)
        if task_states_allowed is not None and instance.task_state not in task_states_allowed:
            raise exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='task_state', state=instance.task_state,
                method=method)
        if must_have_launched and not instance.launched_at:
            raise exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='launched_at', state=instance.launched_at,
                method=method)

    @staticmethod
    def _check_host(instance):
        if not instance.host:
            raise exception.InstanceNotReady(instance_id=instance.uuid)

    def _start_action(self, context, instance, method, action, task_state, vm_states_allowed,
                      task_states_allowed=(None,), check_lock=True):
        """Check lock and states, set ``task_state`` (atomically: a concurrent request gets
        UnexpectedTaskStateError) and record the instance action."""
        if check_lock:
            self._check_lock(context, instance)
        self._check_state(instance, method, vm_states_allowed, task_states_allowed)
        self._check_host(instance)
        self._start_task(context, instance, task_state, action, task_states_allowed)

    @classmethod
    def _check_lock_and_state(cls, context, instance, method, vm_states_allowed,
                              task_states_allowed=(None,)):
        cls._check_lock(context, instance)
        cls._check_state(instance, method, vm_states_allowed, task_states_allowed)

    @staticmethod
    def _start_task(context, instance, task_state, action, task_states_allowed=(None,)):
        """Move the instance into ``task_state`` if it is still in one of
        ``task_states_allowed`` (a concurrent request gets UnexpectedTaskStateError: 409),
        and record the instance action."""
        if task_state is not None:
            instance.task_state = task_state
            instance.save(expected_task_state=list(task_states_allowed)
                          if task_states_allowed is not None else None)
        objects.InstanceAction.action_start(context, instance.uuid, action, want_result=False)

    def reboot(self, context, instance, reboot_type):
        """'SOFT' from ACTIVE with no task; 'HARD' also from STOPPED, PAUSED, SUSPENDED and
        ERROR, and over a reboot, pause, suspend or resume in progress."""
        if reboot_type == 'SOFT':
            self._start_action(context, instance, 'reboot', 'reboot', task_states.REBOOTING,
                               vm_states.ALLOW_SOFT_REBOOT)
        else:
            self._start_action(context, instance, 'reboot', 'reboot',
                               task_states.REBOOTING_HARD, vm_states.ALLOW_HARD_REBOOT,
                               task_states.ALLOW_REBOOT)
        self.compute_rpcapi.reboot_instance(context, instance, reboot_type)

    def stop(self, context, instance, clean_shutdown=True):
        self._start_action(context, instance, 'stop', 'stop', task_states.POWERING_OFF,
                           (vm_states.ACTIVE, vm_states.ERROR))
        self.compute_rpcapi.stop_instance(context, instance, clean_shutdown=clean_shutdown)

    def force_stop(self, context, instance):
        """Stop from any vm_state (the power state sync's way to stop a guest that runs
        while its server should not)."""
        self._start_action(context, instance, 'stop', 'stop', task_states.POWERING_OFF,
                           None, check_lock=False)
        self.compute_rpcapi.stop_instance(context, instance)

    def start(self, context, instance):
        self._start_action(context, instance, 'start', 'start', task_states.POWERING_ON,
                           (vm_states.STOPPED,))
        self.compute_rpcapi.start_instance(context, instance)

    def pause(self, context, instance):
        self._start_action(context, instance, 'pause', 'pause', task_states.PAUSING,
                           (vm_states.ACTIVE,))
        self.compute_rpcapi.pause_instance(context, instance)

    def unpause(self, context, instance):
        self._start_action(context, instance, 'unpause', 'unpause', task_states.UNPAUSING,
                           (vm_states.PAUSED,))
        self.compute_rpcapi.unpause_instance(context, instance)

    def suspend(self, context, instance):
        self._start_action(context, instance, 'suspend', 'suspend', task_states.SUSPENDING,
                           (vm_states.ACTIVE,))
        self.compute_rpcapi.suspend_instance(context, instance)

    def resume(self, context, instance):
        self._start_action(context, instance, 'resume', 'resume', task_states.RESUMING,
                           (vm_states.SUSPENDED,))
        self.compute_rpcapi.resume_instance(context, instance)

    def rescue(self, context, instance, rescue_password, rescue_image_ref=None):
        if rescue_image_ref:
            image_api.API().get(context, rescue_image_ref)  # ImageNotFound
        self._start_action(context, instance, 'rescue', 'rescue', task_states.RESCUING,
                           (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR))
        self.compute_rpcapi.rescue_instance(context, instance, rescue_password,
                                            rescue_image_ref=rescue_image_ref)

    def unrescue(self, context, instance):
        self._start_action(context, instance, 'unrescue', 'unrescue',
                           task_states.UNRESCUING, (vm_states.RESCUED,))
        self.compute_rpcapi.unrescue_instance(context, instance)

    def set_admin_password(self, context, instance, password):
        """Waits for the host: the driver's refusal (NotImplementedError,
        SetAdminPasswdNotSupported, InstancePasswordSetFailed) comes back to the caller."""
        self._start_action(context, instance, 'changePassword', 'changePassword',
                           task_states.UPDATING_PASSWORD, (vm_states.ACTIVE,))
        self.compute_rpcapi.set_admin_password(context, instance, password)

    def trigger_crash_dump(self, context, instance):
        self._start_action(context, instance, 'trigger_crash_dump', 'trigger_crash_dump',
                           None, (vm_states.ACTIVE, vm_states.PAUSED, vm_states.RESCUED,
                                  vm_states.RESIZED, vm_states.ERROR))
        self.compute_rpcapi.trigger_crash_dump(context, instance)

    def inject_network_info(self, context, instance):
        self._check_host(instance)
        if instance.task_state in (task_states.DELETING, 'migrating'):
            raise exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='task_state', state=instance.task_state,
                method='inject_network_info')
        self.compute_rpcapi.inject_network_info(context, instance)

    def get_console_output(self, context, instance, tail_length=None):
        self._check_host(instance)
        if instance.task_state in (task_states.DELETING, 'migrating'):
            raise exception.InstanceInvalidState(
                instance_uuid=instance.uuid, attr='task_state', state=instance.task_state,
                method='get_console_output')
        return self.compute_rpcapi.get_console_output(context, instance,
                                                      tail_length=tail_length)

    def lock(self, context, instance, reason=None):
        """Lock for everyone but administrators; ``locked_by`` says whether the owner or an
        administrator of another project locked it (only they, or an admin override,
        unlock)."""
        owner = instance.project_id == context.project_id
        instance.locked = True
        instance.locked_by = 'owner' if owner else 'admin'
        if reason:
            instance.system_metadata = dict(instance.system_metadata, locked_reason=reason)
        instance.save()
        objects.InstanceAction.action_start(context, instance.uuid, 'lock', want_result=False)
        compute_utils.notify_about_instance_usage(context, instance, 'lock')

    def unlock(self, context, instance):
        instance.locked = False
        instance.locked_by = None
        if 'locked_reason' in instance.system_metadata:
            metadata = dict(instance.system_metadata)
            metadata.pop('locked_reason')
            instance.system_metadata = metadata
        instance.save()
        objects.InstanceAction.action_start(context, instance.uuid, 'unlock',
                                            want_result=False)
        compute_utils.notify_about_instance_usage(context, instance, 'unlock')

    @staticmethod
    def is_expected_locked_by(context, instance):
        """False when someone other than the caller's side (owner or admin) locked it."""
        expected = 'owner' if instance.project_id == context.project_id else 'admin'
        return not instance.locked_by or instance.locked_by == expected

    def reset_state(self, context, instance, vm_state):
        """os-resetState: set vm_state (active or error) and clear the task state."""
        objects.InstanceAction.action_start(context, instance.uuid, 'resetState',
                                            want_result=False)
        instance.vm_state = vm_state
        instance.task_state = None
        instance.save()
        objects.InstanceAction.action_finish(context, instance.uuid, want_result=False)

    def restore(self, context, instance):
        """Bring a SOFT_DELETED instance back. Soft-deleted instances keep counting
        against the quota here (the usage counts every instance not yet deleted), so
        restoring one never needs room the project does not already hold."""
        self._check_lock(context, instance)
        self._check_state(instance, 'restore', (vm_states.SOFT_DELETED,))
        if not instance.host:
            instance.vm_state = vm_states.ACTIVE
            instance.task_state = None
            instance.deleted_at = None
            instance.save(expected_task_state=[None])
            return
        instance.task_state = task_states.RESTORING
        instance.deleted_at = None
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, 'restore',
                                            want_result=False)
        self.compute_rpcapi.restore_instance(context, instance)

    # -- delete --------------------------------------------------------------------------

    def delete(self, context, instance):
        """Delete, or soft-delete when [DEFAULT] reclaim_instance_interval is set and the
        instance ever ran on a host that is up (the others have nothing to keep)."""
        if CONF.reclaim_instance_interval > 0 and instance.launched_at and instance.host \
                and instance.vm_state != vm_states.SOFT_DELETED and self._host_is_up(
                    context, instance.host):
            try:
                self.soft_delete(context, instance)
                return
            except exception.InstanceIsLocked:
                raise
            except exception.InstanceInvalidState:
                pass  # in the middle of a task: nothing to keep, delete it (as upstream)
        self._delete(context, instance, 'delete')

    @staticmethod
    def _host_is_up(context, host):
        service = objects.Service.get_by_host_and_binary(context, host, COMPUTE_BINARY)
        return service is not None and servicegroup.service_is_up(service)

    def soft_delete(self, context, instance):
        self._check_lock(context, instance)
        self._check_state(instance, 'soft_delete', None, (None,))
        instance.task_state = task_states.SOFT_DELETING
        instance.deleted_at = timeutils.utcnow()
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, 'delete',
                                            want_result=False)
        self.compute_rpcapi.soft_delete_instance(context, instance)

    def force_delete(self, context, instance):
        self._delete(context, instance, 'forceDelete')

    def _delete(self, context, instance, action):
        """Hand the instance to its compute host for deletion, or delete it here when it
        never reached one or its host is down."""
        if instance.locked and not context.is_admin:
            raise exception.InstanceInvalidState(instance_uuid=instance.uuid,
                                                 attr='locked', state='True', method=action)
        expected = [None, task_states.SCHEDULING, task_states.NETWORKING,
                    task_states.BLOCK_DEVICE_MAPPING, task_states.SPAWNING,
                    # A rebuild, snapshot or shelving in progress does not block a delete:
                    # its host notices and cleans up (the image included).
                    task_states.REBUILDING, task_states.REBUILD_BLOCK_DEVICE_MAPPING,
                    task_states.REBUILD_SPAWNING, task_states.IMAGE_SNAPSHOT,
                    task_states.IMAGE_SNAPSHOT_PENDING, task_states.IMAGE_PENDING_UPLOAD,
                    task_states.IMAGE_UPLOADING, task_states.IMAGE_BACKUP,
                    task_states.SHELVING, task_states.SHELVING_IMAGE_PENDING_UPLOAD,
                    task_states.SHELVING_IMAGE_UPLOADING, task_states.SHELVING_OFFLOADING,
                    task_states.UNSHELVING]
        instance.task_state = task_states.DELETING
        instance.save(expected_task_state=expected)  # UnexpectedTaskStateError: 409
        objects.InstanceAction.action_start(context, instance.uuid, action, want_result=False)
        if instance.vm_state in (vm_states.SHELVED, vm_states.SHELVED_OFFLOADED):
            # The shelved snapshot dies with the instance, as upstream's does.
            shelved_image_id = instance.system_metadata.get('shelved_image_id')
            if shelved_image_id:
                self._delete_image_quietly(context, shelved_image_id)
        service = (objects.Service.get_by_host_and_binary(context, instance.host,
                                                          COMPUTE_BINARY)
                   if instance.host else None)
        if service is not None and servicegroup.service_is_up(service):
            self.compute_rpcapi.terminate_instance(context, instance, instance.host)
            return
        # Never placed, or its host is down: nothing on a hypervisor to clean up here.
        instance.vm_state = vm_states.DELETED
        instance.task_state = None
        instance.save(expected_task_state=task_states.DELETING)
        instance.destroy()
        if instance.host:
            node = objects.ComputeNode.get_by_host_and_nodename(context, instance.host,
                                                                instance.node)
            resource_tracker.ResourceTracker.recount_usage(context, node)

    # -- rebuild, snapshots, backups, shelving ---------------------------------------------

    REBUILD_VM_STATES = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR)

    def rebuild(self, context, instance, image_href, admin_password, files_to_inject=None,
                **changes):
        """Rebuild the instance on its host from ``image_href``.

        ``changes`` (each only when given): display_name, display_description, metadata
        (replaces), access_ip_v4, access_ip_v6, key_name (None: no key), user_data (None:
        none), hostname, auto_disk_config, preserve_ephemeral. The image is checked as a
        boot checks it, against the instance's flavor.
        """
        self._check_lock_and_state(context, instance, 'rebuild', self.REBUILD_VM_STATES)
        if not instance.host:
            # A build that failed before placement: no host to rebuild on.
            raise exception.InstanceNotReady(instance_id=instance.uuid)
        image = self._get_image(context, image_href, instance.flavor)
        limits = quota_limits(context, context.project_id, context.user_id)
        if 'metadata' in changes:
            self._check_metadata_quota(limits, changes['metadata'] or {})
        files_to_inject = list(files_to_inject or [])
        allowed_files = limits.get('injected_files', -1)
        if 0 <= allowed_files < len(files_to_inject):
            raise exception.OnsetFileLimitExceeded()
        preserve_ephemeral = bool(changes.pop('preserve_ephemeral', False))
        if 'key_name' in changes:
            key_name = changes['key_name']
            key_pair = (objects.KeyPair.get_by_name(context, instance.user_id, key_name)
                        if key_name else None)  # KeypairNotFound
            changes['key_data'] = key_pair.public_key if key_pair else None
        user_data = changes.get('user_data')
        if user_data is not None and len(user_data) > MAX_USERDATA_SIZE:
            raise exception.InstanceUserDataTooLarge(maxsize=MAX_USERDATA_SIZE,
                                                     length=len(user_data))
        for field, value in changes.items():
            setattr(instance, field, value)
        properties = dict(image.get('properties') or {})
        instance.image_ref = image_href
        instance.kernel_id = properties.get('kernel_id', '')
        instance.ramdisk_id = properties.get('ramdisk_id', '')
        instance.os_type = properties.get('os_type')
        system_metadata = {key: value for key, value in instance.system_metadata.items()
                           if not key.startswith('image_')}
        system_metadata.update(_image_system_metadata(image))
        instance.system_metadata = system_metadata
        instance.progress = 0
        self._start_task(context, instance, task_states.REBUILDING, 'rebuild')
        self.compute_rpcapi.rebuild_instance(
            context, instance, image=image, admin_password=admin_password,
            injected_files=files_to_inject, preserve_ephemeral=preserve_ephemeral)
        return instance

    SNAPSHOT_VM_STATES = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                          vm_states.SUSPENDED)

    def snapshot(self, context, instance, name, extra_properties=None):
        """createImage: a queued image that the instance's host fills; returns the image."""
        self._check_lock_and_state(context, instance, 'createImage', self.SNAPSHOT_VM_STATES)
        self._check_image_properties_quota(context, extra_properties)
        image = self._create_instance_image(context, instance, name, 'snapshot',
                                            extra_properties)
        try:
            self._start_task(context, instance, task_states.IMAGE_SNAPSHOT, 'createImage')
        except Exception:
            self._delete_image_quietly(context, image['id'])
            raise
        self.compute_rpcapi.snapshot_instance(context, instance, image['id'])
        return image

    def backup(self, context, instance, name, backup_type, rotation, extra_properties=None):
        """createBackup: a snapshot typed as a backup; the host then deletes the oldest
        backups of that type beyond ``rotation``. Returns the image."""
        self._check_lock_and_state(context, instance, 'createBackup', self.SNAPSHOT_VM_STATES)
        self._check_image_properties_quota(context, extra_properties)
        properties = dict(extra_properties or {}, backup_type=backup_type)
        image = self._create_instance_image(context, instance, name, 'backup', properties)
        try:
            self._start_task(context, instance, task_states.IMAGE_BACKUP, 'createBackup')
        except Exception:
            self._delete_image_quietly(context, image['id'])
            raise
        self.compute_rpcapi.backup_instance(context, instance, image['id'], backup_type,
                                            rotation)
        return image

    @staticmethod
    def _check_image_properties_quota(context, properties):
        allowed = quota_limits(context, context.project_id, context.user_id)['metadata_items']
        if 0 <= allowed < len(properties or {}):
            raise exception.MetadataLimitExceeded(allowed=allowed)

    @staticmethod
    def _create_instance_image(context, instance, name, image_type, extra_properties=None):
        """The image record a snapshot, backup or shelve fills, with upstream's
        properties: the instance's image properties, instance_uuid, user_id, image_type,
        base_image_ref, then ``extra_properties``."""
        values = {'name': name, 'visibility': 'private'}
        properties = {}
        # An admin's image of another project's server is shared with that project, so
        # its owner can use it (upstream's rule); the owner's own images are private.
        shared_with = None
        if context.project_id != instance.project_id:
            values['visibility'] = 'shared'
            shared_with = properties['instance_owner'] = instance.project_id
        for key, value in instance.system_metadata.items():
            if not key.startswith('image_') or value is None:
                continue
            key = key[len('image_'):]
            if key in ('min_ram', 'min_disk'):
                values[key] = int(value)
            elif key in ('disk_format', 'container_format'):
                # A snapshot's format is the driver's to say when it uploads.
                if image_type != 'snapshot':
                    values[key] = value
            elif key not in image_api.CORE_ATTRIBUTES:
                properties[key] = value
        properties.update({'instance_uuid': instance.uuid, 'user_id': str(context.user_id),
                           'image_type': image_type})
        base_image_ref = instance.system_metadata.get('image_base_image_ref') or \
            instance.image_ref
        if base_image_ref:
            properties['base_image_ref'] = base_image_ref
        properties.update({key: str(value) for key, value in
                           (extra_properties or {}).items()})
        images = image_api.API()
        image = images.create(context, values, properties=properties)
        if shared_with:
            images.add_member(context, image['id'], shared_with)
        return image

    @staticmethod
    def _delete_image_quietly(context, image_id):
        try:
            image_api.API().delete(context, image_id)
        except exception.NovaException:
            pass

    SHELVE_VM_STATES = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                        vm_states.SUSPENDED)

    def shelve(self, context, instance, clean_shutdown=True):
        """Snapshot the instance into '<name>-shelved' and stop it; its host offloads it
        as [DEFAULT] shelved_offload_time says."""
        self._check_lock_and_state(context, instance, 'shelve', self.SHELVE_VM_STATES)
        image = self._create_instance_image(context, instance,
                                            '%s-shelved' % instance.display_name,
                                            'snapshot')
        try:
            self._start_task(context, instance, task_states.SHELVING, 'shelve')
        except Exception:
            self._delete_image_quietly(context, image['id'])
            raise
        self.compute_rpcapi.shelve_instance(context, instance, image['id'],
                                            clean_shutdown=clean_shutdown)

    def shelve_offload(self, context, instance, clean_shutdown=True):
        """Free the host of a shelved instance (SHELVED_OFFLOADED, no host)."""
        self._check_lock_and_state(context, instance, 'shelveOffload', (vm_states.SHELVED,))
        self._start_task(context, instance, task_states.SHELVING_OFFLOADING, 'shelveOffload')
        self.compute_rpcapi.shelve_offload_instance(context, instance,
                                                    clean_shutdown=clean_shutdown)

    UNSET = object()

    @staticmethod
    def _unshelve_request_spec(context, instance):
        """The instance's request spec; one made from the instance if it has none (an
        instance recorded without the API), so it can still be placed."""
        try:
            return objects.RequestSpec.get_by_instance_uuid(context, instance.uuid)
        except exception.RequestSpecNotFound:
            spec = objects.RequestSpec(
                context, instance_uuid=instance.uuid, project_id=instance.project_id,
                user_id=instance.user_id, flavor=instance.flavor, image={},
                num_instances=1, availability_zone=instance.availability_zone,
                scheduler_hints={}, security_groups=['default'])
            spec.create()
            return spec

    def unshelve(self, context, instance, new_az=UNSET, host=None):
        """Bring a shelved instance back: on its host when SHELVED; through the scheduler
        when SHELVED_OFFLOADED, into ``new_az`` (None: unpin) or onto ``host`` if given."""
        self._check_lock_and_state(context, instance, 'unshelve',
                          (vm_states.SHELVED, vm_states.SHELVED_OFFLOADED))
        offloaded = instance.vm_state == vm_states.SHELVED_OFFLOADED
        if (new_az is not self.UNSET or host) and not offloaded:
            raise exception.UnshelveInstanceInvalidState(
                state=instance.vm_state, instance_uuid=instance.uuid)
        if new_az not in (self.UNSET, None):
            self.check_availability_zone(context, new_az)
        if host:
            service = objects.Service.get_by_compute_host(context, host)  # ComputeHost...
            if new_az not in (self.UNSET, None) and \
                    self.host_api.availability_zone(service) != new_az:
                raise exception.UnshelveHostNotInAZ(host=host, availability_zone=new_az)
        request_spec = None
        if offloaded:
            request_spec = self._unshelve_request_spec(context, instance)
            if new_az is not self.UNSET:
                request_spec.availability_zone = new_az
                instance.availability_zone = new_az
            request_spec.ignore_hosts = None
            request_spec.retry = None
            request_spec.requested_destination = None
            request_spec.save()
            # For this placement only: a stored destination would bind later moves too.
            request_spec.requested_destination = {'host': host} if host else None
        self._start_task(context, instance, task_states.UNSHELVING, 'unshelve')
        self.compute_task_api.unshelve_instance(context, instance, request_spec)



def live_group_members(context, group):
    """The group's members that are instances not deleted (deleted ones leave it)."""
    if not group.members:
        return []
    live = objects.InstanceList.get_by_filters(
        context.elevated(), {'uuid': list(group.members), 'deleted': False})
    uuids = {instance.uuid for instance in live}
    return [uuid for uuid in group.members if uuid in uuids]


def _hostname(name, index=None):
    """An RFC 952/1123 host name from a display name (upstream's sanitising rules)."""
    hostname = re.sub(r'[^\w.-]+', '', (name or '').replace(' ', '-').lower())
    hostname = re.sub(r'[_.]', '-', hostname).strip('-')[:63] or 'server'
    return hostname if index is None else '%s-%d' % (hostname[:59], index + 1)


def _image_system_metadata(image):
    """image_* system metadata: the image properties the instance was built from."""
    if not image:
        return {}
    values = {'image_%s' % key: str(value)
              for key, value in (image.get('properties') or {}).items()
              if value is not None}
    for key in ('min_ram', 'min_disk', 'disk_format', 'container_format'):
        if image.get(key) is not None:
            values['image_%s' % key] = str(image[key])
    return values
