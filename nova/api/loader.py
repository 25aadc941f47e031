"""Build an API's WSGI app from the paste file named by ``[wsgi] api_paste_config``.

An absolute path is used as it is; a relative name is looked up beside the configuration
files (oslo.config ``find_file``), and otherwise the copy shipped in this package is used,
so an installed nova works without an etc/ directory.
"""

import logging
import os

from oslo_config import cfg
from paste import deploy

from nova import exception
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

PACKAGED_PASTE_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     'api-paste.ini')


def find_paste_config():
    name = CONF.wsgi.api_paste_config
    if os.path.isabs(name):
        if not os.path.exists(name):
            raise exception.ConfigNotFound(path=name)
        return name
    try:
        found = CONF.find_file(name)
    except cfg.NotInitializedError:  # no command line parsed (tests, tools): no config dirs
        found = None
    if found:
        return os.path.abspath(found)
    if os.path.basename(name) == os.path.basename(PACKAGED_PASTE_CONFIG):
        return PACKAGED_PASTE_CONFIG
    raise exception.ConfigNotFound(path=name)


def load_app(name='osapi_compute'):
    """The WSGI app ``name`` (a paste composite, pipeline or app) from the paste file."""
    path = find_paste_config()
    LOG.debug('Loading app %s from %s', name, path)
    try:
        return deploy.loadapp('config:%s' % path, name=name)
    except LookupError as exc:
        LOG.error("Couldn't load app %s from %s: %s", name, path, exc)
        raise exception.PasteAppNotFound(name=name, path=path) from exc
