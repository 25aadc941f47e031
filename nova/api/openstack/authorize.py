"""The one place API handlers ask "may this caller do that?".

For now every rule is admin-only; oslo.policy (with upstream's rule names and defaults)
replaces the body of :func:`authorize` later without touching the handlers.
"""

from nova import exception


def authorize(context, rule, target=None):
    """Raise PolicyNotAuthorized (403) unless ``context`` may perform ``rule``."""
    if context is None or not context.is_admin:
        raise exception.PolicyNotAuthorized(action=rule)
