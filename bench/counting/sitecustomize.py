"""Counting mode for the benchmarks: loaded into every daemon through PYTHONPATH.

When NOVA_BENCH_COUNT_DIR is set, each process counts, without changing what it does:

- the RPC calls and casts it sends (topic, method, and for conductor's object methods the
  object and its method), so a storm's calls can be told apart by source daemon;
- in a process that serves RPC: for each method it dispatches, how many, their CPU (thread)
  time and the SQL statements they ran;
- every SQL statement it sends.

A thread writes the counters to NOVA_BENCH_COUNT_DIR/<role>-<pid>.json four times a second.
Nothing is imported eagerly (oslo.service must choose its backend before oslo.messaging is
imported): the patches are applied when the daemon itself imports the modules.
"""

import collections
import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
import time

_DIR = os.environ.get('NOVA_BENCH_COUNT_DIR')

_lock = threading.Lock()
_sent = collections.Counter()        # "topic[/namespace] method[ object.method]" -> n
_served = collections.Counter()      # same key -> n dispatched here
_served_cpu = collections.Counter()  # same key -> CPU seconds of the dispatching thread
_served_sql = collections.Counter()  # same key -> SQL statements run while dispatching
_sql = collections.Counter()         # first word of the statement -> n
_local = threading.local()


def _role():
    with open('/proc/self/cmdline', 'rb') as f:
        argv = f.read().decode(errors='replace').split('\0')
    role = 'python'
    for index, arg in enumerate(argv):
        if arg == '-m' and index + 1 < len(argv):
            role = argv[index + 1].rsplit('.', 1)[-1]
        elif os.path.basename(arg).startswith('host-') and arg.endswith('.conf'):
            role = os.path.basename(arg)[len('host-'):-len('.conf')]
    return role


def _object_key(kwargs):
    objinst = kwargs.get('objinst')
    if objinst is not None:
        name = objinst.get('nova_object.name') if isinstance(objinst, dict) \
            else type(objinst).__name__
        return ' %s.%s' % (name, kwargs.get('objmethod'))
    if 'objname' in kwargs:
        return ' %s.%s' % (kwargs['objname'], kwargs.get('objmethod'))
    return ''


def _key(target, method, kwargs):
    topic = target.topic or '?'
    if target.namespace:
        topic += '/' + target.namespace
    return '%s %s%s' % (topic, method, _object_key(kwargs))


def _patch_client(module):
    base = module._BaseCallContext
    original_call, original_cast = base.call, base.cast

    def call(self, ctxt, method, **kwargs):
        with _lock:
            _sent['call ' + _key(self.target, method, kwargs)] += 1
        return original_call(self, ctxt, method, **kwargs)

    def cast(self, ctxt, method, **kwargs):
        with _lock:
            _sent['cast ' + _key(self.target, method, kwargs)] += 1
        return original_cast(self, ctxt, method, **kwargs)

    base.call, base.cast = call, cast


def _patch_dispatcher(module):
    dispatcher = module.RPCDispatcher
    original = dispatcher._do_dispatch

    def _do_dispatch(self, endpoint, method, ctxt, args):
        target = getattr(endpoint, 'target', None)
        namespace = getattr(target, 'namespace', None)
        key = '%s%s%s' % (namespace + ' ' if namespace else '', method, _object_key(args))
        _local.sql = 0
        start = time.thread_time()
        try:
            return original(self, endpoint, method, ctxt, args)
        finally:
            spent = time.thread_time() - start
            with _lock:
                _served[key] += 1
                _served_cpu[key] += spent
                _served_sql[key] += _local.sql
            _local.sql = None

    dispatcher._do_dispatch = _do_dispatch


def _patch_sqlalchemy(module):
    from sqlalchemy import event

    def count(conn, cursor, statement, parameters, context, executemany):
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else '?'
        with _lock:
            _sql[word] += 1
        if getattr(_local, 'sql', None) is not None:
            _local.sql += 1

    event.listen(module.Engine, 'before_cursor_execute', count)


_PATCHES = {
    'oslo_messaging.rpc.client': _patch_client,
    'oslo_messaging.rpc.dispatcher': _patch_dispatcher,
    'sqlalchemy.engine': _patch_sqlalchemy,
}


class _Loader(importlib.abc.Loader):
    def __init__(self, wrapped, patch):
        self.wrapped, self.patch = wrapped, patch

    def create_module(self, spec):
        return self.wrapped.create_module(spec)

    def exec_module(self, module):
        self.wrapped.exec_module(module)
        self.patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        patch = _PATCHES.get(name)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader, patch)
        return spec


def _snapshot():
    with _lock:
        return {'role': _role(), 'pid': os.getpid(), 'sent': dict(_sent),
                'served': dict(_served), 'served_cpu': dict(_served_cpu),
                'served_sql': dict(_served_sql), 'sql': dict(_sql)}


def _writer():
    path = os.path.join(_DIR, '%s-%d.json' % (_role(), os.getpid()))
    last = None
    while True:
        time.sleep(0.25)
        data = _snapshot()
        if data != last:
            with open(path + '.tmp', 'w') as f:
                json.dump(data, f)
            os.replace(path + '.tmp', path)
            last = data


def _start_writer():
    threading.Thread(target=_writer, name='bench-counter', daemon=True).start()


def _after_fork():
    # A forked worker (nova-conductor's) counts for itself, from zero.
    global _lock
    _lock = threading.Lock()
    for counter in (_sent, _served, _served_cpu, _served_sql, _sql):
        counter.clear()
    _start_writer()


def _is_nova_daemon():
    with open('/proc/self/cmdline', 'rb') as f:
        return b'\0nova.cmd.' in f.read()


if _DIR and _is_nova_daemon():
    sys.meta_path.insert(0, _Finder())
    os.register_at_fork(after_in_child=_after_fork)
    _start_writer()
