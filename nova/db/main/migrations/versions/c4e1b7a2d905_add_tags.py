"""Server tags: the ``tags`` table (API microversion 2.26).

Revision ID: c4e1b7a2d905
Revises: 8f2a1c3b7d10
Create Date: 2025-02-01 00:00:00

A tag is a (resource_id, tag) pair: the pair is the primary key, so a server has each tag
at most once. Rows are removed (not soft-deleted) when a tag goes away. Frozen like every
revision: it never imports the models.
"""

from alembic import op
import sqlalchemy as sa

revision = 'c4e1b7a2d905'
down_revision = '8f2a1c3b7d10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tags',
        sa.Column('resource_id', sa.String(36), primary_key=True, nullable=False),
        sa.Column('tag', sa.Unicode(80), primary_key=True, nullable=False),
        mysql_engine='InnoDB',
    )
    op.create_index('tags_tag_idx', 'tags', ['tag'])


def downgrade():
    op.drop_index('tags_tag_idx', table_name='tags')
    op.drop_table('tags')
