"""The ``task_log`` table: runs of periodic tasks per host and period (the instance usage
audit that os-instance-usage-audit-log reports).

Revision ID: e7b3c9d15a42
Revises: c4e1b7a2d905
Create Date: 2026-12-06 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'e7b3c9d15a42'
down_revision = 'c4e1b7a2d905'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'task_log',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('deleted', sa.Integer(), nullable=False),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column('task_name', sa.String(255), nullable=False),
        sa.Column('state', sa.String(255), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('period_beginning', sa.DateTime(), nullable=False),
        sa.Column('period_ending', sa.DateTime(), nullable=False),
        sa.Column('message', sa.String(255), nullable=False),
        sa.Column('task_items', sa.Integer(), nullable=True),
        sa.Column('errors', sa.Integer(), nullable=True),
        sa.UniqueConstraint('task_name', 'host', 'period_beginning', 'period_ending',
                            name='uniq_task_name_x_host_x_period_beginning_x_period_ending'),
        mysql_engine='InnoDB',
    )
    op.create_index('ix_task_log_period_beginning', 'task_log', ['period_beginning'])
    op.create_index('ix_task_log_host', 'task_log', ['host'])
    op.create_index('ix_task_log_period_ending', 'task_log', ['period_ending'])


def downgrade():
    op.drop_table('task_log')
