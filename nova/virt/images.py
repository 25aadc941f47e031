"""The compute host's image cache: images fetched once per host for the servers it boots.

An image lands in ``[DEFAULT] instances_path``/``[image_cache] subdirectory_name`` under
the SHA-1 of its id (as upstream names cached bases) through the image API of this process
(the Glance v2 API at ``[glance] api_servers`` on a compute host), with the token of the
request that asked for the boot, and is kept only once its size and checksum match the
image record (nova.image.download). A per-image file lock makes concurrent boots of one
image download it once, across threads and processes. Drivers share it: the fake driver
(``[fake_driver] fetch_images``) and libvirt, whose cache manager removes unused images
(nova.virt.libvirt.imagecache).
"""

import contextlib
import fcntl
import hashlib
import logging
import os

import nova.conf
from nova.image import api as image_api

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def cache_dir():
    return os.path.join(CONF.instances_path, CONF.image_cache.subdirectory_name)


def cached_name(image_id):
    return hashlib.sha1(image_id.encode()).hexdigest()


def cached_image_path(image_id):
    return os.path.join(cache_dir(), cached_name(image_id))


@contextlib.contextmanager
def image_lock(name):
    """Exclusive use of the cached file ``name`` (fetch or removal)."""
    os.makedirs(cache_dir(), exist_ok=True)
    with open(os.path.join(cache_dir(), '.%s.lock' % name), 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def fetch_to_cache(context, image_id, images=None):
    """The path of ``image_id`` in the image cache, downloading it if it is not there.

    Raises ImageNotFound, NotAuthorized, ImageDownloadFailed (...) from the image API;
    nothing is left in the cache on failure.
    """
    name = cached_name(image_id)
    path = os.path.join(cache_dir(), name)
    with image_lock(name):
        if os.path.exists(path):
            os.utime(path)  # in use now: the cache manager's age counts from here
            return path
        image = (images or image_api.API()).download(context, image_id, dst_path=path)
        LOG.info('Fetched image %s into the image cache as %s (%s bytes, %s %s)', image_id,
                 name, os.path.getsize(path), image.get('os_hash_algo') or 'md5',
                 image.get('os_hash_value') or image.get('checksum'))
    return path
