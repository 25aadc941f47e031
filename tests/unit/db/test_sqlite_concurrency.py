"""Many threads writing one SQLite database (nova-all's default) never see "database is
locked": writers take the lock at BEGIN IMMEDIATE and wait their turn."""

import threading

from nova import context
from nova import objects


def test_concurrent_read_then_write_transactions(database):
    ctxt = context.get_admin_context()
    services = []
    for i in range(8):
        service = objects.Service(ctxt, host='h%d' % i, binary='nova-compute',
                                  topic='compute', report_count=0)
        service.create()
        services.append(service)
    errors = []

    def heartbeat(service):
        try:
            for _ in range(40):
                # Each save reads the row and then writes it: the pattern that fails with
                # deferred transactions.
                service.report_count += 1
                service.save()
                objects.ServiceList.get_all(ctxt)
        except Exception as error:  # collected: a thread's exception would be lost
            errors.append(error)

    threads = [threading.Thread(target=heartbeat, args=(s,)) for s in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = {s.host: s.report_count for s in objects.ServiceList.get_all(ctxt)}
    assert stored == {'h%d' % i: 40 for i in range(8)}
