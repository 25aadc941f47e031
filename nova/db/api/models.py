"""SQLAlchemy models of the API database (flavors, key pairs, cell mappings, build data, quotas).

Table and column names follow upstream Nova's API database, so an operator's data and tools
carry over. The API database has no soft delete: rows carry created_at/updated_at only.

Constraint names follow the ``uniq_<table>0<col>[0<col>...]`` convention because oslo.db reads
the duplicated columns out of that name on MySQL, which is how a duplicate becomes the right
``*Exists`` exception. Indexed strings stay at 255 characters so that even three of them fit
MariaDB's index-key limit under utf8mb4.
"""

from oslo_db.sqlalchemy import models
import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import mysql


def MediumText():
    """TEXT everywhere, MEDIUMTEXT on MySQL/MariaDB (whose TEXT stops at 64 KiB)."""
    return sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')


def PreciseDateTime():
    """DATETIME with microseconds on MySQL/MariaDB too (where it keeps whole seconds)."""
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')


class BASE(models.ModelBase, orm.DeclarativeBase):
    """Declarative base of every API database table; ``BASE.metadata`` holds them all.

    oslo.db's ModelBase lets rows be read like dicts (``row['name']``), which is what the
    objects' ``_from_db_object`` use.
    """


class _Timestamps(models.TimestampMixin):
    pass


class CellMapping(_Timestamps, BASE):
    """Where a cell's database and message bus are."""

    __tablename__ = 'cell_mappings'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_cell_mappings0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    transport_url = sa.Column(sa.Text())
    database_connection = sa.Column(sa.Text())
    disabled = sa.Column(sa.Boolean(), nullable=False, default=False,
                         server_default=sa.false())


class HostMapping(_Timestamps, BASE):
    """Which cell a compute host belongs to."""

    __tablename__ = 'host_mappings'
    __table_args__ = (
        sa.UniqueConstraint('host', name='uniq_host_mappings0host'),
        sa.Index('host_mappings_cell_id_idx', 'cell_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    cell_id = sa.Column(sa.Integer, sa.ForeignKey('cell_mappings.id',
                                                  name='host_mappings_cell_id_fkey'),
                        nullable=False)
    host = sa.Column(sa.String(255), nullable=False)

    cell_mapping = orm.relationship(CellMapping, lazy='joined')


class InstanceMapping(_Timestamps, BASE):
    """Which cell an instance lives in (no cell yet while it is being scheduled)."""

    __tablename__ = 'instance_mappings'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid', name='uniq_instance_mappings0instance_uuid'),
        sa.Index('project_id_idx', 'project_id'),
        sa.Index('instance_mappings_user_id_project_id_idx', 'user_id', 'project_id'),
        sa.Index('instance_mappings_cell_id_idx', 'cell_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    cell_id = sa.Column(sa.Integer, sa.ForeignKey('cell_mappings.id',
                                                  name='instance_mappings_cell_id_fkey'),
                        nullable=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=True)
    queued_for_delete = sa.Column(sa.Boolean(), nullable=True, default=False)

    cell_mapping = orm.relationship(CellMapping, lazy='joined')


