"""SQLAlchemy models of the main (cell) database.

Table and column names follow upstream Nova so operators' tooling and knowledge carry over.
Types are chosen to behave the same on SQLite, PostgreSQL and MariaDB: IP addresses and CIDRs
are plain strings (no PostgreSQL INET), enums are strings checked by the objects, and long
texts become MEDIUMTEXT on MySQL only.

Soft delete: ``deleted`` is 0 for a live row and the row's own id once deleted, so unique
constraints that include ``deleted`` allow any number of deleted duplicates but one live row.
Unique constraints are named ``uniq_<table>0<col>0<col>`` because oslo.db reads the duplicate
columns from that name on PostgreSQL and MySQL.

Every table here must also be created by the alembic revisions in ``migrations/versions``;
``tests/unit/db/test_migrations.py`` compares the two on all three backends.
"""

from oslo_db.sqlalchemy import models as oslo_models
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import mysql

# Lengths of address columns: an IPv6 address in text form, and one with a /128 prefix.
IP_LENGTH = 39
CIDR_LENGTH = 43


def MediumText():
    """TEXT everywhere, MEDIUMTEXT on MySQL (whose TEXT stops at 64 KiB)."""
    return sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')


def Double():
    """A double-precision float (MySQL's FLOAT would be single precision)."""
    return sa.Double()


class BASE(orm.DeclarativeBase):
    """Declarative base of the main database; ``BASE.metadata`` holds every table."""


class NovaBase(oslo_models.ModelBase):
    """Row helpers (``row['col']``, ``update()``) plus created/updated timestamps."""

    created_at = sa.Column(sa.DateTime, default=lambda: timeutils.utcnow())
    updated_at = sa.Column(sa.DateTime, onupdate=lambda: timeutils.utcnow())


class SoftDelete:
    deleted_at = sa.Column(sa.DateTime)
    deleted = sa.Column(sa.Integer, nullable=False, default=0)


def _id():
    return orm.mapped_column(sa.Integer, primary_key=True, autoincrement=True)


def _instance_fk(nullable=True):
    return orm.mapped_column(sa.String(36), sa.ForeignKey('instances.uuid'),
                             nullable=nullable)


# -- hosts ---------------------------------------------------------------------------------

class Service(BASE, NovaBase, SoftDelete):
    """A nova daemon on a host, with its heartbeat."""

    __tablename__ = 'services'
    __table_args__ = (
        sa.UniqueConstraint('host', 'topic', 'deleted', name='uniq_services0host0topic0deleted'),
        sa.UniqueConstraint('host', 'binary', 'deleted',
                            name='uniq_services0host0binary0deleted'),
        sa.UniqueConstraint('uuid', name='uniq_services0uuid'),
    )

    id = _id()
    uuid = orm.mapped_column(sa.String(36))
    host = orm.mapped_column(sa.String(255))
    binary = orm.mapped_column(sa.String(255))
    topic = orm.mapped_column(sa.String(255))
    report_count = orm.mapped_column(sa.Integer, nullable=False, default=0)
    disabled = orm.mapped_column(sa.Boolean, default=False)
    disabled_reason = orm.mapped_column(sa.String(255))
    last_seen_up = orm.mapped_column(sa.DateTime)
    forced_down = orm.mapped_column(sa.Boolean, default=False)
    version = orm.mapped_column(sa.Integer, default=0)


