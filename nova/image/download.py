"""Image data written to a file only when it is whole and intact.

The data goes to a temporary file beside the destination while its size and hash are
computed; it is renamed into place only when both match what the image record says, so
a truncated, oversized or corrupted download leaves nothing at the destination.

The hash checked is the image's multihash (``os_hash_algo``/``os_hash_value``, sha512 in
this image API), or the legacy MD5 ``checksum`` of images stored before multihash.
"""

import hashlib
import logging
import os

from oslo_utils import uuidutils

from nova import exception
from nova.i18n import _

LOG = logging.getLogger(__name__)


def _hasher(image):
    """(hash object, expected hex digest) for the image, or (None, None)."""
    algo, expected = image.get('os_hash_algo'), image.get('os_hash_value')
    if algo and expected:
        if algo not in hashlib.algorithms_available:
            raise exception.ImageDownloadFailed(
                image_id=image['id'], reason=_('unsupported hash algorithm %s') % algo)
        return hashlib.new(algo), expected
    if image.get('checksum'):
        return hashlib.md5(usedforsecurity=False), image['checksum']
    return None, None


def _fail(image, reason):
    return exception.ImageDownloadFailed(image_id=image['id'], reason=reason)


def write_verified(image, chunks, dst_path):
    """Write the byte strings of ``chunks`` to ``dst_path``, checked against ``image``.

    ``chunks`` is closed at the end if it can be (a file or an HTTP response behind it).
    Raises ImageDownloadFailed on a size or hash mismatch and on any I/O error, reading or
    writing; whatever goes wrong, no partial file is left behind.
    """
    hasher, expected_hash = _hasher(image)
    if hasher is None:
        LOG.warning('Image %s has no checksum; its data is checked by size only',
                    image['id'])
    expected_size = image.get('size')
    partial_path = '%s.%s.part' % (dst_path, uuidutils.generate_uuid(dashed=False))
    received = 0
    try:
        with open(partial_path, 'wb') as out:
            for chunk in chunks:
                received += len(chunk)
                if expected_size is not None and received > expected_size:
                    raise _fail(image, _('more data than the %d bytes of the image')
                                % expected_size)
                if hasher is not None:
                    hasher.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if expected_size is not None and received != expected_size:
            raise _fail(image, _('received %(received)d of %(size)d bytes')
                        % {'received': received, 'size': expected_size})
        if hasher is not None and hasher.hexdigest() != expected_hash:
            raise _fail(image, _('%s checksum mismatch: the data is not what was stored')
                        % hasher.name)
        os.replace(partial_path, dst_path)
    except BaseException as exc:
        try:
            os.unlink(partial_path)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise _fail(image, exc) from exc
        raise
    finally:
        close = getattr(chunks, 'close', None)
        if close is not None:
            close()
