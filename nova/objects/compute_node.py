"""ComputeNode: one hypervisor managed by a nova-compute service, with its resources."""

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from nova import exception
from nova.db.main import api as db
from nova.objects import base
from nova.objects import fields


@base.NovaObjectRegistry.register
class ComputeNode(base.NovaPersistentObject, base.NovaObject):
    # 1.1: claim_for_migration
    VERSION = '1.1'

    fields = {
        'id': fields.IntegerField(),
        'uuid': fields.UUIDField(),
        'service_id': fields.IntegerField(nullable=True),
        'host': fields.StringField(nullable=True),
        'vcpus': fields.IntegerField(),
        'memory_mb': fields.IntegerField(),
        'local_gb': fields.IntegerField(),
        'vcpus_used': fields.IntegerField(),
        'memory_mb_used': fields.IntegerField(),
        'local_gb_used': fields.IntegerField(),
        'hypervisor_type': fields.StringField(),
        'hypervisor_version': fields.IntegerField(),
        'hypervisor_hostname': fields.StringField(nullable=True),
        'free_ram_mb': fields.IntegerField(nullable=True),
        'free_disk_gb': fields.IntegerField(nullable=True),
        'current_workload': fields.IntegerField(nullable=True),
        'running_vms': fields.IntegerField(nullable=True),
        'cpu_info': fields.StringField(nullable=True),
        'disk_available_least': fields.IntegerField(nullable=True),
        'host_ip': fields.IPAddressField(nullable=True),
        'stats': fields.DictOfNullableStringsField(nullable=True),
        'cpu_allocation_ratio': fields.FloatField(nullable=True),
        'ram_allocation_ratio': fields.FloatField(nullable=True),
        'disk_allocation_ratio': fields.FloatField(nullable=True),
        'mapped': fields.IntegerField(),
    }

    @staticmethod
    def _from_db_object(context, compute, db_compute):
        for name in compute.fields:
            value = db_compute[name]
            if name == 'stats':
                value = jsonutils.loads(value) if value else {}
            elif name == 'deleted':
                value = bool(value)
            elif name == 'mapped':
                value = value or 0
            setattr(compute, name, value)
        compute._context = context
        compute.obj_reset_changes()
        return compute

    @staticmethod
    def _to_db_values(updates):
        """Object values -> column values (stats as JSON, the address as text)."""
        values = dict(updates)
        if 'stats' in values:
            values['stats'] = jsonutils.dumps(values['stats'] or {})
        if values.get('host_ip') is not None:
            values['host_ip'] = str(values['host_ip'])
        # An empty cpu_info would violate NOT NULL; '{}' is what drivers report for "none".
        if 'cpu_info' in values and values['cpu_info'] is None:
            values['cpu_info'] = '{}'
        return values

    @classmethod
    @base.remotable
    def get_by_id(cls, context, compute_id):
        return cls._from_db_object(context, cls(), db.compute_node_get(context, compute_id))

    @classmethod
    @base.remotable
    def get_by_uuid(cls, context, compute_uuid):
        return cls._from_db_object(context, cls(),
                                   db.compute_node_get_by_uuid(context, compute_uuid))

    @classmethod
    @base.remotable
    def get_by_host_and_nodename(cls, context, host, nodename):
        return cls._from_db_object(context, cls(), db.compute_node_get_by_host_and_nodename(
            context, host, nodename))

    @base.remotable
    def create(self):
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create', reason='already created')
        if not self.obj_attr_is_set('uuid'):
            self.uuid = uuidutils.generate_uuid()
        if not self.obj_attr_is_set('mapped'):
            self.mapped = 0
        values = self._to_db_values(self.obj_get_changes())
        self._from_db_object(self._context, self, db.compute_node_create(self._context, values))

    @base.remotable
    def save(self):
        updates = self.obj_get_changes()
        updates.pop('id', None)
        if not updates:
            return
        db_compute = db.compute_node_update(self._context, self.id, self._to_db_values(updates))
        self._from_db_object(self._context, self, db_compute)

    @base.remotable
    def destroy(self):
        db.compute_node_delete(self._context, self.id)
        self._mark_deleted()


    # -- scheduler claims: remotable, so they run in conductor in distributed mode ----------

    @classmethod
    @base.remotable
    def claim_for_instance(cls, context, compute_uuid, instance_uuid, vcpus, memory_mb,
                           disk_gb):
        """Atomically place the unplaced instance on the node if its size fits there.

        True when placed (the node's usage grew and the instance's host, node and
        launched_on are set, in one transaction); False (nothing changed) when the node has
        no room.
        """
        return db.compute_node_claim_for_instance(context, compute_uuid, instance_uuid,
                                                  vcpus, memory_mb, disk_gb)

    @classmethod
    @base.remotable
    def claim_for_migration(cls, context, compute_uuid, migration_uuid, vcpus, memory_mb,
                            disk_gb):
        """A move claim: atomically add the size to the node's usage and make the node the
        destination of the in-progress migration, if the size fits; False (nothing changed)
        when it does not. The usage recount counts the move from then on."""
        return db.compute_node_claim_for_migration(context, compute_uuid, migration_uuid,
                                                   vcpus, memory_mb, disk_gb)

    @classmethod
    @base.remotable
    def unclaim_for_instance(cls, context, compute_uuid, instance_uuid, vcpus, memory_mb,
                             disk_gb):
        """Undo a claim: give the size back and clear the instance's host and node, in one
        transaction. False (nothing changed) when the instance is not on that node."""
        return db.compute_node_unclaim_for_instance(context, compute_uuid, instance_uuid,
                                                    vcpus, memory_mb, disk_gb)

    @base.remotable
    def update_usage_from_instances(self, reserved_memory_mb, reserved_disk_gb,
                                    idle_vm_states):
        """Recount the usage columns from the instances on the node under the node's row
        lock (so no concurrent claim is lost) and refresh this object from the result."""
        db_compute = db.compute_node_update_usage(self._context, self.id, reserved_memory_mb,
                                                  reserved_disk_gb, list(idle_vm_states))
        self._from_db_object(self._context, self, db_compute)


@base.NovaObjectRegistry.register
class ComputeNodeList(base.ObjectListBase, base.NovaObject):
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('ComputeNode'),
    }

    @classmethod
    @base.remotable
    def get_all(cls, context):
        return cls._from_rows(context, db.compute_node_get_all(context))

    @classmethod
    @base.remotable
    def get_all_by_host(cls, context, host):
        """The host's compute nodes; ComputeHostNotFound when it has none."""
        return cls._from_rows(context, db.compute_node_get_all_by_host(context, host))

    @classmethod
    @base.remotable
    def get_by_hypervisor(cls, context, hypervisor_match):
        """Compute nodes whose hypervisor_hostname contains ``hypervisor_match``."""
        return cls._from_rows(context, db.compute_node_search_by_hypervisor(
            context, hypervisor_match))