class ComputeNode(BASE, NovaBase, SoftDelete):
    """A hypervisor (node) managed by a nova-compute service, with its resources."""

    __tablename__ = 'compute_nodes'
    __table_args__ = (
        sa.UniqueConstraint('host', 'hypervisor_hostname', 'deleted',
                            name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
        sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'),
    )

    id = _id()
    uuid = orm.mapped_column(sa.String(36))
    service_id = orm.mapped_column(sa.Integer)
    host = orm.mapped_column(sa.String(255))
    vcpus = orm.mapped_column(sa.Integer, nullable=False)
    memory_mb = orm.mapped_column(sa.Integer, nullable=False)
    local_gb = orm.mapped_column(sa.Integer, nullable=False)
    vcpus_used = orm.mapped_column(sa.Integer, nullable=False)
    memory_mb_used = orm.mapped_column(sa.Integer, nullable=False)
    local_gb_used = orm.mapped_column(sa.Integer, nullable=False)
    hypervisor_type = orm.mapped_column(MediumText(), nullable=False)
    hypervisor_version = orm.mapped_column(sa.Integer, nullable=False)
    hypervisor_hostname = orm.mapped_column(sa.String(255))
    free_ram_mb = orm.mapped_column(sa.Integer)
    free_disk_gb = orm.mapped_column(sa.Integer)
    current_workload = orm.mapped_column(sa.Integer)
    running_vms = orm.mapped_column(sa.Integer)
    cpu_info = orm.mapped_column(MediumText(), nullable=False)
    disk_available_least = orm.mapped_column(sa.Integer)
    host_ip = orm.mapped_column(sa.String(IP_LENGTH))
    supported_instances = orm.mapped_column(sa.Text)
    metrics = orm.mapped_column(sa.Text)
    pci_stats = orm.mapped_column(sa.Text)
    extra_resources = orm.mapped_column(sa.Text)
    stats = orm.mapped_column(sa.Text, default='{}')  # JSON dict of strings
    numa_topology = orm.mapped_column(sa.Text)
    cpu_allocation_ratio = orm.mapped_column(Double())
    ram_allocation_ratio = orm.mapped_column(Double())
    disk_allocation_ratio = orm.mapped_column(Double())
    mapped = orm.mapped_column(sa.Integer, default=0)


# -- instances -----------------------------------------------------------------------------

class Instance(BASE, NovaBase, SoftDelete):
    """A guest. Its metadata, extras and network cache live in child tables."""

    __tablename__ = 'instances'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
        sa.Index('instances_project_id_deleted_idx', 'project_id', 'deleted'),
        sa.Index('instances_reservation_id_idx', 'reservation_id'),
        sa.Index('instances_terminated_at_launched_at_idx', 'terminated_at', 'launched_at'),
        sa.Index('instances_uuid_deleted_idx', 'uuid', 'deleted'),
        sa.Index('instances_task_state_updated_at_idx', 'task_state', 'updated_at'),
        sa.Index('instances_host_node_deleted_idx', 'host', 'node', 'deleted'),
        sa.Index('instances_host_deleted_cleaned_idx', 'host', 'deleted', 'cleaned'),
        sa.Index('instances_deleted_created_at_idx', 'deleted', 'created_at'),
        sa.Index('instances_updated_at_project_id_idx', 'updated_at', 'project_id'),
    )

    id = _id()
    uuid = orm.mapped_column(sa.String(36), nullable=False)
    user_id = orm.mapped_column(sa.String(255))
    project_id = orm.mapped_column(sa.String(255))
    image_ref = orm.mapped_column(sa.String(255))
    kernel_id = orm.mapped_column(sa.String(255))
    ramdisk_id = orm.mapped_column(sa.String(255))
    hostname = orm.mapped_column(sa.String(255))
    launch_index = orm.mapped_column(sa.Integer)
    key_name = orm.mapped_column(sa.String(255))
    key_data = orm.mapped_column(MediumText())
    power_state = orm.mapped_column(sa.Integer)
    vm_state = orm.mapped_column(sa.String(255))
    task_state = orm.mapped_column(sa.String(255))
    memory_mb = orm.mapped_column(sa.Integer)
    vcpus = orm.mapped_column(sa.Integer)
    root_gb = orm.mapped_column(sa.Integer)
    ephemeral_gb = orm.mapped_column(sa.Integer)
    ephemeral_key_uuid = orm.mapped_column(sa.String(36))
    host = orm.mapped_column(sa.String(255))  # the compute service's host
    node = orm.mapped_column(sa.String(255))  # its ComputeNode.hypervisor_hostname
    instance_type_id = orm.mapped_column(sa.Integer)  # the flavor's internal id
    user_data = orm.mapped_column(MediumText())
    reservation_id = orm.mapped_column(sa.String(255))
    launched_at = orm.mapped_column(sa.DateTime)
    terminated_at = orm.mapped_column(sa.DateTime)
    availability_zone = orm.mapped_column(sa.String(255))
    display_name = orm.mapped_column(sa.String(255))
    display_description = orm.mapped_column(sa.String(255))
    launched_on = orm.mapped_column(MediumText())
    locked = orm.mapped_column(sa.Boolean)
    locked_by = orm.mapped_column(sa.String(255))  # 'owner' or 'admin'
    os_type = orm.mapped_column(sa.String(255))
    architecture = orm.mapped_column(sa.String(255))
    vm_mode = orm.mapped_column(sa.String(255))
    root_device_name = orm.mapped_column(sa.String(255))
    default_ephemeral_device = orm.mapped_column(sa.String(255))
    default_swap_device = orm.mapped_column(sa.String(255))
    config_drive = orm.mapped_column(sa.String(255))
    access_ip_v4 = orm.mapped_column(sa.String(IP_LENGTH))
    access_ip_v6 = orm.mapped_column(sa.String(IP_LENGTH))
    auto_disk_config = orm.mapped_column(sa.Boolean)
    progress = orm.mapped_column(sa.Integer)
    shutdown_terminate = orm.mapped_column(sa.Boolean, default=False)
    disable_terminate = orm.mapped_column(sa.Boolean, default=False)
    cleaned = orm.mapped_column(sa.Integer, default=0)  # 1 once its disks are gone

    # Children; loaded only on request (lazy='raise' makes a forgotten load fail loudly
    # instead of querying on a closed session).
    metadata_items = orm.relationship(
        'InstanceMetadata', lazy='raise', viewonly=True,
        primaryjoin='and_(InstanceMetadata.instance_uuid == Instance.uuid,'
                    'InstanceMetadata.deleted == 0)')
    system_metadata_items = orm.relationship(
        'InstanceSystemMetadata', lazy='raise', viewonly=True,
        primaryjoin='and_(InstanceSystemMetadata.instance_uuid == Instance.uuid,'
                    'InstanceSystemMetadata.deleted == 0)')
    extra = orm.relationship(
        'InstanceExtra', lazy='raise', viewonly=True, uselist=False,
        primaryjoin='InstanceExtra.instance_uuid == Instance.uuid')
    info_cache = orm.relationship(
        'InstanceInfoCache', lazy='raise', viewonly=True, uselist=False,
        primaryjoin='InstanceInfoCache.instance_uuid == Instance.uuid')


