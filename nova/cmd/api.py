"""nova-api: serves the APIs in enabled_apis. No database: everything goes through conductor."""

import sys

from nova import config
from nova import service
import nova.conf

CONF = nova.conf.CONF


def main():
    config.setup_service('nova-api', sys.argv)
    service.serve_and_wait(*[service.WSGIService(api) for api in CONF.enabled_apis])


if __name__ == '__main__':
    main()