class Flavors(_Timestamps, BASE):
    """A flavor: the size of an instance."""

    __tablename__ = 'flavors'
    __table_args__ = (
        sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    name = sa.Column(sa.String(255), nullable=False)
    memory_mb = sa.Column(sa.Integer, nullable=False)
    vcpus = sa.Column(sa.Integer, nullable=False)
    root_gb = sa.Column(sa.Integer)
    ephemeral_gb = sa.Column(sa.Integer)
    flavorid = sa.Column(sa.String(255), nullable=False)
    swap = sa.Column(sa.Integer, nullable=False, default=0)
    rxtx_factor = sa.Column(sa.Float, default=1.0)
    vcpu_weight = sa.Column(sa.Integer)
    disabled = sa.Column(sa.Boolean(), default=False)
    is_public = sa.Column(sa.Boolean(), default=True)
    description = sa.Column(sa.Text())

    extra_specs = orm.relationship('FlavorExtraSpecs', lazy='selectin',
                                   cascade='all, delete-orphan')
    projects = orm.relationship('FlavorProjects', lazy='selectin',
                                cascade='all, delete-orphan')


class FlavorExtraSpecs(_Timestamps, BASE):
    """One key/value of a flavor's extra specs."""

    __tablename__ = 'flavor_extra_specs'
    __table_args__ = (
        sa.UniqueConstraint('flavor_id', 'key', name='uniq_flavor_extra_specs0flavor_id0key'),
        sa.Index('flavor_extra_specs_flavor_id_key_idx', 'flavor_id', 'key'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id',
                                                    name='flavor_extra_specs_flavor_id_fkey'),
                          nullable=False)


class FlavorProjects(_Timestamps, BASE):
    """A project a private flavor is shared with."""

    __tablename__ = 'flavor_projects'
    __table_args__ = (
        sa.UniqueConstraint('flavor_id', 'project_id',
                            name='uniq_flavor_projects0flavor_id0project_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    flavor_id = sa.Column(sa.Integer, sa.ForeignKey('flavors.id',
                                                    name='flavor_projects_flavor_id_fkey'),
                          nullable=False)
    project_id = sa.Column(sa.String(255), nullable=False)


class KeyPair(_Timestamps, BASE):
    """A user's SSH public key or X.509 certificate."""

    __tablename__ = 'key_pairs'
    __table_args__ = (
        sa.UniqueConstraint('user_id', 'name', name='uniq_key_pairs0user_id0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    name = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    fingerprint = sa.Column(sa.String(255))
    public_key = sa.Column(sa.Text())
    type = sa.Column(sa.Enum('ssh', 'x509', name='keypair_types'), nullable=False,
                     default='ssh', server_default='ssh')


class RequestSpec(_Timestamps, BASE):
    """What the scheduler was asked for an instance, as the JSON primitive of the object."""

    __tablename__ = 'request_specs'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid', name='uniq_request_specs0instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    instance_uuid = sa.Column(sa.String(36), nullable=False)
    spec = sa.Column(MediumText(), nullable=False)
    # Copies of the spec's fields of the same names, written with it: server lists show
    # them for every server, and reading them here spares parsing every whole spec.
    availability_zone = sa.Column(sa.String(255), nullable=True)
    scheduler_hints = sa.Column(sa.Text(), nullable=True)  # JSON; NULL when there are none


class BuildRequest(_Timestamps, BASE):
    """An instance accepted by the API but not yet in a cell, as JSON primitives."""

    __tablename__ = 'build_requests'
    __table_args__ = (
        sa.UniqueConstraint('instance_uuid', name='uniq_build_requests0instance_uuid'),
        sa.Index('build_requests_project_id_idx', 'project_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    instance_uuid = sa.Column(sa.String(36))
    project_id = sa.Column(sa.String(255), nullable=False)
    instance = sa.Column(MediumText())
    block_device_mappings = sa.Column(MediumText())
    tags = sa.Column(sa.Text())


class Quota(_Timestamps, BASE):
    """A project's limit of one resource."""

    __tablename__ = 'quotas'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'resource', name='uniq_quotas0project_id0resource'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    project_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer)


class ProjectUserQuota(_Timestamps, BASE):
    """A user's limit of one resource within a project."""

    __tablename__ = 'project_user_quotas'
    __table_args__ = (
        sa.UniqueConstraint('user_id', 'project_id', 'resource',
                            name='uniq_project_user_quotas0user_id0project_id0resource'),
        sa.Index('project_user_quotas_project_id_idx', 'project_id'),
        sa.Index('project_user_quotas_user_id_idx', 'user_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, nullable=False, autoincrement=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255), nullable=False)
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer)


class QuotaClass(_Timestamps, BASE):
    """A named set of limits; the class 'default' overrides the built-in defaults."""

    __tablename__ = 'quota_classes'
    __table_args__ = (
        sa.Index('quota_classes_class_name_idx', 'class_name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    class_name = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(255))
    hard_limit = sa.Column(sa.Integer)


class Image(_Timestamps, BASE):
    """An image of the local store: its metadata; the data is a file named by ``id``.

    Columns follow Glance's ``images`` table (without its soft delete: a deleted image is
    gone). ``checksum`` is the MD5 Glance has always given; ``os_hash_*`` the multihash.
    """

    __tablename__ = 'images'
    __table_args__ = (
        sa.Index('images_owner_idx', 'owner'),
        sa.Index('images_visibility_idx', 'visibility'),
        sa.Index('images_created_at_idx', 'created_at'),
    )

    id = sa.Column(sa.String(36), primary_key=True, nullable=False)
    name = sa.Column(sa.String(255))
    status = sa.Column(sa.String(30), nullable=False)
    visibility = sa.Column(sa.String(20), nullable=False)
    owner = sa.Column(sa.String(255))
    size = sa.Column(sa.BigInteger)
    virtual_size = sa.Column(sa.BigInteger)
    checksum = sa.Column(sa.String(32))
    os_hash_algo = sa.Column(sa.String(64))
    os_hash_value = sa.Column(sa.String(128))
    disk_format = sa.Column(sa.String(20))
    container_format = sa.Column(sa.String(20))
    min_disk = sa.Column(sa.Integer, nullable=False, default=0)
    min_ram = sa.Column(sa.Integer, nullable=False, default=0)
    protected = sa.Column(sa.Boolean(), nullable=False, default=False,
                          server_default=sa.false())
    os_hidden = sa.Column(sa.Boolean(), nullable=False, default=False,
                          server_default=sa.false())

    properties = orm.relationship('ImageProperty', lazy='selectin',
                                  cascade='all, delete-orphan')
    tags = orm.relationship('ImageTag', lazy='selectin', cascade='all, delete-orphan')


class ImageProperty(_Timestamps, BASE):
    """One extra property of an image (kernel_id, hw_*, os_command_line, ...)."""

    __tablename__ = 'image_properties'
    __table_args__ = (
        sa.UniqueConstraint('image_id', 'name', name='uniq_image_properties0image_id0name'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    image_id = sa.Column(sa.String(36), sa.ForeignKey('images.id',
                                                      name='image_properties_image_id_fkey'),
                         nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.Text())


class ImageMember(_Timestamps, BASE):
    """A project an image of visibility ``shared`` is shared with, and its answer.

    ``member`` is the project id; ``status`` is pending (just shared), accepted (listed
    by the member by default) or rejected. Deleting the image deletes its members.
    """

    __tablename__ = 'image_members'
    __table_args__ = (
        sa.UniqueConstraint('image_id', 'member', name='uniq_image_members0image_id0member'),
        sa.Index('image_members_member_idx', 'member'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    image_id = sa.Column(sa.String(36), sa.ForeignKey('images.id',
                                                      name='image_members_image_id_fkey'),
                         nullable=False)
    member = sa.Column(sa.String(255), nullable=False)
    status = sa.Column(sa.String(20), nullable=False, default='pending')


class ImageTag(_Timestamps, BASE):
    """One tag of an image."""

    __tablename__ = 'image_tags'
    __table_args__ = (
        sa.UniqueConstraint('image_id', 'value', name='uniq_image_tags0image_id0value'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    image_id = sa.Column(sa.String(36), sa.ForeignKey('images.id',
                                                      name='image_tags_image_id_fkey'),
                         nullable=False)
    value = sa.Column(sa.String(255), nullable=False)


# -- the built-in identity service (Keystone v3 compatible) ---------------------------------
# Ids are 32-character hex strings as Keystone makes them, except names given by operators
# (the "default" domain). ``extra`` holds the JSON of attributes a client sent beyond the
# known ones (a user's email), returned as Keystone returns them.

class IdentityDomain(_Timestamps, BASE):
    __tablename__ = 'identity_domains'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_identity_domains0name'),
    )

    id = sa.Column(sa.String(64), primary_key=True, nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    description = sa.Column(sa.Text())
    enabled = sa.Column(sa.Boolean(), nullable=False, default=True, server_default=sa.true())
    extra = sa.Column(sa.Text())


class IdentityProject(_Timestamps, BASE):
    __tablename__ = 'identity_projects'
    __table_args__ = (
        sa.UniqueConstraint('domain_id', 'name', name='uniq_identity_projects0domain_id0name'),
    )

    id = sa.Column(sa.String(64), primary_key=True, nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    domain_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_domains.id', name='identity_projects_domain_id_fkey'), nullable=False)
    description = sa.Column(sa.Text())
    enabled = sa.Column(sa.Boolean(), nullable=False, default=True, server_default=sa.true())
    extra = sa.Column(sa.Text())


class IdentityUser(_Timestamps, BASE):
    __tablename__ = 'identity_users'
    __table_args__ = (
        sa.UniqueConstraint('domain_id', 'name', name='uniq_identity_users0domain_id0name'),
    )

    id = sa.Column(sa.String(64), primary_key=True, nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    domain_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_domains.id', name='identity_users_domain_id_fkey'), nullable=False)
    enabled = sa.Column(sa.Boolean(), nullable=False, default=True, server_default=sa.true())
    password_hash = sa.Column(sa.String(255))
    default_project_id = sa.Column(sa.String(64))
    extra = sa.Column(sa.Text())


class IdentityRole(_Timestamps, BASE):
    __tablename__ = 'identity_roles'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_identity_roles0name'),
    )

    id = sa.Column(sa.String(64), primary_key=True, nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    description = sa.Column(sa.Text())


class IdentityRoleAssignment(_Timestamps, BASE):
    """A role a user holds on a project (``type`` "UserProject") or a domain ("UserDomain").

    The target has no foreign key because it is one of two tables; deleting a project or a
    domain deletes its assignments in the same transaction.
    """

    __tablename__ = 'identity_role_assignments'
    __table_args__ = (
        sa.UniqueConstraint('type', 'actor_id', 'target_id', 'role_id',
                            name='uniq_identity_role_assignments0type0actor_id0target_id0'
                                 'role_id'),
        sa.Index('identity_role_assignments_target_idx', 'target_id'),
        sa.Index('identity_role_assignments_role_idx', 'role_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    type = sa.Column(sa.String(16), nullable=False)
    actor_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_users.id', name='identity_role_assignments_actor_id_fkey'), nullable=False)
    target_id = sa.Column(sa.String(64), nullable=False)
    role_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_roles.id', name='identity_role_assignments_role_id_fkey'), nullable=False)


class IdentityService(_Timestamps, BASE):
    __tablename__ = 'identity_services'

    id = sa.Column(sa.String(64), primary_key=True, nullable=False)
    type = sa.Column(sa.String(255), nullable=False)
    name = sa.Column(sa.String(255))
    description = sa.Column(sa.Text())
    enabled = sa.Column(sa.Boolean(), nullable=False, default=True, server_default=sa.true())


class IdentityEndpoint(_Timestamps, BASE):
    __tablename__ = 'identity_endpoints'
    __table_args__ = (
        sa.Index('identity_endpoints_service_id_idx', 'service_id'),
    )

    id = sa.Column(sa.String(64), primary_key=True, nullable=False)
    service_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_services.id', name='identity_endpoints_service_id_fkey'), nullable=False)
    interface = sa.Column(sa.String(8), nullable=False)
    region_id = sa.Column(sa.String(255))
    url = sa.Column(sa.Text(), nullable=False)
    enabled = sa.Column(sa.Boolean(), nullable=False, default=True, server_default=sa.true())


class IdentityApplicationCredential(_Timestamps, BASE):
    """A user's delegation of some of its roles on one project; the secret is hashed."""

    __tablename__ = 'identity_application_credentials'
    __table_args__ = (
        sa.UniqueConstraint('user_id', 'name',
                            name='uniq_identity_application_credentials0user_id0name'),
    )

    id = sa.Column(sa.String(64), primary_key=True, nullable=False)
    name = sa.Column(sa.String(255), nullable=False)
    description = sa.Column(sa.Text())
    user_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_users.id', name='identity_application_credentials_user_id_fkey'),
        nullable=False)
    project_id = sa.Column(sa.String(64), nullable=False)
    secret_hash = sa.Column(sa.String(255), nullable=False)
    expires_at = sa.Column(sa.DateTime())
    unrestricted = sa.Column(sa.Boolean(), nullable=False, default=False,
                             server_default=sa.false())

    roles = orm.relationship('IdentityApplicationCredentialRole', lazy='selectin',
                             cascade='all, delete-orphan')


class IdentityApplicationCredentialRole(_Timestamps, BASE):
    __tablename__ = 'identity_application_credential_roles'

    application_credential_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_application_credentials.id',
        name='identity_application_credential_roles_app_cred_id_fkey'), primary_key=True)
    role_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_roles.id', name='identity_application_credential_roles_role_id_fkey'),
        primary_key=True)


class IdentityEC2Credential(_Timestamps, BASE):
    """An EC2 access/secret key pair of a user for one project.

    The secret is kept as it is: EC2 request signatures are HMACs the server must recompute.
    """

    __tablename__ = 'identity_ec2_credentials'
    __table_args__ = (
        sa.UniqueConstraint('access', name='uniq_identity_ec2_credentials0access'),
        sa.Index('identity_ec2_credentials_user_id_idx', 'user_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    access = sa.Column(sa.String(64), nullable=False)
    secret = sa.Column(sa.String(64), nullable=False)
    user_id = sa.Column(sa.String(64), sa.ForeignKey(
        'identity_users.id', name='identity_ec2_credentials_user_id_fkey'), nullable=False)
    project_id = sa.Column(sa.String(64), nullable=False)


class IdentityRevocationEvent(_Timestamps, BASE):
    """Tokens issued before ``issued_before`` that match every set column are revoked.

    An event only matters while a token it could match may still be unexpired, so events
    older than the token lifetime are purged.
    """

    __tablename__ = 'identity_revocation_events'
    __table_args__ = (
        sa.Index('identity_revocation_events_revoked_at_idx', 'revoked_at'),
        sa.Index('identity_revocation_events_audit_id_idx', 'audit_id'),
        sa.Index('identity_revocation_events_user_id_idx', 'user_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    audit_id = sa.Column(sa.String(32))
    user_id = sa.Column(sa.String(64))
    project_id = sa.Column(sa.String(64))
    issued_before = sa.Column(PreciseDateTime(), nullable=False)
    revoked_at = sa.Column(PreciseDateTime(), nullable=False)


class InstanceGroup(_Timestamps, BASE):
    """A server group: instances the scheduler places together or apart by its policy."""

    __tablename__ = 'instance_groups'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
        sa.Index('instance_groups_project_id_idx', 'project_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    policies = orm.relationship('InstanceGroupPolicy', lazy='selectin',
                                cascade='all, delete-orphan')
    members = orm.relationship('InstanceGroupMember', lazy='selectin',
                               cascade='all, delete-orphan')


class InstanceGroupPolicy(_Timestamps, BASE):
    """The policy of a server group (one per group) and its rules as JSON."""

    __tablename__ = 'instance_group_policy'
    __table_args__ = (
        sa.Index('instance_group_policy_policy_idx', 'policy'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    policy = sa.Column(sa.String(255))
    rules = sa.Column(sa.Text())
    group_id = sa.Column(sa.Integer, sa.ForeignKey(
        'instance_groups.id', name='instance_group_policy_group_id_fkey'), nullable=False)


class InstanceGroupMember(_Timestamps, BASE):
    """An instance in a server group."""

    __tablename__ = 'instance_group_member'
    __table_args__ = (
        sa.Index('instance_group_member_instance_idx', 'instance_uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    instance_uuid = sa.Column(sa.String(255))
    group_id = sa.Column(sa.Integer, sa.ForeignKey(
        'instance_groups.id', name='instance_group_member_group_id_fkey'), nullable=False)


class Aggregate(_Timestamps, BASE):
    """A host aggregate: a named set of compute hosts with metadata (availability_zone)."""

    __tablename__ = 'aggregates'
    __table_args__ = (
        sa.UniqueConstraint('name', name='uniq_aggregate0name'),
        sa.Index('aggregate_uuid_idx', 'uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    uuid = sa.Column(sa.String(36))
    name = sa.Column(sa.String(255))
    hosts = orm.relationship('AggregateHost', lazy='selectin', cascade='all, delete-orphan')
    metadata_items = orm.relationship('AggregateMetadata', lazy='selectin',
                                      cascade='all, delete-orphan')


class AggregateHost(_Timestamps, BASE):
    """A host in an aggregate."""

    __tablename__ = 'aggregate_hosts'
    __table_args__ = (
        sa.UniqueConstraint('host', 'aggregate_id',
                            name='uniq_aggregate_hosts0host0aggregate_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    host = sa.Column(sa.String(255))
    aggregate_id = sa.Column(sa.Integer, sa.ForeignKey(
        'aggregates.id', name='aggregate_hosts_aggregate_id_fkey'), nullable=False)


class AggregateMetadata(_Timestamps, BASE):
    """One key/value of an aggregate's metadata."""

    __tablename__ = 'aggregate_metadata'
    __table_args__ = (
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
        sa.Index('aggregate_metadata_key_idx', 'key'),
    )

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    aggregate_id = sa.Column(sa.Integer, sa.ForeignKey(
        'aggregates.id', name='aggregate_metadata_aggregate_id_fkey'), nullable=False)
    key = sa.Column(sa.String(255), nullable=False)
    value = sa.Column(sa.String(255), nullable=False)
