"""May this caller do that? oslo.policy, with upstream Nova's defaults from nova.policies.

Operators override any rule in ``[oslo_policy] policy_file`` (policy.yaml); the file is
re-read when it changes, looked at no more than once a second. A rule name that was never
registered is a programming error (oslo.policy raises PolicyNotRegistered), so a typo
cannot silently open an API.
"""

import os
import threading
import time

from oslo_config import cfg
from oslo_policy import policy

from nova import exception
from nova import policies
import nova.conf

CONF = nova.conf.CONF

_ENFORCER = None
_LOCK = threading.Lock()


# How often the enforcer looks for a new or changed policy file or directory.
RELOAD_CHECK_SECONDS = 1.0


class _Enforcer(policy.Enforcer):
    _checked_at = None

    def load_rules(self, force_reload=False):
        # oslo.policy looks for the files on every check, searching the configuration
        # directories each time there is no policy file: a fifth of nova-api's CPU in a
        # server list, which checks five rules. An edit is picked up within a second.
        now = time.monotonic()
        if (not force_reload and self.rules and self._checked_at is not None
                and now - self._checked_at < RELOAD_CHECK_SECONDS):
            return
        super().load_rules(force_reload)
        self._checked_at = now

    def _get_policy_path(self, path):
        try:
            return super()._get_policy_path(path)
        except cfg.NotInitializedError:
            # No command line was parsed (nova used as a library, tests), so there are no
            # configuration directories to search: only an absolute path can be found.
            if os.path.isabs(path) and os.path.exists(path):
                return path
            raise cfg.ConfigFilesNotFoundError([path]) from None


def get_enforcer():
    """The process's enforcer (also the ``oslo.policy.enforcer`` entry point)."""
    global _ENFORCER
    if _ENFORCER is None:
        with _LOCK:
            if _ENFORCER is None:
                enforcer = _Enforcer(CONF)
                enforcer.register_defaults(policies.list_rules())
                enforcer.load_rules()
                _ENFORCER = enforcer
    return _ENFORCER


def reset():
    """Forget the enforcer (tests that change the policy file or its options)."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def authorize(context, action, target=None, fatal=True):
    """Raise PolicyNotAuthorized (403) unless ``context`` may perform ``action`` on
    ``target`` (default: the caller's own project and user); with ``fatal=False``, answer
    True or False instead."""
    if context is None:
        if fatal:
            raise exception.PolicyNotAuthorized(action=action)
        return False
    if target is None:
        target = {'project_id': context.project_id, 'user_id': context.user_id}
    try:
        return get_enforcer().authorize(action, target, context, do_raise=fatal,
                                        exc=exception.PolicyNotAuthorized, action=action)
    except policy.InvalidScope:
        if fatal:
            raise exception.PolicyNotAuthorized(action=action)
        return False
