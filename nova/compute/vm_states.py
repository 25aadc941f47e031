"""The stable states of an instance (``vm_state``), as upstream Nova names them."""

ACTIVE = 'active'
BUILDING = 'building'
PAUSED = 'paused'
SUSPENDED = 'suspended'
STOPPED = 'stopped'
RESCUED = 'rescued'
RESIZED = 'resized'
SOFT_DELETED = 'soft-delete'
DELETED = 'deleted'
ERROR = 'error'
SHELVED = 'shelved'
SHELVED_OFFLOADED = 'shelved_offloaded'

# States from which an instance may be deleted without waiting for its host.
ALLOW_HARD_DELETE = (ACTIVE, BUILDING, PAUSED, SUSPENDED, STOPPED, RESCUED, RESIZED,
                     SOFT_DELETED, ERROR, SHELVED, SHELVED_OFFLOADED)

# Where reboots may start (upstream's lists).
ALLOW_SOFT_REBOOT = (ACTIVE,)
ALLOW_HARD_REBOOT = ALLOW_SOFT_REBOOT + (STOPPED, PAUSED, SUSPENDED, ERROR)
