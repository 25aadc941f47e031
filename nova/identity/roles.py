"""Role names with a meaning of their own, and the roles they imply.

Keystone lets operators chain roles ("implied roles"); here the chain is fixed to the one
every deployment since Rocky bootstraps: admin implies member, member implies reader. A
token lists the roles assigned and the roles they imply, as Keystone's does.
"""

ADMIN = 'admin'
MEMBER = 'member'
READER = 'reader'
DEFAULT_ROLES = (ADMIN, MEMBER, READER)

_IMPLIES = {ADMIN: MEMBER, MEMBER: READER}


def implied_names(names):
    """``names`` and every role name they imply (lower case compared, as Keystone does)."""
    result = set()
    for name in names:
        current = name.lower()
        while current is not None:
            result.add(current)
            current = _IMPLIES.get(current)
    return result


def is_admin(role_names):
    return ADMIN in {name.lower() for name in role_names}
