"""Alembic environment of the main database (run through nova.db.migration)."""

from nova.db import migration
from nova.db.main import models

migration.run_migrations(models.BASE.metadata)
