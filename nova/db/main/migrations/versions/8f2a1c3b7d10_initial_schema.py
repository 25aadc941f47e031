"""Initial schema of the main (cell) database.

Revision ID: 8f2a1c3b7d10
Revises:
Create Date: 2025-01-01 00:00:00

Frozen: this revision describes the schema as first released and never imports the models.
Later changes are new revisions on top of it.
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '8f2a1c3b7d10'
down_revision = None
branch_labels = None
depends_on = None

IP = 39     # an IPv6 address as text
CIDR = 43   # the same with a /128 prefix


def _medium_text():
    return sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')


def _str(name, length=255, nullable=True):
    return sa.Column(name, sa.String(length), nullable=nullable)


def _int(name, nullable=True):
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _bool(name):
    return sa.Column(name, sa.Boolean(), nullable=True)


def _instance_uuid(nullable=True):
    return sa.Column('instance_uuid', sa.String(36), sa.ForeignKey('instances.uuid'),
                     nullable=nullable)


def _create_table(name, *columns):
    """A soft-delete table: id, the given columns, timestamps and ``deleted``."""
    op.create_table(
        name,
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        *columns,
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('deleted', sa.Integer(), nullable=False),
        mysql_engine='InnoDB',
    )


def _indexes(table, *indexes):
    for name, columns in indexes:
        op.create_index(name, table, columns, unique=False)


def upgrade():
    _create_table(
        'services',
        _str('uuid', 36), _str('host'), _str('binary'), _str('topic'),
        _int('report_count', nullable=False), _bool('disabled'), _str('disabled_reason'),
        sa.Column('last_seen_up', sa.DateTime(), nullable=True),
        _bool('forced_down'), _int('version'),
        sa.UniqueConstraint('host', 'topic', 'deleted', name='uniq_services0host0topic0deleted'),
        sa.UniqueConstraint('host', 'binary', 'deleted',
                            name='uniq_services0host0binary0deleted'),
        sa.UniqueConstraint('uuid', name='uniq_services0uuid'),
    )

    _create_table(
        'compute_nodes',
        _str('uuid', 36), _int('service_id'), _str('host'),
        _int('vcpus', False), _int('memory_mb', False), _int('local_gb', False),
        _int('vcpus_used', False), _int('memory_mb_used', False), _int('local_gb_used', False),
        sa.Column('hypervisor_type', _medium_text(), nullable=False),
        _int('hypervisor_version', False), _str('hypervisor_hostname'),
        _int('free_ram_mb'), _int('free_disk_gb'), _int('current_workload'), _int('running_vms'),
        sa.Column('cpu_info', _medium_text(), nullable=False),
        _int('disk_available_least'), _str('host_ip', IP),
        sa.Column('supported_instances', sa.Text(), nullable=True),
        sa.Column('metrics', sa.Text(), nullable=True),
        sa.Column('pci_stats', sa.Text(), nullable=True),
        sa.Column('extra_resources', sa.Text(), nullable=True),
        sa.Column('stats', sa.Text(), nullable=True),
        sa.Column('numa_topology', sa.Text(), nullable=True),
        sa.Column('cpu_allocation_ratio', sa.Double(), nullable=True),
        sa.Column('ram_allocation_ratio', sa.Double(), nullable=True),
        sa.Column('disk_allocation_ratio', sa.Double(), nullable=True),
        _int('mapped'),
        sa.UniqueConstraint('host', 'hypervisor_hostname', 'deleted',
                            name='uniq_compute_nodes0host0hypervisor_hostname0deleted'),
        sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'),
    )

    _create_table(
        'instances',
        _str('uuid', 36, nullable=False), _str('user_id'), _str('project_id'),
        _str('image_ref'), _str('kernel_id'), _str('ramdisk_id'), _str('hostname'),
        _int('launch_index'), _str('key_name'),
        sa.Column('key_data', _medium_text(), nullable=True),
        _int('power_state'), _str('vm_state'), _str('task_state'),
        _int('memory_mb'), _int('vcpus'), _int('root_gb'), _int('ephemeral_gb'),
        _str('ephemeral_key_uuid', 36), _str('host'), _str('node'), _int('instance_type_id'),
        sa.Column('user_data', _medium_text(), nullable=True),
        _str('reservation_id'),
        sa.Column('launched_at', sa.DateTime(), nullable=True),
        sa.Column('terminated_at', sa.DateTime(), nullable=True),
        _str('availability_zone'), _str('display_name'), _str('display_description'),
        sa.Column('launched_on', _medium_text(), nullable=True),
        _bool('locked'), _str('locked_by'), _str('os_type'), _str('architecture'),
        _str('vm_mode'), _str('root_device_name'), _str('default_ephemeral_device'),
        _str('default_swap_device'), _str('config_drive'),
        _str('access_ip_v4', IP), _str('access_ip_v6', IP),
        _bool('auto_disk_config'), _int('progress'), _bool('shutdown_terminate'),
        _bool('disable_terminate'), _int('cleaned'),
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
    )
    _indexes(
        'instances',
        ('instances_project_id_deleted_idx', ['project_id', 'deleted']),
        ('instances_reservation_id_idx', ['reservation_id']),
        ('instances_terminated_at_launched_at_idx', ['terminated_at', 'launched_at']),
        ('instances_uuid_deleted_idx', ['uuid', 'deleted']),
        ('instances_task_state_updated_at_idx', ['task_state', 'updated_at']),
        ('instances_host_node_deleted_idx', ['host', 'node', 'deleted']),
        ('instances_host_deleted_cleaned_idx', ['host', 'deleted', 'cleaned']),
        ('instances_deleted_created_at_idx', ['deleted', 'created_at']),
        ('instances_updated_at_project_id_idx', ['updated_at', 'project_id']),
    )

    _create_table(
        'instance_info_caches',
        sa.Column('network_info', _medium_text(), nullable=True),
        _instance_uuid(nullable=False),
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_info_caches0instance_uuid'),
    )

    _create_table(
        'instance_extra',
        _instance_uuid(nullable=False),
        *[sa.Column(name, sa.Text(), nullable=True)
          for name in ('device_metadata', 'numa_topology', 'pci_requests', 'flavor',
                       'vcpu_model', 'migration_context', 'keypairs', 'trusted_certs',
                       'resources')],
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_extra0instance_uuid'),
    )

    _create_table('instance_metadata', _str('key'), _str('value'), _instance_uuid())
    _indexes('instance_metadata',
             ('instance_metadata_instance_uuid_idx', ['instance_uuid']))

    _create_table('instance_system_metadata', _str('key', nullable=False), _str('value'),
                  _instance_uuid(nullable=False))
    _indexes('instance_system_metadata',
             ('instance_system_metadata_instance_uuid_idx', ['instance_uuid']))

    _create_table(
        'instance_faults',
        _instance_uuid(), _int('code', nullable=False), _str('message'),
        sa.Column('details', _medium_text(), nullable=True), _str('host'),
    )
    _indexes('instance_faults',
             ('instance_faults_host_idx', ['host']),
             ('instance_faults_instance_uuid_deleted_created_at_idx',
              ['instance_uuid', 'deleted', 'created_at']))

    _create_table(
        'instance_actions',
        _str('action'), _instance_uuid(), _str('request_id'), _str('user_id'),
        _str('project_id'),
        sa.Column('start_time', sa.DateTime(), nullable=True),
        sa.Column('finish_time', sa.DateTime(), nullable=True),
        _str('message'),
    )
    _indexes('instance_actions',
             ('instance_actions_instance_uuid_idx', ['instance_uuid']),
             ('instance_actions_request_id_idx', ['request_id']),
             ('instance_actions_instance_uuid_updated_at_idx', ['instance_uuid', 'updated_at']))

    _create_table(
        'instance_actions_events',
        _str('event'),
        sa.Column('action_id', sa.Integer(), sa.ForeignKey('instance_actions.id'),
                  nullable=True),
        sa.Column('start_time', sa.DateTime(), nullable=True),
        sa.Column('finish_time', sa.DateTime(), nullable=True),
        _str('result'),
        sa.Column('traceback', sa.Text(), nullable=True),
        _str('host'),
        sa.Column('details', sa.Text(), nullable=True),
    )
    _indexes('instance_actions_events',
             ('instance_actions_events_action_id_idx', ['action_id']))

    _create_table(
        'block_device_mapping',
        _str('uuid', 36), _instance_uuid(),
        _str('source_type'), _str('destination_type'), _str('guest_format'),
        _str('device_type'), _str('disk_bus'), _int('boot_index'), _str('device_name'),
        _bool('delete_on_termination'), _str('snapshot_id', 36), _str('volume_id', 36),
        _int('volume_size'), _str('volume_type'), _str('image_id', 36), _bool('no_device'),
        sa.Column('connection_info', _medium_text(), nullable=True),
        _str('tag'), _str('attachment_id', 36),
        sa.UniqueConstraint('uuid', name='uniq_block_device_mapping0uuid'),
    )
    _indexes('block_device_mapping',
             ('block_device_mapping_snapshot_id_idx', ['snapshot_id']),
             ('block_device_mapping_volume_id_idx', ['volume_id']),
             ('block_device_mapping_instance_uuid_idx', ['instance_uuid']),
             ('block_device_mapping_instance_uuid_device_name_idx',
              ['instance_uuid', 'device_name']),
             ('block_device_mapping_instance_uuid_volume_id_idx',
              ['instance_uuid', 'volume_id']))

    _create_table(
        'security_groups',
        _str('name'), _str('description'), _str('user_id'), _str('project_id'),
        sa.UniqueConstraint('project_id', 'name', 'deleted',
                            name='uniq_security_groups0project_id0name0deleted'),
    )

    _create_table(
        'security_group_rules',
        sa.Column('parent_group_id', sa.Integer(), sa.ForeignKey('security_groups.id'),
                  nullable=True),
        _str('protocol'), _int('from_port'), _int('to_port'), _str('cidr', CIDR),
        sa.Column('group_id', sa.Integer(), sa.ForeignKey('security_groups.id'),
                  nullable=True),
    )
    _indexes('security_group_rules',
             ('security_group_rules_parent_group_id_idx', ['parent_group_id']),
             ('security_group_rules_group_id_idx', ['group_id']))

    _create_table(
        'security_group_instance_association',
        sa.Column('security_group_id', sa.Integer(), sa.ForeignKey('security_groups.id'),
                  nullable=True),
        _instance_uuid(),
    )
    _indexes('security_group_instance_association',
             ('security_group_instance_association_instance_uuid_idx', ['instance_uuid']),
             ('security_group_instance_association_security_group_id_idx',
              ['security_group_id']))

    _create_table(
        'networks',
        _str('label'), _bool('injected'), _str('cidr', CIDR), _str('cidr_v6', CIDR),
        _bool('multi_host'), _str('gateway_v6', IP), _str('netmask_v6', IP),
        _str('netmask', IP), _str('bridge'), _str('bridge_interface'), _str('gateway', IP),
        _str('broadcast', IP), _str('dns1', IP), _str('dns2', IP), _int('vlan'),
        _str('vpn_public_address', IP), _int('vpn_public_port'),
        _str('vpn_private_address', IP), _str('dhcp_start', IP), _int('rxtx_base'),
        _str('project_id'), _int('priority'), _str('host'), _str('uuid', 36), _int('mtu'),
        _str('dhcp_server', IP), _bool('enable_dhcp'), _bool('share_address'),
        sa.UniqueConstraint('vlan', 'deleted', name='uniq_networks0vlan0deleted'),
    )
    _indexes('networks',
             ('networks_bridge_deleted_idx', ['bridge', 'deleted']),
             ('networks_host_idx', ['host']),
             ('networks_project_id_deleted_idx', ['project_id', 'deleted']),
             ('networks_uuid_project_id_deleted_idx', ['uuid', 'project_id', 'deleted']),
             ('networks_vlan_deleted_idx', ['vlan', 'deleted']),
             ('networks_cidr_v6_idx', ['cidr_v6']))

    _create_table(
        'virtual_interfaces',
        _str('address'), _int('network_id'), _instance_uuid(), _str('uuid', 36), _str('tag'),
        sa.UniqueConstraint('address', 'deleted',
                            name='uniq_virtual_interfaces0address0deleted'),
    )
    _indexes('virtual_interfaces',
             ('virtual_interfaces_network_id_idx', ['network_id']),
             ('virtual_interfaces_instance_uuid_idx', ['instance_uuid']),
             ('virtual_interfaces_uuid_idx', ['uuid']))

    _create_table(
        'fixed_ips',
        _str('address', IP), _int('network_id'), _int('virtual_interface_id'),
        _instance_uuid(), _bool('allocated'), _bool('leased'), _bool('reserved'),
        _str('host'),
        sa.UniqueConstraint('address', 'deleted', name='uniq_fixed_ips0address0deleted'),
    )
    _indexes('fixed_ips',
             ('fixed_ips_virtual_interface_id_idx', ['virtual_interface_id']),
             ('fixed_ips_network_id_idx', ['network_id']),
             ('fixed_ips_address_idx', ['address']),
             ('fixed_ips_instance_uuid_idx', ['instance_uuid']),
             ('fixed_ips_host_idx', ['host']),
             ('fixed_ips_network_id_host_deleted_idx', ['network_id', 'host', 'deleted']),
             ('fixed_ips_address_reserved_network_id_deleted_idx',
              ['address', 'reserved', 'network_id', 'deleted']),
             ('fixed_ips_deleted_allocated_idx', ['address', 'deleted', 'allocated']),
             ('fixed_ips_deleted_allocated_updated_at_idx',
              ['deleted', 'allocated', 'updated_at']))

    _create_table(
        'floating_ips',
        _str('address', IP), _int('fixed_ip_id'), _str('project_id'), _str('host'),
        _bool('auto_assigned'), _str('pool'), _str('interface'),
        sa.UniqueConstraint('address', 'deleted', name='uniq_floating_ips0address0deleted'),
    )
    _indexes('floating_ips',
             ('floating_ips_fixed_ip_id_idx', ['fixed_ip_id']),
             ('floating_ips_host_idx', ['host']),
             ('floating_ips_project_id_idx', ['project_id']),
             ('floating_ips_pool_deleted_fixed_ip_id_project_id_idx',
              ['pool', 'deleted', 'fixed_ip_id', 'project_id']))

    _create_table(
        'migrations',
        _str('uuid', 36), _str('source_compute'), _str('dest_compute'), _str('source_node'),
        _str('dest_node'), _str('dest_host'), _int('old_instance_type_id'),
        _int('new_instance_type_id'), _instance_uuid(), _str('status'), _str('migration_type'),
        _bool('hidden'),
        *[sa.Column(name, sa.BigInteger(), nullable=True)
          for name in ('memory_total', 'memory_processed', 'memory_remaining',
                       'disk_total', 'disk_processed', 'disk_remaining')],
        _bool('cross_cell_move'), _str('user_id'), _str('project_id'),
        sa.UniqueConstraint('uuid', name='uniq_migrations0uuid'),
    )
    # Source and destination get one index each: all four host/node columns in one key
    # exceed MariaDB's 3072-byte limit with utf8mb4.
    _indexes('migrations',
             ('migrations_instance_uuid_and_status_idx',
              ['deleted', 'instance_uuid', 'status']),
             ('migrations_by_source_host_node_and_status_idx',
              ['deleted', 'source_compute', 'source_node', 'status']),
             ('migrations_by_dest_host_node_and_status_idx',
              ['deleted', 'dest_compute', 'dest_node', 'status']),
             ('migrations_updated_at_idx', ['updated_at']),
             ('migrations_instance_uuid_idx', ['instance_uuid']))