class InstanceInfoCache(BASE, NovaBase, SoftDelete):
    """The instance's network info as the API shows it (JSON)."""

    __tablename__ = 'instance_info_caches'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_info_caches0instance_uuid'),
    )

    id = _id()
    network_info = orm.mapped_column(MediumText())
    instance_uuid = _instance_fk(nullable=False)


class InstanceExtra(BASE, NovaBase, SoftDelete):
    """Larger per-instance documents, each a JSON text."""

    __tablename__ = 'instance_extra'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_extra0instance_uuid'),
    )

    id = _id()
    instance_uuid = _instance_fk(nullable=False)
    device_metadata = orm.mapped_column(sa.Text)
    numa_topology = orm.mapped_column(sa.Text)
    pci_requests = orm.mapped_column(sa.Text)
    flavor = orm.mapped_column(sa.Text)
    vcpu_model = orm.mapped_column(sa.Text)
    migration_context = orm.mapped_column(sa.Text)
    keypairs = orm.mapped_column(sa.Text)
    trusted_certs = orm.mapped_column(sa.Text)
    resources = orm.mapped_column(sa.Text)


class InstanceMetadata(BASE, NovaBase, SoftDelete):
    """A user-set key/value pair of an instance."""

    __tablename__ = 'instance_metadata'
    __table_args__ = (
        sa.Index('instance_metadata_instance_uuid_idx', 'instance_uuid'),
    )

    id = _id()
    key = orm.mapped_column(sa.String(255))
    value = orm.mapped_column(sa.String(255))
    instance_uuid = _instance_fk()


class InstanceSystemMetadata(BASE, NovaBase, SoftDelete):
    """A nova-owned key/value pair of an instance."""

    __tablename__ = 'instance_system_metadata'
    __table_args__ = (
        sa.Index('instance_system_metadata_instance_uuid_idx', 'instance_uuid'),
    )

    id = _id()
    key = orm.mapped_column(sa.String(255), nullable=False)
    value = orm.mapped_column(sa.String(255))
    instance_uuid = _instance_fk(nullable=False)


