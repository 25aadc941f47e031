"""The base of every service's manager (the RPC endpoint and periodic task owner).

Periodic tasks are methods marked with ``@periodic_task``; the service runs them on a
futurist PeriodicWorker thread. Spacing may name a config option so operators can tune it
without a code change.
"""

import logging

from futurist import periodics

from nova import context as nova_context
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_PERIODIC_ATTR = '_nova_periodic'


def periodic_task(spacing=None, spacing_option=None, run_immediately=False):
    """Mark a manager method ``f(self, context)`` as periodic.

    ``spacing`` is seconds; ``spacing_option`` names an option holding seconds, as 'name'
    for [DEFAULT] or 'group.name'. A spacing of 0 (or none given) means
    CONF.periodic_interval; a negative one disables the task.
    """
    def decorator(func):
        setattr(func, _PERIODIC_ATTR, (spacing, spacing_option, run_immediately))
        return func
    return decorator


class Manager:
    """Common behaviour of service managers; subclasses set ``target`` and service_name."""

    service_name = None

    def __init__(self, host=None, service_name=None):
        self.host = host or CONF.host
        if service_name:
            self.service_name = service_name

    # Hooks the Service calls around start and stop.
    def init_host(self):
        """Prepare the host before the RPC server starts taking requests."""

    def pre_start_hook(self, service_ref):
        """Called with the service record, before the RPC server starts."""

    def post_start_hook(self):
        """Called once the RPC server is consuming."""

    def cleanup_host(self):
        """Called on a clean stop, after the RPC server has drained."""

    def reset(self):
        """Called on SIGHUP after mutable config options were reloaded."""

    def periodic_callables(self):
        """[(callable, args, kwargs)] for futurist.PeriodicWorker, spacing resolved now."""
        result = []
        for name in dir(type(self)):
            func = getattr(type(self), name, None)
            marker = getattr(func, _PERIODIC_ATTR, None)
            if marker is None:
                continue
            spacing, option, run_immediately = marker
            if option:
                group, _dot, opt_name = option.rpartition('.')
                spacing = getattr(CONF[group] if group else CONF, opt_name)
            if not spacing:
                spacing = CONF.periodic_interval
            if spacing < 0:
                LOG.info('Periodic task %s is disabled (spacing %s)', name, spacing)
                continue
            result.append((self._periodic_runner(getattr(self, name), spacing, run_immediately),
                           (), {}))
        return result

    def _periodic_runner(self, method, spacing, run_immediately):
        @periodics.periodic(spacing, run_immediately=run_immediately)
        def run():
            try:
                method(nova_context.get_admin_context())
            except Exception:
                # A failing task must not stop the others or the worker thread.
                LOG.exception('Periodic task %s failed', method.__name__)
        run.__name__ = method.__name__
        return run
