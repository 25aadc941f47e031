"""What the REST API asks of the compute layer.

``HostAPI`` covers services, ``KeypairAPI`` key pairs, ``API`` instances. Everything goes
through objects, so in nova-api it runs in conductor over RPC.
"""

import random
import re

from oslo_utils import uuidutils

from nova import exception
from nova import objects
from nova import servicegroup
from nova.compute import keypairs as keypair_crypto
from nova.compute import power_state
from nova.compute import resource_tracker
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import vm_states
from nova.conductor import rpcapi as conductor_rpcapi
import nova.conf
from nova.i18n import _
from nova.image import api as image_api
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
    def availability_zone(service):
        """The zone a service is shown in (host aggregates will refine this for computes)."""
        if service.binary == COMPUTE_BINARY:
            return CONF.default_availability_zone
        return CONF.internal_service_availability_zone


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


class API:
    """Instances as the REST API sees them: create, read, update, delete, metadata.

    Creating records the instances (BUILDING/scheduling), a request spec and a 'create'
    action, then hands the rest to conductor; every later step happens on the bus.
    """

    def __init__(self):
        self._compute_task_api = None
        self._compute_rpcapi = None
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
        limits = quota_limits(context, context.project_id, context.user_id)
        self._check_metadata_quota(limits, metadata)
        if user_data is not None and len(user_data) > MAX_USERDATA_SIZE:
            raise exception.InstanceUserDataTooLarge(maxsize=MAX_USERDATA_SIZE,
                                                     length=len(user_data))
        count = self._allowed_count(context, limits, flavor, min_count, max_count)
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
            instance.create()
            objects.InstanceAction.action_start(context, instance.uuid, 'create',
                                                want_result=False)
            if tags:
                objects.TagList.create(context, instance.uuid, list(tags))
            instances.append(instance)
        request_spec = self._request_spec(context, instances, flavor, image,
                                          availability_zone, scheduler_hints,
                                          security_groups)
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
    def _allowed_count(context, limits, flavor, min_count, max_count):
        """How many of max_count instances fit the quotas; TooManyInstances if not even
        min_count do."""
        usage = objects.InstanceList.get_counts(context, context.project_id,
                                                context.user_id)['project']
        per_instance = {'instances': 1, 'cores': flavor.vcpus, 'ram': flavor.memory_mb}
        allowed = max_count
        for resource, size in per_instance.items():
            limit = limits.get(resource, -1)
            if limit < 0 or size == 0:
                continue
            allowed = min(allowed, (limit - usage[resource]) // size)
        if allowed >= min_count:
            return allowed
        overs = sorted(r for r, size in per_instance.items()
                       if limits.get(r, -1) >= 0 and size and
                       usage[r] + size * min_count > limits[r])
        first = overs[0]
        raise exception.TooManyInstances(
            overs=', '.join(overs), req=per_instance[first] * min_count,
            used=usage[first], allowed=limits[first])

    @staticmethod
    def _request_spec(context, instances, flavor, image, availability_zone,
                      scheduler_hints, security_groups):
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
                security_groups=list(security_groups or ['default']))
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

    def get_all(self, context, search_opts, limit=None, marker=None, sort_keys=None,
                sort_dirs=None, expected_attrs=None):
        filters = dict(search_opts or {})
        if not context.is_admin or not filters.pop('all_tenants', False):
            filters.pop('all_tenants', None)
            filters['project_id'] = filters.get('project_id', context.project_id) \
                if context.is_admin else context.project_id
        return objects.InstanceList.get_by_filters(
            context, filters, sort_keys=sort_keys, sort_dirs=sort_dirs, limit=limit,
            marker=marker, expected_attrs=expected_attrs)

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

    # -- delete --------------------------------------------------------------------------

    def delete(self, context, instance):
        self._delete(context, instance, 'delete')

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

    @staticmethod
    def _check_state(context, instance, method, vm_states_allowed, task_states_allowed=(None,)):
        """InstanceInvalidState (409) unless the instance may do ``method`` now: not locked
        (admins excepted), in one of the vm states, and in one of the task states."""
        if instance.locked and not context.is_admin:
            raise exception.InstanceInvalidState(instance_uuid=instance.uuid,
                                                 attr='locked', state='True', method=method)
        if instance.vm_state not in vm_states_allowed:
            raise exception.InstanceInvalidState(instance_uuid=instance.uuid,
                                                 attr='vm_state', state=instance.vm_state,
                                                 method=method)
        if instance.task_state not in task_states_allowed:
            raise exception.InstanceInvalidState(instance_uuid=instance.uuid,
                                                 attr='task_state',
                                                 state=instance.task_state, method=method)

    def _start_task(self, context, instance, task_state, action):
        """Move the instance into ``task_state`` if no other task got there first
        (UnexpectedTaskStateError: 409), and record the instance action."""
        instance.task_state = task_state
        instance.save(expected_task_state=[None])
        objects.InstanceAction.action_start(context, instance.uuid, action,
                                            want_result=False)

    REBUILD_VM_STATES = (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR)

    def rebuild(self, context, instance, image_href, admin_password, files_to_inject=None,
                **changes):
        """Rebuild the instance on its host from ``image_href``.

        ``changes`` (each only when given): display_name, display_description, metadata
        (replaces), access_ip_v4, access_ip_v6, key_name (None: no key), user_data (None:
        none), hostname, auto_disk_config, preserve_ephemeral. The image is checked as a
        boot checks it, against the instance's flavor.
        """
        self._check_state(context, instance, 'rebuild', self.REBUILD_VM_STATES)
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
        self._check_state(context, instance, 'createImage', self.SNAPSHOT_VM_STATES)
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
        self._check_state(context, instance, 'createBackup', self.SNAPSHOT_VM_STATES)
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
        self._check_state(context, instance, 'shelve', self.SHELVE_VM_STATES)
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
        self._check_state(context, instance, 'shelveOffload', (vm_states.SHELVED,))
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
        self._check_state(context, instance, 'unshelve',
                          (vm_states.SHELVED, vm_states.SHELVED_OFFLOADED))
        offloaded = instance.vm_state == vm_states.SHELVED_OFFLOADED
        if (new_az is not self.UNSET or host) and not offloaded:
            raise exception.UnshelveInstanceInvalidState(
                state=instance.vm_state, instance_uuid=instance.uuid)
        if new_az not in (self.UNSET, None):
            zones = {self.host_api.availability_zone(service) for service in
                     objects.ServiceList.get_by_binary(context, COMPUTE_BINARY)}
            if new_az not in zones:
                raise exception.InvalidInput(
                    reason=_('The requested availability zone is not available'))
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
