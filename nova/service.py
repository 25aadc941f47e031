"""A nova daemon: the pieces every service shares.

``Service`` is an RPC service: a service record in the database (through conductor), an RPC
server on its topic and on ``topic.host``, a heartbeat every ``report_interval`` and the
manager's periodic tasks on their own threads. ``WSGIService`` serves a paste app with cheroot.
``Launcher`` runs several of them in one process and turns SIGTERM/SIGINT into a clean stop
(in-flight RPCs finish, the service is marked stopped) and SIGHUP into a reload of mutable
options.
"""

import logging
import random
import signal
import threading

from futurist import periodics
import oslo_messaging as messaging
from oslo_utils import importutils
from oslo_utils import timeutils

from nova import baserpc
from nova import context as nova_context
from nova import exception
from nova import objects
from nova import rpc
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# binary -> (topic, manager class path)
SERVICE_MANAGERS = {
    'nova-compute': ('compute', 'nova.compute.manager.ComputeManager'),
    'nova-conductor': ('conductor', 'nova.conductor.manager.ConductorManager'),
    'nova-scheduler': ('scheduler', 'nova.scheduler.manager.SchedulerManager'),
}


class Service:
    """An RPC service: record, server, heartbeat and periodic tasks for one manager."""

    def __init__(self, host, binary, topic, manager, report_interval=None,
                 periodic_enable=None, periodic_fuzzy_delay=None):
        self.host = host
        self.binary = binary
        self.topic = topic
        self.manager = manager
        self.report_interval = report_interval or CONF.report_interval
        self.periodic_enable = CONF.periodic_enable if periodic_enable is None \
            else periodic_enable
        self.periodic_fuzzy_delay = CONF.periodic_fuzzy_delay if periodic_fuzzy_delay is None \
            else periodic_fuzzy_delay
        self.service_ref = None
        self.rpcserver = None
        self._stop = threading.Event()
        self._threads = []
        self._periodic_worker = None

    @classmethod
    def create(cls, binary, host=None, topic=None, manager=None, **kwargs):
        default_topic, manager_path = SERVICE_MANAGERS[binary]
        host = host or CONF.host
        manager = manager or importutils.import_object(manager_path, host=host)
        return cls(host, binary, topic or default_topic, manager, **kwargs)

    def __repr__(self):
        return '<%s: host=%s, binary=%s, topic=%s>' % (
            type(self).__name__, self.host, self.binary, self.topic)

    def start(self):
        LOG.info('Starting %s on host %s', self.binary, self.host)
        context = nova_context.get_admin_context()
        indirection = objects.base.NovaObject.indirection_api
        if indirection is not None:
            indirection.wait_until_ready(context)
        self.manager.init_host()
        self.service_ref = self._register(context)
        self.manager.pre_start_hook(self.service_ref)

        target = messaging.Target(topic=self.topic, server=self.host)
        endpoints = [self.manager, baserpc.BaseRPC(self.binary, self.host)]
        endpoints += getattr(self.manager, 'additional_endpoints', [])
        self.rpcserver = rpc.get_server(target, endpoints)
        self.rpcserver.start()
        self.manager.post_start_hook()

        # First heartbeat now: the service shows up as soon as it takes requests.
        self.report_state()
        self._spawn('heartbeat', self._heartbeat_loop)
        if self.periodic_enable:
            self._spawn('periodic', self._run_periodic_tasks)
        LOG.info('%s started on host %s (topic %s)', self.binary, self.host, self.topic)

    def _register(self, context):
        """Find or create this service's record and bring its version up to date."""
        ref = objects.Service.get_by_host_and_binary(context, self.host, self.binary)
        if ref is None:
            ref = objects.Service(context, host=self.host, binary=self.binary,
                                  topic=self.topic, report_count=0)
            try:
                ref.create()
            except (exception.ServiceBinaryExists, exception.ServiceTopicExists):
                # Another start raced us to it: use theirs.
                ref = objects.Service.get_by_host_and_binary(context, self.host, self.binary)
        else:
            ref.version = objects.service.SERVICE_VERSION
            ref.save()
        return ref

    def _spawn(self, name, target):
        thread = threading.Thread(target=target, name='%s-%s' % (self.binary, name),
                                  daemon=True)
        thread.start()
        self._threads.append(thread)

    def report_state(self):
        """One heartbeat: bump report_count and last_seen_up through conductor."""
        try:
            self.service_ref.report_count += 1
            self.service_ref.last_seen_up = timeutils.utcnow()
            self.service_ref.save()
            LOG.debug('Heartbeat %d of %s', self.service_ref.report_count, self.binary)
        except messaging.MessagingTimeout:
            LOG.warning('Heartbeat of %s timed out: is nova-conductor running?', self.binary)
        except Exception:
            LOG.exception('Heartbeat of %s failed', self.binary)

    def _heartbeat_loop(self):
        while not self._stop.wait(self.report_interval):
            self.report_state()

    def _run_periodic_tasks(self):
        # A random start delay spreads the load of many services on conductor.
        if self.periodic_fuzzy_delay and self._stop.wait(
                random.uniform(0, self.periodic_fuzzy_delay)):
            return
        callables = self.manager.periodic_callables()
        if not callables or self._stop.is_set():
            return
        self._periodic_worker = periodics.PeriodicWorker(callables)
        self._periodic_worker.start()

    def stop(self, graceful=True):
        """Stop taking requests, let in-flight ones finish, mark the service stopped."""
        LOG.info('Stopping %s on host %s', self.binary, self.host)
        self._stop.set()
        if self._periodic_worker is not None:
            self._periodic_worker.stop()
        if self.rpcserver is not None:
            self.rpcserver.stop()
            if graceful:
                self.rpcserver.wait()
        if self._periodic_worker is not None:
            self._periodic_worker.wait()
        # A heartbeat still in flight would undo the "stopped" mark below.
        for thread in self._threads:
            thread.join(timeout=CONF.graceful_shutdown_timeout)
        try:
            self.manager.cleanup_host()
        except Exception:
            LOG.exception('Cleanup of %s failed', self.binary)
        if graceful:
            self._mark_stopped()

    def _mark_stopped(self):
        # No last_seen_up on a record that has reported before: the service group reads
        # that as "stopped", so the service shows down at once rather than after
        # service_down_time.
        if self.service_ref is None:
            return
        try:
            indirection = objects.base.NovaObject.indirection_api
            if indirection is not None:
                # Conductor may already be gone; do not hang a stop on the RPC timeout.
                indirection.wait_until_ready(self.service_ref._context, timeout=2)
            self.service_ref.last_seen_up = None
            self.service_ref.save()
        except Exception:
            LOG.warning('Could not mark %s stopped; it will show down after '
                        'service_down_time', self.binary, exc_info=True)

    def reset(self):
        self.manager.reset()