class InstanceFault(BASE, NovaBase, SoftDelete):
    """An error recorded against an instance (the API's ``fault``)."""

    __tablename__ = 'instance_faults'
    __table_args__ = (
        sa.Index('instance_faults_host_idx', 'host'),
        sa.Index('instance_faults_instance_uuid_deleted_created_at_idx',
                 'instance_uuid', 'deleted', 'created_at'),
    )

    id = _id()
    instance_uuid = _instance_fk()
    code = orm.mapped_column(sa.Integer, nullable=False)
    message = orm.mapped_column(sa.String(255))
    details = orm.mapped_column(MediumText())
    host = orm.mapped_column(sa.String(255))


class InstanceAction(BASE, NovaBase, SoftDelete):
    """One user request against an instance (one per instance and request id)."""

    __tablename__ = 'instance_actions'
    __table_args__ = (
        sa.Index('instance_actions_instance_uuid_idx', 'instance_uuid'),
        sa.Index('instance_actions_request_id_idx', 'request_id'),
        sa.Index('instance_actions_instance_uuid_updated_at_idx',
                 'instance_uuid', 'updated_at'),
    )

    id = _id()
    action = orm.mapped_column(sa.String(255))
    instance_uuid = _instance_fk()
    request_id = orm.mapped_column(sa.String(255))
    user_id = orm.mapped_column(sa.String(255))
    project_id = orm.mapped_column(sa.String(255))
    start_time = orm.mapped_column(sa.DateTime, default=lambda: timeutils.utcnow())
    finish_time = orm.mapped_column(sa.DateTime)
    message = orm.mapped_column(sa.String(255))


class InstanceActionEvent(BASE, NovaBase, SoftDelete):
    """A step of an instance action, with its result and any traceback."""

    __tablename__ = 'instance_actions_events'
    __table_args__ = (
        sa.Index('instance_actions_events_action_id_idx', 'action_id'),
    )

    id = _id()
    event = orm.mapped_column(sa.String(255))
    action_id = orm.mapped_column(sa.Integer, sa.ForeignKey('instance_actions.id'))
    start_time = orm.mapped_column(sa.DateTime, default=lambda: timeutils.utcnow())
    finish_time = orm.mapped_column(sa.DateTime)
    result = orm.mapped_column(sa.String(255))
    traceback = orm.mapped_column(sa.Text)
    host = orm.mapped_column(sa.String(255))
    details = orm.mapped_column(sa.Text)


class BlockDeviceMapping(BASE, NovaBase, SoftDelete):
    """A disk of an instance: image, volume, snapshot, blank, swap or ephemeral."""

    __tablename__ = 'block_device_mapping'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_block_device_mapping0uuid'),
        sa.Index('block_device_mapping_snapshot_id_idx', 'snapshot_id'),
        sa.Index('block_device_mapping_volume_id_idx', 'volume_id'),
        sa.Index('block_device_mapping_instance_uuid_idx', 'instance_uuid'),
        sa.Index('block_device_mapping_instance_uuid_device_name_idx',
                 'instance_uuid', 'device_name'),
        sa.Index('block_device_mapping_instance_uuid_volume_id_idx',
                 'instance_uuid', 'volume_id'),
    )

    id = _id()
    uuid = orm.mapped_column(sa.String(36))
    instance_uuid = _instance_fk()
    source_type = orm.mapped_column(sa.String(255))
    destination_type = orm.mapped_column(sa.String(255))
    guest_format = orm.mapped_column(sa.String(255))
    device_type = orm.mapped_column(sa.String(255))
    disk_bus = orm.mapped_column(sa.String(255))
    boot_index = orm.mapped_column(sa.Integer)
    device_name = orm.mapped_column(sa.String(255))
    delete_on_termination = orm.mapped_column(sa.Boolean, default=False)
    snapshot_id = orm.mapped_column(sa.String(36))
    volume_id = orm.mapped_column(sa.String(36))
    volume_size = orm.mapped_column(sa.Integer)
    volume_type = orm.mapped_column(sa.String(255))
    image_id = orm.mapped_column(sa.String(36))
    no_device = orm.mapped_column(sa.Boolean)
    connection_info = orm.mapped_column(MediumText())
    tag = orm.mapped_column(sa.String(255))
    attachment_id = orm.mapped_column(sa.String(36))


