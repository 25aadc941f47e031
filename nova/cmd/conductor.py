"""nova-conductor: the only daemon that talks to the database; runs objects for the others."""

import sys

from nova import config
from nova import service
from nova import workers
import nova.conf

CONF = nova.conf.CONF


def main():
    config.setup_service('nova-conductor', sys.argv, uses_database=True)
    workers.serve(lambda: service.Service.create(binary='nova-conductor'),
                  workers.worker_count(CONF.conductor.workers))


if __name__ == '__main__':
    main()
