"""nova-conductor: the only daemon that talks to the database; runs objects for the others."""

import sys

from nova import config
from nova import service


def main():
    config.setup_service('nova-conductor', sys.argv, uses_database=True)
    service.serve_and_wait(service.Service.create(binary='nova-conductor'))


if __name__ == '__main__':
    main()
