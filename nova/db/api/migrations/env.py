"""Alembic environment of the api database (run through nova.db.migration)."""

from nova.db import migration
from nova.db.api import models

migration.run_migrations(models.BASE.metadata)
