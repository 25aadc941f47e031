"""The per-host cache of base images (``instances/_base``) and its cleanup.

A base is the image's data downloaded once through nova's image API (size and hash checked)
and shared by every instance of this host built from it; its file name is the SHA-1 of the
image id, as upstream names them. A per-image file lock makes concurrent builds from the
same image download it once, also across processes. Each instance directory records the
bases it uses in ``bases.json``; the cache manager removes bases no instance uses once they
have been unused for ``[image_cache] remove_unused_original_minimum_age_seconds``.
"""

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import time

import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

BASES_FILE = 'bases.json'


def base_dir():
    return os.path.join(CONF.instances_path, CONF.image_cache.subdirectory_name)


def base_name(image_id):
    return hashlib.sha1(image_id.encode()).hexdigest()


@contextlib.contextmanager
def _image_lock(name):
    os.makedirs(base_dir(), exist_ok=True)
    lock_path = os.path.join(base_dir(), '.%s.lock' % name)
    with open(lock_path, 'a') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def fetch_base(context, image_api, image_id):
    """The path of the cached base of ``image_id``, downloading it the first time."""
    name = base_name(image_id)
    path = os.path.join(base_dir(), name)
    with _image_lock(name):
        if os.path.exists(path):
            os.utime(path)  # in use now: the cleanup's age counts from here
            return path
        LOG.info('Downloading image %s into the image cache', image_id)
        started = time.monotonic()
        image_api.download(context, image_id, dst_path=path)
        LOG.info('Image %s cached as %s in %.2fs', image_id, path,
                 time.monotonic() - started)
        return path


def record_bases(instance_dir, paths):
    """Remember which bases the instance in ``instance_dir`` was built from."""
    with open(os.path.join(instance_dir, BASES_FILE), 'w') as f:
        json.dump(sorted(os.path.basename(p) for p in paths), f)


def bases_in_use():
    """The base names recorded by the instance directories of this host."""
    used = set()
    try:
        entries = os.listdir(CONF.instances_path)
    except FileNotFoundError:
        return used
    for entry in entries:
        record = os.path.join(CONF.instances_path, entry, BASES_FILE)
        try:
            with open(record) as f:
                used.update(json.load(f))
        except (OSError, ValueError):
            continue
    return used


class ImageCacheManager:
    """Removes unused base images (the periodic task calls ``update``)."""

    def update(self, context=None):
        """Touch the bases in use; remove the others once old enough. Returns the names
        removed."""
        if not CONF.image_cache.remove_unused_base_images:
            return []
        directory = base_dir()
        try:
            names = [n for n in os.listdir(directory) if not n.startswith('.')
                     and not n.endswith('.part')]
        except FileNotFoundError:
            return []
        used = bases_in_use()
        min_age = CONF.image_cache.remove_unused_original_minimum_age_seconds
        now = time.time()
        removed = []
        for name in names:
            path = os.path.join(directory, name)
            with _image_lock(name):
                if name in used:
                    os.utime(path)
                    continue
                try:
                    age = now - os.path.getmtime(path)
                except FileNotFoundError:
                    continue
                if age < min_age:
                    continue
                LOG.info('Removing base image %s, unused for %ds', name, age)
                os.unlink(path)
                removed.append(name)
            if name not in removed:
                continue
            try:
                os.unlink(os.path.join(directory, '.%s.lock' % name))
            except FileNotFoundError:
                pass
        return removed
