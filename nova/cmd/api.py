"""nova-api: serves the APIs in enabled_apis. No database: everything goes through conductor."""

import sys

from nova import config
from nova import context
from nova import service
import nova.conf
from nova.objects import base as objects_base

CONF = nova.conf.CONF


def main():
    config.setup_service('nova-api', sys.argv)
    # A call sent before conductor has declared its queue is lost, so do not take
    # requests until conductor answers.
    objects_base.NovaObject.indirection_api.wait_until_ready(context.get_admin_context())
    service.serve_and_wait(*[service.WSGIService(api) for api in CONF.enabled_apis])


if __name__ == '__main__':
    main()
