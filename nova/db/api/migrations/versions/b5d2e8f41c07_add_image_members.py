"""Add image_members: the projects a shared image is shared with.

Revision ID: b5d2e8f41c07
Revises: 3a7f1c2e9b40
Create Date: 2025-01-20 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = 'b5d2e8f41c07'
down_revision = '3a7f1c2e9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'image_members',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column('image_id', sa.String(36), nullable=False),
        sa.Column('member', sa.String(255), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(['image_id'], ['images.id'],
                                name='image_members_image_id_fkey'),
        sa.UniqueConstraint('image_id', 'member', name='uniq_image_members0image_id0member'),
    )
    op.create_index('image_members_member_idx', 'image_members', ['member'])
