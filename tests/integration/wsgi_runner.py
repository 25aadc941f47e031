"""Serve a WSGI application on 127.0.0.1 with cheroot (run with a service's venv python).

    python wsgi_runner.py PORT module:attribute      # the attribute is the application
    python wsgi_runner.py PORT 'module:factory()'    # the factory's return value is

Keystone and Glance no longer ship servers of their own; this is the smallest stand-in for
the uwsgi or mod_wsgi a deployment would use. Stops on SIGTERM.
"""

import importlib
import signal
import sys

from cheroot import wsgi


def load(spec):
    module_name, _sep, attribute = spec.partition(':')
    call = attribute.endswith('()')
    target = getattr(importlib.import_module(module_name), attribute.rstrip('()'))
    return target() if call else target


def _interrupt(*_args):
    raise KeyboardInterrupt


def main():
    port, spec = int(sys.argv[1]), sys.argv[2]
    del sys.argv[1:]  # the applications parse the command line as their own
    server = wsgi.Server(('127.0.0.1', port), load(spec), numthreads=8)
    signal.signal(signal.SIGTERM, _interrupt)  # safe_start stops the server on it
    print('serving %s on 127.0.0.1:%d' % (spec, port), flush=True)
    server.safe_start()


if __name__ == '__main__':
    main()
