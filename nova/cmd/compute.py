"""nova-compute: runs instances through the configured virt driver. No database."""

import sys

from nova import config
from nova import service


def main():
    config.setup_service('nova-compute', sys.argv, uses_database=False)
    service.serve_and_wait(service.Service.create(binary='nova-compute'))


if __name__ == '__main__':
    main()
