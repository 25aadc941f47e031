"""Several processes serving one daemon's queues (``[conductor] workers``).

The parent forks the workers before any of them has opened a bus or database connection,
then only watches: a worker that dies is started again (at most once a second), SIGTERM or
SIGINT stops them all (each stops gracefully, as a single process would), and SIGHUP is
passed on so that each reloads its mutable options.
"""

import logging
import os
import signal
import time

from nova import rpc
from nova import service

LOG = logging.getLogger(__name__)

_RESPAWN_INTERVAL = 1.0


def worker_count(configured):
    return configured or os.cpu_count() or 1


class WorkerLauncher:

    def __init__(self, make_service, workers):
        self.make_service = make_service
        self.workers = workers
        self.children = {}  # pid -> worker number
        self.stopping = False

    def _fork(self, number):
        pid = os.fork()
        if pid == 0:
            self._run_worker(number)  # never returns
        self.children[pid] = number
        LOG.info('Started worker %d (pid %d)', number, pid)

    def _run_worker(self, number):
        status = 0
        try:
            for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
            # The parent's transport has never connected; a fresh one keeps nothing shared.
            rpc.cleanup()
            rpc.init(service.CONF)
            service.serve_and_wait(self.make_service())
        except BaseException:
            LOG.exception('Worker %d failed', number)
            status = 1
        finally:
            logging.shutdown()
            os._exit(status)

    def _signal_children(self, sig):
        for pid in list(self.children):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def _on_stop(self, signum, _frame):
        LOG.info('Caught %s, stopping %d workers', signal.Signals(signum).name,
                 len(self.children))
        self.stopping = True
        self._signal_children(signal.SIGTERM)

    def _on_hangup(self, _signum, _frame):
        self._signal_children(signal.SIGHUP)

    def run(self):
        """Fork the workers and watch them until a signal stops them all."""
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hangup)
        for number in range(self.workers):
            self._fork(number)
        last_respawn = 0.0
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            number = self.children.pop(pid, None)
            if number is None or self.stopping:
                continue
            LOG.error('Worker %d (pid %d) exited with status %d; starting it again',
                      number, pid, os.waitstatus_to_exitcode(status))
            time.sleep(max(0.0, last_respawn + _RESPAWN_INTERVAL - time.monotonic()))
            last_respawn = time.monotonic()
            if not self.stopping:
                self._fork(number)
        rpc.cleanup()


def serve(make_service, workers):
    """Serve in this process for one worker, else in ``workers`` forked processes."""
    if workers <= 1:
        service.serve_and_wait(make_service())
    else:
        WorkerLauncher(make_service, workers).run()
