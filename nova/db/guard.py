"""Refuse database use in processes that must not have it.

Only the daemons whose job is the database (nova-conductor, nova-manage, nova-all) call
``allow_database_access``. Everything else goes through conductor, so an accidental direct
query in nova-api, nova-scheduler or nova-compute fails loudly instead of quietly needing DB
credentials on every host.
"""

import sys

from nova import exception

_allowed_for = None


def allow_database_access(binary):
    """Declare that this process (``binary``) may open database connections."""
    global _allowed_for
    _allowed_for = binary


def disallow_database_access():
    global _allowed_for
    _allowed_for = None


def database_access_allowed():
    return _allowed_for is not None


def check():
    if _allowed_for is None:
        binary = sys.argv[0].rsplit('/', 1)[-1] if sys.argv and sys.argv[0] else 'this process'
        raise exception.DBNotAllowed(binary=binary)
