"""Database access: only nova-conductor, nova-manage and nova-all may use this package.

- ``guard``: refuses any database use in a process that has not declared it may use one.
- ``engines``: the two enginefacade transaction contexts (main/cell and API database) and the
  reader/writer decorators every query function uses.
- ``main/`` and ``api/``: models, query functions (``api.py``) and alembic migrations of each
  database. ``migration``: sync and version for both.
"""