# -- security groups -----------------------------------------------------------------------

class SecurityGroup(BASE, NovaBase, SoftDelete):
    __tablename__ = 'security_groups'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'name', 'deleted',
                            name='uniq_security_groups0project_id0name0deleted'),
    )

    id = _id()
    name = orm.mapped_column(sa.String(255))
    description = orm.mapped_column(sa.String(255))
    user_id = orm.mapped_column(sa.String(255))
    project_id = orm.mapped_column(sa.String(255))


class SecurityGroupIngressRule(BASE, NovaBase, SoftDelete):
    """An ingress rule: a port range from a CIDR or from members of another group."""

    __tablename__ = 'security_group_rules'
    __table_args__ = (
        sa.Index('security_group_rules_parent_group_id_idx', 'parent_group_id'),
        sa.Index('security_group_rules_group_id_idx', 'group_id'),
    )

    id = _id()
    parent_group_id = orm.mapped_column(sa.Integer, sa.ForeignKey('security_groups.id'))
    protocol = orm.mapped_column(sa.String(255))
    from_port = orm.mapped_column(sa.Integer)
    to_port = orm.mapped_column(sa.Integer)
    cidr = orm.mapped_column(sa.String(CIDR_LENGTH))
    # The group granted access (not the rule's own group, which is parent_group_id).
    group_id = orm.mapped_column(sa.Integer, sa.ForeignKey('security_groups.id'))


class SecurityGroupInstanceAssociation(BASE, NovaBase, SoftDelete):
    __tablename__ = 'security_group_instance_association'
    __table_args__ = (
        sa.Index('security_group_instance_association_instance_uuid_idx', 'instance_uuid'),
        sa.Index('security_group_instance_association_security_group_id_idx',
                 'security_group_id'),
    )

    id = _id()
    security_group_id = orm.mapped_column(sa.Integer, sa.ForeignKey('security_groups.id'))
    instance_uuid = _instance_fk()


# -- nova-network --------------------------------------------------------------------------

class Network(BASE, NovaBase, SoftDelete):
    __tablename__ = 'networks'
    __table_args__ = (
        sa.UniqueConstraint('vlan', 'deleted', name='uniq_networks0vlan0deleted'),
        sa.Index('networks_bridge_deleted_idx', 'bridge', 'deleted'),
        sa.Index('networks_host_idx', 'host'),
        sa.Index('networks_project_id_deleted_idx', 'project_id', 'deleted'),
        sa.Index('networks_uuid_project_id_deleted_idx', 'uuid', 'project_id', 'deleted'),
        sa.Index('networks_vlan_deleted_idx', 'vlan', 'deleted'),
        sa.Index('networks_cidr_v6_idx', 'cidr_v6'),
    )

    id = _id()
    label = orm.mapped_column(sa.String(255))
    injected = orm.mapped_column(sa.Boolean, default=False)
    cidr = orm.mapped_column(sa.String(CIDR_LENGTH))
    cidr_v6 = orm.mapped_column(sa.String(CIDR_LENGTH))
    multi_host = orm.mapped_column(sa.Boolean, default=False)
    gateway_v6 = orm.mapped_column(sa.String(IP_LENGTH))
    netmask_v6 = orm.mapped_column(sa.String(IP_LENGTH))
    netmask = orm.mapped_column(sa.String(IP_LENGTH))
    bridge = orm.mapped_column(sa.String(255))
    bridge_interface = orm.mapped_column(sa.String(255))
    gateway = orm.mapped_column(sa.String(IP_LENGTH))
    broadcast = orm.mapped_column(sa.String(IP_LENGTH))
    dns1 = orm.mapped_column(sa.String(IP_LENGTH))
    dns2 = orm.mapped_column(sa.String(IP_LENGTH))
    vlan = orm.mapped_column(sa.Integer)
    vpn_public_address = orm.mapped_column(sa.String(IP_LENGTH))
    vpn_public_port = orm.mapped_column(sa.Integer)
    vpn_private_address = orm.mapped_column(sa.String(IP_LENGTH))
    dhcp_start = orm.mapped_column(sa.String(IP_LENGTH))
    rxtx_base = orm.mapped_column(sa.Integer)
    project_id = orm.mapped_column(sa.String(255))
    priority = orm.mapped_column(sa.Integer)
    host = orm.mapped_column(sa.String(255))
    uuid = orm.mapped_column(sa.String(36))
    mtu = orm.mapped_column(sa.Integer)
    dhcp_server = orm.mapped_column(sa.String(IP_LENGTH))
    enable_dhcp = orm.mapped_column(sa.Boolean, default=True)
    share_address = orm.mapped_column(sa.Boolean, default=False)


