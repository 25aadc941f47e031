"""Cleanup of the per-host image cache (nova.virt.images) for the libvirt driver.

A base is an image's data fetched once into the cache and shared by every instance of this
host built from it. Each instance directory records the bases it uses in ``bases.json``;
the cache manager removes bases no instance uses once they have been unused for
``[image_cache] remove_unused_original_minimum_age_seconds``.
"""

import json
import logging
import os
import time

import nova.conf
from nova.virt import images

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

BASES_FILE = 'bases.json'


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
        directory = images.cache_dir()
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
            with images.image_lock(name):
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
