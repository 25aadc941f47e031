"""Add server groups (instance_groups, their policy and members) and host aggregates
(aggregates, their hosts and metadata).

Revision ID: d41f7a0c6e28
Revises: 9c4e2b7d1a53
Create Date: 2026-12-06 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'd41f7a0c6e28'
down_revision = '9c4e2b7d1a53'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=True),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def _id():
    return sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True,
                     nullable=False)


def upgrade():
    op.create_table(
        'instance_groups', *_timestamps(), _id(),
        sa.Column('user_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
    )
    op.create_index('instance_groups_project_id_idx', 'instance_groups', ['project_id'])
    op.create_table(
        'instance_group_policy', *_timestamps(), _id(),
        sa.Column('policy', sa.String(255)),
        sa.Column('rules', sa.Text()),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['instance_groups.id'],
                                name='instance_group_policy_group_id_fkey'),
    )
    op.create_index('instance_group_policy_policy_idx', 'instance_group_policy', ['policy'])
    op.create_table(
        'instance_group_member', *_timestamps(), _id(),
        sa.Column('instance_uuid', sa.String(255)),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['instance_groups.id'],
                                name='instance_group_member_group_id_fkey'),
    )
    op.create_index('instance_group_member_instance_idx', 'instance_group_member',
                    ['instance_uuid'])
    op.create_table(
        'aggregates', *_timestamps(), _id(),
        sa.Column('uuid', sa.String(36)),
        sa.Column('name', sa.String(255)),
        sa.UniqueConstraint('name', name='uniq_aggregate0name'),
    )
    op.create_index('aggregate_uuid_idx', 'aggregates', ['uuid'])
    op.create_table(
        'aggregate_hosts', *_timestamps(), _id(),
        sa.Column('host', sa.String(255)),
        sa.Column('aggregate_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['aggregate_id'], ['aggregates.id'],
                                name='aggregate_hosts_aggregate_id_fkey'),
        sa.UniqueConstraint('host', 'aggregate_id',
                            name='uniq_aggregate_hosts0host0aggregate_id'),
    )
    op.create_table(
        'aggregate_metadata', *_timestamps(), _id(),
        sa.Column('aggregate_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(255), nullable=False),
        sa.Column('value', sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(['aggregate_id'], ['aggregates.id'],
                                name='aggregate_metadata_aggregate_id_fkey'),
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
    )
    op.create_index('aggregate_metadata_key_idx', 'aggregate_metadata', ['key'])


def downgrade():
    for table in ('aggregate_metadata', 'aggregate_hosts', 'aggregates',
                  'instance_group_member', 'instance_group_policy', 'instance_groups'):
        op.drop_table(table)