class VirtualInterface(BASE, NovaBase, SoftDelete):
    """A NIC of an instance on a network (its MAC address)."""

    __tablename__ = 'virtual_interfaces'
    __table_args__ = (
        sa.UniqueConstraint('address', 'deleted',
                            name='uniq_virtual_interfaces0address0deleted'),
        sa.Index('virtual_interfaces_network_id_idx', 'network_id'),
        sa.Index('virtual_interfaces_instance_uuid_idx', 'instance_uuid'),
        sa.Index('virtual_interfaces_uuid_idx', 'uuid'),
    )

    id = _id()
    address = orm.mapped_column(sa.String(255))
    network_id = orm.mapped_column(sa.Integer)
    instance_uuid = _instance_fk()
    uuid = orm.mapped_column(sa.String(36))
    tag = orm.mapped_column(sa.String(255))


class FixedIp(BASE, NovaBase, SoftDelete):
    """An address of a network. Associated: has an instance; allocated: has a VIF."""

    __tablename__ = 'fixed_ips'
    __table_args__ = (
        sa.UniqueConstraint('address', 'deleted', name='uniq_fixed_ips0address0deleted'),
        sa.Index('fixed_ips_virtual_interface_id_idx', 'virtual_interface_id'),
        sa.Index('fixed_ips_network_id_idx', 'network_id'),
        sa.Index('fixed_ips_address_idx', 'address'),
        sa.Index('fixed_ips_instance_uuid_idx', 'instance_uuid'),
        sa.Index('fixed_ips_host_idx', 'host'),
        sa.Index('fixed_ips_network_id_host_deleted_idx', 'network_id', 'host', 'deleted'),
        sa.Index('fixed_ips_address_reserved_network_id_deleted_idx',
                 'address', 'reserved', 'network_id', 'deleted'),
        sa.Index('fixed_ips_deleted_allocated_idx', 'address', 'deleted', 'allocated'),
        sa.Index('fixed_ips_deleted_allocated_updated_at_idx',
                 'deleted', 'allocated', 'updated_at'),
    )

    id = _id()
    address = orm.mapped_column(sa.String(IP_LENGTH))
    network_id = orm.mapped_column(sa.Integer)
    virtual_interface_id = orm.mapped_column(sa.Integer)
    instance_uuid = _instance_fk()
    allocated = orm.mapped_column(sa.Boolean, default=False)
    leased = orm.mapped_column(sa.Boolean, default=False)  # dnsmasq handed it out
    reserved = orm.mapped_column(sa.Boolean, default=False)
    host = orm.mapped_column(sa.String(255))


class FloatingIp(BASE, NovaBase, SoftDelete):
    """A public address that can be pointed at a fixed IP."""

    __tablename__ = 'floating_ips'
    __table_args__ = (
        sa.UniqueConstraint('address', 'deleted', name='uniq_floating_ips0address0deleted'),
        sa.Index('floating_ips_fixed_ip_id_idx', 'fixed_ip_id'),
        sa.Index('floating_ips_host_idx', 'host'),
        sa.Index('floating_ips_project_id_idx', 'project_id'),
        sa.Index('floating_ips_pool_deleted_fixed_ip_id_project_id_idx',
                 'pool', 'deleted', 'fixed_ip_id', 'project_id'),
    )

    id = _id()
    address = orm.mapped_column(sa.String(IP_LENGTH))
    fixed_ip_id = orm.mapped_column(sa.Integer)
    project_id = orm.mapped_column(sa.String(255))
    host = orm.mapped_column(sa.String(255))
    auto_assigned = orm.mapped_column(sa.Boolean, default=False)
    pool = orm.mapped_column(sa.String(255))
    interface = orm.mapped_column(sa.String(255))


