"""Add the tables of the local image store: images, image_properties, image_tags.

Revision ID: 3a7f1c2e9b40
Revises: 58d056e9aaa7
Create Date: 2025-01-02 00:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '3a7f1c2e9b40'
down_revision = '58d056e9aaa7'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=True),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def upgrade():
    op.create_table(
        'images',
        *_timestamps(),
        sa.Column('id', sa.String(36), primary_key=True, nullable=False),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('status', sa.String(30), nullable=False),
        sa.Column('visibility', sa.String(20), nullable=False),
        sa.Column('owner', sa.String(255), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('virtual_size', sa.BigInteger(), nullable=True),
        sa.Column('checksum', sa.String(32), nullable=True),
        sa.Column('os_hash_algo', sa.String(64), nullable=True),
        sa.Column('os_hash_value', sa.String(128), nullable=True),
        sa.Column('disk_format', sa.String(20), nullable=True),
        sa.Column('container_format', sa.String(20), nullable=True),
        sa.Column('min_disk', sa.Integer(), nullable=False),
        sa.Column('min_ram', sa.Integer(), nullable=False),
        sa.Column('protected', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('os_hidden', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index('images_owner_idx', 'images', ['owner'])
    op.create_index('images_visibility_idx', 'images', ['visibility'])
    op.create_index('images_created_at_idx', 'images', ['created_at'])

    op.create_table(
        'image_properties',
        *_timestamps(),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column('image_id', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('value', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['image_id'], ['images.id'],
                                name='image_properties_image_id_fkey'),
        sa.UniqueConstraint('image_id', 'name', name='uniq_image_properties0image_id0name'),
    )

    op.create_table(
        'image_tags',
        *_timestamps(),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column('image_id', sa.String(36), nullable=False),
        sa.Column('value', sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(['image_id'], ['images.id'], name='image_tags_image_id_fkey'),
        sa.UniqueConstraint('image_id', 'value', name='uniq_image_tags0image_id0value'),
    )
