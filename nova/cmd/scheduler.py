"""nova-scheduler: picks hosts for instances. No database: reads through conductor."""

import sys

from nova import config
from nova import service


def main():
    config.setup_service('nova-scheduler', sys.argv, uses_database=False)
    service.serve_and_wait(service.Service.create(binary='nova-scheduler'))


if __name__ == '__main__':
    main()