# -- moves ---------------------------------------------------------------------------------

class Migration(BASE, NovaBase, SoftDelete):
    """A move of an instance between hosts/nodes (resize, migration, evacuation)."""

    __tablename__ = 'migrations'
    # Upstream indexes all four host/node columns at once; that key is too long for
    # utf8mb4 on MariaDB (3072 bytes), so source and destination get one index each.
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_migrations0uuid'),
        sa.Index('migrations_instance_uuid_and_status_idx',
                 'deleted', 'instance_uuid', 'status'),
        sa.Index('migrations_by_source_host_node_and_status_idx',
                 'deleted', 'source_compute', 'source_node', 'status'),
        sa.Index('migrations_by_dest_host_node_and_status_idx',
                 'deleted', 'dest_compute', 'dest_node', 'status'),
        sa.Index('migrations_updated_at_idx', 'updated_at'),
        sa.Index('migrations_instance_uuid_idx', 'instance_uuid'),
    )

    id = _id()
    uuid = orm.mapped_column(sa.String(36))
    source_compute = orm.mapped_column(sa.String(255))
    dest_compute = orm.mapped_column(sa.String(255))
    source_node = orm.mapped_column(sa.String(255))
    dest_node = orm.mapped_column(sa.String(255))
    dest_host = orm.mapped_column(sa.String(255))  # an IP address
    old_instance_type_id = orm.mapped_column(sa.Integer)
    new_instance_type_id = orm.mapped_column(sa.Integer)
    instance_uuid = _instance_fk()
    status = orm.mapped_column(sa.String(255))
    # 'migration', 'resize', 'live-migration' or 'evacuation'
    migration_type = orm.mapped_column(sa.String(255))
    hidden = orm.mapped_column(sa.Boolean, default=False)
    memory_total = orm.mapped_column(sa.BigInteger)
    memory_processed = orm.mapped_column(sa.BigInteger)
    memory_remaining = orm.mapped_column(sa.BigInteger)
    disk_total = orm.mapped_column(sa.BigInteger)
    disk_processed = orm.mapped_column(sa.BigInteger)
    disk_remaining = orm.mapped_column(sa.BigInteger)
    cross_cell_move = orm.mapped_column(sa.Boolean, default=False)
    user_id = orm.mapped_column(sa.String(255))
    project_id = orm.mapped_column(sa.String(255))


# -- server tags ---------------------------------------------------------------------------

class Tag(BASE, oslo_models.ModelBase):
    """One tag of a server (``resource_id`` is the instance uuid); no timestamps, rows are
    removed outright when the tag goes."""

    __tablename__ = 'tags'
    __table_args__ = (
        sa.Index('tags_tag_idx', 'tag'),
    )

    resource_id = orm.mapped_column(sa.String(36), primary_key=True, nullable=False)
    tag = orm.mapped_column(sa.Unicode(80), primary_key=True, nullable=False)


class TaskLog(BASE, NovaBase, SoftDelete):
    """One run of a periodic task on a host over a period (the instance usage audit)."""

    __tablename__ = 'task_log'
    __table_args__ = (
        sa.UniqueConstraint('task_name', 'host', 'period_beginning', 'period_ending',
                            name='uniq_task_name_x_host_x_period_beginning_x_period_ending'),
        sa.Index('ix_task_log_period_beginning', 'period_beginning'),
        sa.Index('ix_task_log_host', 'host'),
        sa.Index('ix_task_log_period_ending', 'period_ending'),
    )

    id = _id()
    task_name = orm.mapped_column(sa.String(255), nullable=False)
    state = orm.mapped_column(sa.String(255), nullable=False)
    host = orm.mapped_column(sa.String(255), nullable=False)
    period_beginning = orm.mapped_column(sa.DateTime, nullable=False)
    period_ending = orm.mapped_column(sa.DateTime, nullable=False)
    message = orm.mapped_column(sa.String(255), nullable=False)
    task_items = orm.mapped_column(sa.Integer(), default=0)
    errors = orm.mapped_column(sa.Integer(), default=0)
