"""Add the tables of the built-in identity service (domains, projects, users, roles, role
assignments, the catalog, application and EC2 credentials, token revocation events).

Revision ID: 9c4e2b7d1a53
Revises: b5d2e8f41c07
Create Date: 2025-01-03 00:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

revision = '9c4e2b7d1a53'
down_revision = 'b5d2e8f41c07'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=True),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def _precise_datetime():
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')


def _string_id():
    return sa.Column('id', sa.String(64), primary_key=True, nullable=False)


def _enabled():
    return sa.Column('enabled', sa.Boolean(), nullable=False, server_default=sa.true())


def upgrade():
    op.create_table(
        'identity_domains',
        *_timestamps(),
        _string_id(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        _enabled(),
        sa.Column('extra', sa.Text(), nullable=True),
        sa.UniqueConstraint('name', name='uniq_identity_domains0name'),
    )

    op.create_table(
        'identity_projects',
        *_timestamps(),
        _string_id(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('domain_id', sa.String(64), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        _enabled(),
        sa.Column('extra', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['domain_id'], ['identity_domains.id'],
                                name='identity_projects_domain_id_fkey'),
        sa.UniqueConstraint('domain_id', 'name', name='uniq_identity_projects0domain_id0name'),
    )

    op.create_table(
        'identity_users',
        *_timestamps(),
        _string_id(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('domain_id', sa.String(64), nullable=False),
        _enabled(),
        sa.Column('password_hash', sa.String(255), nullable=True),
        sa.Column('default_project_id', sa.String(64), nullable=True),
        sa.Column('extra', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['domain_id'], ['identity_domains.id'],
                                name='identity_users_domain_id_fkey'),
        sa.UniqueConstraint('domain_id', 'name', name='uniq_identity_users0domain_id0name'),
    )

    op.create_table(
        'identity_roles',
        *_timestamps(),
        _string_id(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.UniqueConstraint('name', name='uniq_identity_roles0name'),
    )

    op.create_table(
        'identity_role_assignments',
        *_timestamps(),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column('type', sa.String(16), nullable=False),
        sa.Column('actor_id', sa.String(64), nullable=False),
        sa.Column('target_id', sa.String(64), nullable=False),
        sa.Column('role_id', sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['identity_users.id'],
                                name='identity_role_assignments_actor_id_fkey'),
        sa.ForeignKeyConstraint(['role_id'], ['identity_roles.id'],
                                name='identity_role_assignments_role_id_fkey'),
        sa.UniqueConstraint('type', 'actor_id', 'target_id', 'role_id',
                            name='uniq_identity_role_assignments0type0actor_id0target_id0'
                                 'role_id'),
    )
    op.create_index('identity_role_assignments_target_idx', 'identity_role_assignments',
                    ['target_id'])
    op.create_index('identity_role_assignments_role_idx', 'identity_role_assignments',
                    ['role_id'])

    op.create_table(
        'identity_services',
        *_timestamps(),
        _string_id(),
        sa.Column('type', sa.String(255), nullable=False),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        _enabled(),
    )

    op.create_table(
        'identity_endpoints',
        *_timestamps(),
        _string_id(),
        sa.Column('service_id', sa.String(64), nullable=False),
        sa.Column('interface', sa.String(8), nullable=False),
        sa.Column('region_id', sa.String(255), nullable=True),
        sa.Column('url', sa.Text(), nullable=False),
        _enabled(),
        sa.ForeignKeyConstraint(['service_id'], ['identity_services.id'],
                                name='identity_endpoints_service_id_fkey'),
    )
    op.create_index('identity_endpoints_service_id_idx', 'identity_endpoints', ['service_id'])

    op.create_table(
        'identity_application_credentials',
        *_timestamps(),
        _string_id(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('secret_hash', sa.String(255), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('unrestricted', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(['user_id'], ['identity_users.id'],
                                name='identity_application_credentials_user_id_fkey'),
        sa.UniqueConstraint('user_id', 'name',
                            name='uniq_identity_application_credentials0user_id0name'),
    )

    op.create_table(
        'identity_application_credential_roles',
        *_timestamps(),
        sa.Column('application_credential_id', sa.String(64), primary_key=True,
                  nullable=False),
        sa.Column('role_id', sa.String(64), primary_key=True, nullable=False),
        sa.ForeignKeyConstraint(['application_credential_id'],
                                ['identity_application_credentials.id'],
                                name='identity_application_credential_roles_app_cred_id_fkey'),
        sa.ForeignKeyConstraint(['role_id'], ['identity_roles.id'],
                                name='identity_application_credential_roles_role_id_fkey'),
    )

    op.create_table(
        'identity_ec2_credentials',
        *_timestamps(),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column('access', sa.String(64), nullable=False),
        sa.Column('secret', sa.String(64), nullable=False),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['identity_users.id'],
                                name='identity_ec2_credentials_user_id_fkey'),
        sa.UniqueConstraint('access', name='uniq_identity_ec2_credentials0access'),
    )
    op.create_index('identity_ec2_credentials_user_id_idx', 'identity_ec2_credentials',
                    ['user_id'])

    op.create_table(
        'identity_revocation_events',
        *_timestamps(),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column('audit_id', sa.String(32), nullable=True),
        sa.Column('user_id', sa.String(64), nullable=True),
        sa.Column('project_id', sa.String(64), nullable=True),
        sa.Column('issued_before', _precise_datetime(), nullable=False),
        sa.Column('revoked_at', _precise_datetime(), nullable=False),
    )
    op.create_index('identity_revocation_events_revoked_at_idx', 'identity_revocation_events',
                    ['revoked_at'])
    op.create_index('identity_revocation_events_audit_id_idx', 'identity_revocation_events',
                    ['audit_id'])
    op.create_index('identity_revocation_events_user_id_idx', 'identity_revocation_events',
                    ['user_id'])
