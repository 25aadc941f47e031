"""The compute host's image cache: images fetched once per host for the servers it boots.

An image lands in ``[DEFAULT] instances_path``/``[image_cache] subdirectory_name``/<image id>
through the image API of this process (the Glance v2 API at ``[glance] api_servers`` on a
compute host), with the token of the request that asked for the boot, and is verified
against the image record's size and checksum before it is kept (nova.image.download).
"""

import logging
import os
import threading

import nova.conf
from nova.image import api as image_api

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

# One fetch at a time per image: concurrent boots of one image download it once.
_locks = {}
_locks_guard = threading.Lock()


def cache_dir():
    return os.path.join(CONF.instances_path, CONF.image_cache.subdirectory_name)


def cached_image_path(image_id):
    return os.path.join(cache_dir(), image_id)


def _lock_for(image_id):
    with _locks_guard:
        return _locks.setdefault(image_id, threading.Lock())


def fetch_to_cache(context, image_id, images=None):
    """The path of ``image_id`` in the image cache, downloading it if it is not there.

    Raises ImageNotFound, NotAuthorized, ImageDownloadFailed (...) from the image API;
    nothing is left in the cache on failure.
    """
    path = cached_image_path(image_id)
    with _lock_for(image_id):
        if os.path.exists(path):
            return path
        os.makedirs(cache_dir(), exist_ok=True)
        image = (images or image_api.API()).download(context, image_id, dst_path=path)
        LOG.info('Fetched image %s into the image cache (%s bytes, %s %s)', image_id,
                 os.path.getsize(path), image.get('os_hash_algo') or 'md5',
                 image.get('os_hash_value') or image.get('checksum'))
    return path
