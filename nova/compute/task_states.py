"""What an instance is in the middle of (``task_state``), as upstream Nova names them."""

SCHEDULING = 'scheduling'
BLOCK_DEVICE_MAPPING = 'block_device_mapping'
NETWORKING = 'networking'
SPAWNING = 'spawning'
DELETING = 'deleting'

# Reboots: the API sets REBOOTING(_HARD), compute PENDING when it takes the request and
# STARTED just before the driver reboots the guest.
REBOOTING = 'rebooting'
REBOOT_PENDING = 'reboot_pending'
REBOOT_STARTED = 'reboot_started'
REBOOTING_HARD = 'rebooting_hard'
REBOOT_PENDING_HARD = 'reboot_pending_hard'
REBOOT_STARTED_HARD = 'reboot_started_hard'
SOFT_REBOOT_STATES = (REBOOTING, REBOOT_PENDING, REBOOT_STARTED)
HARD_REBOOT_STATES = (REBOOTING_HARD, REBOOT_PENDING_HARD, REBOOT_STARTED_HARD)

POWERING_OFF = 'powering-off'
POWERING_ON = 'powering-on'
PAUSING = 'pausing'
UNPAUSING = 'unpausing'
SUSPENDING = 'suspending'
RESUMING = 'resuming'
RESCUING = 'rescuing'
UNRESCUING = 'unrescuing'
UPDATING_PASSWORD = 'updating_password'
SOFT_DELETING = 'soft-deleting'
RESTORING = 'restoring'

# The task states from which a hard reboot may start (upstream's ALLOW_REBOOT): a hard
# reboot may interrupt a soft one, or a pause/suspend/resume that hangs.
ALLOW_REBOOT = (None, REBOOTING, REBOOT_PENDING, REBOOT_STARTED, RESUMING, REBOOTING_HARD,
                UNPAUSING, PAUSING, SUSPENDING)