class WSGIService:
    """A paste app from api-paste.ini, served by cheroot's thread pool."""

    def __init__(self, name, app=None, host=None, port=None, workers=None):
        from cheroot import wsgi as cheroot_wsgi

        from nova.api import loader
        self.name = name
        self.binary = 'nova-%s' % name
        self.app = app or loader.load_app(name)
        self.host = host or getattr(CONF, '%s_listen' % name)
        self.port = port if port is not None else getattr(CONF, '%s_listen_port' % name)
        workers = workers or getattr(CONF, '%s_workers' % name, None) or 16
        self.server = cheroot_wsgi.Server((self.host, self.port), self.app,
                                          numthreads=workers, server_name=self.binary)
        self._thread = None

    def start(self):
        self.server.prepare()  # binds now, so a port clash fails start-up loudly
        self.port = self.server.bind_addr[1]
        self._thread = threading.Thread(target=self.server.serve, name=self.binary,
                                        daemon=True)
        self._thread.start()
        LOG.info('%s listening on %s:%s', self.name, self.host, self.port)

    def stop(self, graceful=True):
        LOG.info('Stopping WSGI server %s', self.name)
        self.server.stop()
        if self._thread is not None:
            self._thread.join(timeout=CONF.graceful_shutdown_timeout)

    def reset(self):
        pass


class Launcher:
    """Runs services in this process until a signal says stop."""

    def __init__(self):
        self.services = []
        self._done = threading.Event()

    def launch(self, service):
        service.start()
        self.services.append(service)

    def stop(self, graceful=True):
        # Stop in reverse order: the API first, conductor (which the others need) last.
        for service in reversed(self.services):
            try:
                service.stop(graceful=graceful)
            except Exception:
                LOG.exception('Error stopping %s', service)
        self._done.set()

    def _on_terminate(self, signum, _frame):
        LOG.info('Caught %s, stopping', signal.Signals(signum).name)
        threading.Thread(target=self.stop, name='stopper').start()

    def _on_hangup(self, _signum, _frame):
        LOG.info('Caught SIGHUP, reloading mutable configuration options')
        CONF.mutate_config_files()
        for service in self.services:
            service.reset()

    def wait(self):
        """Block until stopped; must run in the main thread (it installs signal handlers)."""
        signal.signal(signal.SIGTERM, self._on_terminate)
        signal.signal(signal.SIGINT, self._on_terminate)
        signal.signal(signal.SIGHUP, self._on_hangup)
        while not self._done.wait(1):
            pass
        rpc.cleanup()


def serve_and_wait(*services):
    launcher = Launcher()
    try:
        for service in services:
            launcher.launch(service)
    except Exception:
        launcher.stop(graceful=False)
        raise
    launcher.wait()
