"""All of nova's configuration options.

Every option lives in one module per group under nova/conf/; nothing else defines options.
Each module has ``register_opts(conf)`` and ``list_opts()`` (for oslo-config-generator).
"""

from oslo_config import cfg

from nova.conf import api
from nova.conf import availability_zone
from nova.conf import base
from nova.conf import compute
from nova.conf import conductor
from nova.conf import database
from nova.conf import glance
from nova.conf import identity
from nova.conf import image
from nova.conf import libvirt
from nova.conf import libvirt_migration
from nova.conf import scheduler
from nova.conf import service
from nova.conf import upgrade_levels
from nova.conf import wsgi

CONF = cfg.CONF

ALL_MODULES = (api, availability_zone, base, compute, conductor, database, glance, identity,
               image, libvirt, libvirt_migration, scheduler, service, upgrade_levels, wsgi)

for _module in ALL_MODULES:
    _module.register_opts(CONF)
