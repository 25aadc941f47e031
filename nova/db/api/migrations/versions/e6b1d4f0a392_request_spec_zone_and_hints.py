"""Add request_specs.availability_zone and scheduler_hints: copies of the spec's fields.

Server lists show both for every server; reading two columns spares parsing every whole
spec. Existing rows get them from their spec.

Revision ID: e6b1d4f0a392
Revises: d41f7a0c6e28
Create Date: 2026-12-06 00:00:00
"""

from alembic import op
from oslo_serialization import jsonutils
import sqlalchemy as sa

revision = 'e6b1d4f0a392'
down_revision = 'd41f7a0c6e28'
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade():
    with op.batch_alter_table('request_specs') as batch:
        batch.add_column(sa.Column('availability_zone', sa.String(255), nullable=True))
        batch.add_column(sa.Column('scheduler_hints', sa.Text(), nullable=True))
    specs = sa.table('request_specs', sa.column('id', sa.Integer),
                     sa.column('spec', sa.Text), sa.column('availability_zone', sa.String),
                     sa.column('scheduler_hints', sa.Text))
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(specs.c.id, specs.c.spec).where(specs.c.id > last_id)
            .order_by(specs.c.id).limit(_BATCH)).all()
        if not rows:
            break
        for row_id, text in rows:
            data = jsonutils.loads(text).get('nova_object.data', {})
            hints = data.get('scheduler_hints')
            connection.execute(
                specs.update().where(specs.c.id == row_id).values(
                    availability_zone=data.get('availability_zone'),
                    scheduler_hints=jsonutils.dumps(hints) if hints else None))
        last_id = rows[-1][0]


def downgrade():
    with op.batch_alter_table('request_specs') as batch:
        batch.drop_column('scheduler_hints')
        batch.drop_column('availability_zone')
