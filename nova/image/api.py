"""The image interface the rest of nova calls: ``API().get(context, image_id)`` and friends.

An image is a plain dict (so it crosses RPC as it is)::

    {'id', 'name', 'status', 'visibility', 'owner', 'protected', 'os_hidden', 'size',
     'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'disk_format',
     'container_format', 'min_disk', 'min_ram', 'created_at', 'updated_at',
     'tags': [str, ...], 'properties': {name: str}}

``status`` is one of Glance's: queued (no data yet), saving (data arriving), active.
Backends decide visibility with the caller's context: an image the caller may not see is
ImageNotFound, one it may see but not change is ImageNotAuthorized.

An image member is ``{'image_id', 'member_id', 'status', 'created_at', 'updated_at'}``:
the project (``member_id``) a ``shared`` image is shared with, and its answer (pending,
accepted or rejected). Members exist only for shared images (ImageMembersNotAllowed).

Two backends: the local store (nova/image/local.py), in the processes that serve the
built-in image API, and the Glance v2 HTTP client (nova/image/glance.py) everywhere else
when ``[glance] api_servers`` is set, or everywhere with ``[image] backend = glance``.
"""

import abc

from nova import exception
import nova.conf
from nova.i18n import _
from nova.image import download as download_mod

CONF = nova.conf.CONF

# Set where the built-in image API is loaded (nova-api, nova-all): that process holds the
# local store, so it never needs HTTP to reach it.
_serves_local_store = False

# The attributes of an image other than its tags and extra properties.
CORE_ATTRIBUTES = ('id', 'name', 'status', 'visibility', 'owner', 'protected', 'os_hidden',
                   'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value',
                   'disk_format', 'container_format', 'min_disk', 'min_ram', 'created_at',
                   'updated_at')
# Those a caller may set; the rest the store maintains.
WRITABLE_ATTRIBUTES = ('id', 'name', 'visibility', 'owner', 'protected', 'os_hidden',
                       'disk_format', 'container_format', 'min_disk', 'min_ram')


class ImageBackend(metaclass=abc.ABCMeta):
    """What an image store provides (the local store or a Glance v2 API)."""

    # True for an image API over HTTP: "no data" then comes from that API, not from the
    # data being on another host.
    remote = False

    @abc.abstractmethod
    def get(self, context, image_id):
        """The image ``image_id`` (ImageNotFound if missing or not visible)."""

    @abc.abstractmethod
    def list(self, context, filters=None, sort_keys=None, sort_dirs=None, limit=None,
             marker=None):
        """A page of the images visible to ``context`` matching ``filters`` (see
        nova.db.api.images for the filter names)."""

    @abc.abstractmethod
    def create(self, context, values, properties=None, tags=None):
        """Create a queued image from writable core ``values``, extra ``properties`` and
        ``tags``; returns it."""

    @abc.abstractmethod
    def update(self, context, image_id, values=None, properties=None, tags=None):
        """Change core ``values``; ``properties``/``tags``, when given, replace the
        current ones. Returns the image."""

    @abc.abstractmethod
    def delete(self, context, image_id):
        """Delete the image and its data (ImageProtected if protected)."""

    @abc.abstractmethod
    def upload(self, context, image_id, data, size=None):
        """Store the data read from the file-like ``data`` (``size`` bytes when known):
        queued -> saving -> active. Returns the image."""

    @abc.abstractmethod
    def download(self, context, image_id, chunk_size=65536):
        """An iterator over the image's data, or None when it has no data."""

    @abc.abstractmethod
    def list_members(self, context, image_id):
        """The members of a shared image: all of them for its owner, only the caller's own
        membership for a member."""

    @abc.abstractmethod
    def get_member(self, context, image_id, member_id):
        """One member (ImageMemberNotFound if missing or not the caller's to see)."""

    @abc.abstractmethod
    def add_member(self, context, image_id, member_id):
        """Share the image with project ``member_id`` (pending); owner only."""

    @abc.abstractmethod
    def update_member(self, context, image_id, member_id, status):
        """The member's answer (pending/accepted/rejected); the member only."""

    @abc.abstractmethod
    def delete_member(self, context, image_id, member_id):
        """Stop sharing the image with ``member_id``; owner only."""


def serve_local_store():
    """Mark this process as the one serving the built-in image API over the local store."""
    global _serves_local_store
    _serves_local_store = True


def backend_name():
    """'local' or 'glance': which backend this process uses (see the module docstring)."""
    if CONF.image.backend == 'glance':
        return 'glance'
    if CONF.glance.api_servers and not _serves_local_store:
        return 'glance'
    return 'local'


def get_backend():
    if backend_name() == 'glance':
        from nova.image import glance
        return glance.GlanceImageBackend()
    from nova.image import local
    return local.LocalImageBackend()


class API:
    """The facade nova code uses; every call goes to the configured backend."""

    def __init__(self, backend=None):
        self._backend = backend

    @property
    def backend(self):
        if self._backend is None:
            self._backend = get_backend()
        return self._backend

    def get(self, context, image_id):
        return self.backend.get(context, image_id)

    def list(self, context, filters=None, sort_keys=None, sort_dirs=None, limit=None,
             marker=None):
        return self.backend.list(context, filters=filters, sort_keys=sort_keys,
                                 sort_dirs=sort_dirs, limit=limit, marker=marker)

    def create(self, context, values, properties=None, tags=None):
        return self.backend.create(context, values, properties=properties, tags=tags)

    def update(self, context, image_id, values=None, properties=None, tags=None):
        return self.backend.update(context, image_id, values=values, properties=properties,
                                   tags=tags)

    def delete(self, context, image_id):
        return self.backend.delete(context, image_id)

    def upload(self, context, image_id, data, size=None):
        return self.backend.upload(context, image_id, data, size=size)

    def download(self, context, image_id, dst_path=None, chunk_size=65536):
        """Without ``dst_path``: an iterator over the data, or None when there is none.

        With ``dst_path`` (what virt drivers call): the data written to that file, checked
        against the image's size and hash; returns the image. An image the caller cannot
        see raises as get() does (ImageNotFound, ImageServiceUnavailable); missing,
        incomplete or corrupted data raises ImageDownloadFailed. Either way nothing is
        left at ``dst_path``.
        """
        if dst_path is None:
            return self.backend.download(context, image_id, chunk_size=chunk_size)
        image = self.backend.get(context, image_id)
        chunks = self.backend.download(context, image_id, chunk_size=chunk_size)
        if chunks is None:
            if image['status'] == 'active' and self.backend.remote:
                reason = _('the image API has no data for this active image')
            elif image['status'] == 'active':
                # The local store of another host: its data is not here.
                reason = _('the image data is not reachable from this host; hosts without '
                           'the local image store need [glance] api_servers')
            else:
                reason = _('the image has no data (status %s)') % image['status']
            raise exception.ImageDownloadFailed(image_id=image_id, reason=reason)
        download_mod.write_verified(image, chunks, dst_path)
        return image

    def list_members(self, context, image_id):
        return self.backend.list_members(context, image_id)

    def get_member(self, context, image_id, member_id):
        return self.backend.get_member(context, image_id, member_id)

    def add_member(self, context, image_id, member_id):
        return self.backend.add_member(context, image_id, member_id)

    def update_member(self, context, image_id, member_id, status):
        return self.backend.update_member(context, image_id, member_id, status)

    def delete_member(self, context, image_id, member_id):
        return self.backend.delete_member(context, image_id, member_id)
