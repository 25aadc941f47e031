"""The local image store: metadata in the API database, data as one file per image.

Data is streamed to a temporary file beside its final name while the MD5 ``checksum`` and
the SHA-512 multihash are computed, then renamed into place only when every byte arrived.
A failed, truncated or oversized upload leaves the image queued and no file behind.
"""

import hashlib
import logging
import os

from oslo_utils import uuidutils

from nova import exception
import nova.conf
from nova.i18n import _
from nova.image import api
from nova.objects import image as image_obj

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

HASH_ALGO = 'sha512'
READ_CHUNK = 65536
VISIBILITIES = ('public', 'private', 'shared', 'community')
DISK_FORMATS = ('ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso',
                'ploop')
CONTAINER_FORMATS = ('ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed')


def _invalid(reason):
    return exception.InvalidImageProperty(reason=reason)


def _check_values(context, values):
    """Reject values no caller may set; the API schemas normally catch these first."""
    unknown = set(values) - set(api.WRITABLE_ATTRIBUTES)
    if unknown:
        raise _invalid(_('%s cannot be set') % ', '.join(sorted(unknown)))
    if 'visibility' in values and values['visibility'] not in VISIBILITIES:
        raise _invalid(_('visibility must be one of %s') % ', '.join(VISIBILITIES))
    for name in ('min_disk', 'min_ram'):
        value = values.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _invalid(_('%s must be a non-negative integer') % name)
    for name, choices in (('disk_format', DISK_FORMATS),
                          ('container_format', CONTAINER_FORMATS)):
        if values.get(name) is not None and values[name] not in choices:
            raise _invalid(_('%(name)s must be one of %(choices)s')
                           % {'name': name, 'choices': ', '.join(choices)})
    if 'id' in values and not uuidutils.is_uuid_like(values['id']):
        raise _invalid(_('id must be a UUID'))


def _check_properties(properties, tags):
    for name, value in (properties or {}).items():
        if name in api.CORE_ATTRIBUTES or not name or len(name) > 255:
            raise _invalid(_('%r is not a valid extra property name') % name)
        if not isinstance(value, str):
            raise _invalid(_('the value of %s must be a string') % name)
    for tag in tags or ():
        if not isinstance(tag, str) or not tag or len(tag) > 255:
            raise _invalid(_('tags must be strings of 1 to 255 characters'))


class LocalImageBackend(api.ImageBackend):

    @staticmethod
    def store_path():
        return CONF.image.local_store_path

    def data_path(self, image_id):
        return os.path.join(self.store_path(), image_id)

    @staticmethod
    def size_limit():
        return CONF.image.max_image_size_mb * 1024 * 1024

    # -- visibility ----------------------------------------------------------------------

    @staticmethod
    def _owns(context, image):
        return context.is_admin or image['owner'] == context.project_id

    @classmethod
    def _can_see(cls, context, image):
        if cls._owns(context, image) or image['visibility'] in ('public', 'community'):
            return True
        if image['visibility'] != 'shared' or context.project_id is None:
            return False
        # A member sees a shared image whatever its answer (pending, accepted, rejected);
        # the answer only decides whether image lists show it.
        try:
            image_obj.ImageMember.get(context, image['id'], context.project_id)
        except exception.ImageMemberNotFound:
            return False
        return True

    def _visible_image(self, context, image_id):
        image = image_obj.ImageRecord.get(context, image_id).to_dict()
        if not self._can_see(context, image):
            raise exception.ImageNotFound(image_id=image_id)
        return image

    def _modifiable_image(self, context, image_id, action):
        image = self._visible_image(context, image_id)
        if not self._owns(context, image):
            raise exception.ImageNotAuthorized(action=action, image_id=image_id)
        return image

    # -- metadata ------------------------------------------------------------------------

    def get(self, context, image_id):
        return self._visible_image(context, image_id)

    def list(self, context, filters=None, sort_keys=None, sort_dirs=None, limit=None,
             marker=None):
        records = image_obj.ImageRecordList.get_all(
            context, filters or {}, list(sort_keys or ('created_at',)),
            list(sort_dirs or ('desc',)), limit, marker)
        return [record.to_dict() for record in records]

    def create(self, context, values, properties=None, tags=None):
        values = dict(values)
        _check_values(context, values)
        _check_properties(properties, tags)
        owner = values.get('owner') or context.project_id
        if owner != context.project_id and not context.is_admin:
            raise exception.ImageNotAuthorized(action=_('create for another owner'),
                                               image_id=values.get('id', ''))
        values.update(owner=owner, status='queued',
                      id=values.get('id') or uuidutils.generate_uuid(),
                      visibility=values.get('visibility') or 'shared',
                      name=values.get('name'))
        values.setdefault('min_disk', 0)
        values.setdefault('min_ram', 0)
        values.setdefault('protected', False)
        values.setdefault('os_hidden', False)
        return image_obj.ImageRecord.create_image(
            context, values, properties or {}, sorted(set(tags or ()))).to_dict()

    def update(self, context, image_id, values=None, properties=None, tags=None):
        self._modifiable_image(context, image_id, _('update'))
        values = dict(values or {})
        _check_values(context, values)
        _check_properties(properties, tags)
        if 'id' in values and values['id'] != image_id:
            raise _invalid(_('id cannot be changed'))
        values.pop('id', None)
        return image_obj.ImageRecord.update_image(
            context, image_id, values, properties,
            sorted(set(tags)) if tags is not None else None).to_dict()

    def delete(self, context, image_id):
        image = self._modifiable_image(context, image_id, _('delete'))
        if image['protected']:
            raise exception.ImageProtected(image_id=image_id)
        image_obj.ImageRecord.destroy_image(context, image_id)
        self._remove(self.data_path(image_id))

    # -- data ----------------------------------------------------------------------------

    def upload(self, context, image_id, data, size=None):
        image = self._modifiable_image(context, image_id, _('upload data to'))
        if not image['disk_format'] or not image['container_format']:
            raise exception.Invalid(_('Properties disk_format, container_format must be set '
                                      'prior to saving data.'))
        limit = self.size_limit()
        if size is not None and size > limit:
            raise exception.ImageTooLarge(limit=limit)
        image_obj.ImageRecord.update_image(context, image_id, {'status': 'saving'},
                                           expected_status='queued')
        try:
            values = self._receive(image_id, data, size, limit)
        except BaseException:
            self._back_to_queued(context, image_id)
            raise
        try:
            image = image_obj.ImageRecord.update_image(
                context, image_id, values, expected_status='saving').to_dict()
        except (exception.ImageNotFound, exception.ImageStatusConflict):
            # Deleted (or reset) while the data was arriving: keep nothing.
            self._remove(self.data_path(image_id))
            raise
        return image

    def _back_to_queued(self, context, image_id):
        try:
            image_obj.ImageRecord.update_image(context, image_id, {'status': 'queued'},
                                               expected_status='saving')
        except (exception.ImageNotFound, exception.ImageStatusConflict):
            pass

    def _receive(self, image_id, data, size, limit):
        """Stream ``data`` into the store; the column values of the stored data."""
        os.makedirs(self.store_path(), exist_ok=True)
        final_path = self.data_path(image_id)
        partial_path = '%s.%s.part' % (final_path, uuidutils.generate_uuid())
        checksum = hashlib.md5(usedforsecurity=False)
        multihash = hashlib.new(HASH_ALGO)
        received = 0
        try:
            with open(partial_path, 'wb') as out:
                while True:
                    try:
                        chunk = data.read(READ_CHUNK)
                    except (IOError, ValueError) as exc:
                        raise exception.ImageUploadIncomplete(
                            received=received, expected=size if size is not None else -1) \
                            from exc
                    if not chunk:
                        break
                    received += len(chunk)
                    if received > limit:
                        raise exception.ImageTooLarge(limit=limit)
                    if size is not None and received > size:
                        raise exception.ImageUploadFailed(
                            reason=_('more data than the %d bytes announced') % size)
                    checksum.update(chunk)
                    multihash.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size is not None and received != size:
                raise exception.ImageUploadIncomplete(received=received, expected=size)
            os.replace(partial_path, final_path)
        except BaseException:
            self._remove(partial_path)
            raise
        return {'status': 'active', 'size': received, 'checksum': checksum.hexdigest(),
                'os_hash_algo': HASH_ALGO, 'os_hash_value': multihash.hexdigest()}

    def download(self, context, image_id, chunk_size=65536):
        image = self._visible_image(context, image_id)
        if image['status'] != 'active':
            return None
        try:
            stream = open(self.data_path(image_id), 'rb')
        except FileNotFoundError:
            LOG.error('Image %s is active but its data file is missing', image_id)
            return None
        return _FileIterator(stream, chunk_size, image_id, image['size'])

    # -- members -------------------------------------------------------------------------

    def _shared_image(self, context, image_id):
        image = self._visible_image(context, image_id)
        if image['visibility'] != 'shared':
            raise exception.ImageMembersNotAllowed()
        return image

    def list_members(self, context, image_id):
        image = self._shared_image(context, image_id)
        members = [member.to_dict()
                   for member in image_obj.ImageMemberList.get_all(context, image_id)]
        if self._owns(context, image):
            return members
        # A member sees only its own membership.
        return [member for member in members if member['member_id'] == context.project_id]

    def get_member(self, context, image_id, member_id):
        image = self._shared_image(context, image_id)
        if not self._owns(context, image) and member_id != context.project_id:
            raise exception.ImageMemberNotFound(image_id=image_id, member_id=member_id)
        return image_obj.ImageMember.get(context, image_id, member_id).to_dict()

    def add_member(self, context, image_id, member_id):
        image = self._shared_image(context, image_id)
        if not self._owns(context, image):
            raise exception.ImageNotAuthorized(action=_('add members to'), image_id=image_id)
        return image_obj.ImageMember.create_member(
            context, image_id, member_id, limit=CONF.image.image_member_quota).to_dict()

    def update_member(self, context, image_id, member_id, status):
        image = self._shared_image(context, image_id)
        if not context.is_admin:
            # Only the member answers an invitation; the owner may not answer for it.
            if image['owner'] == context.project_id or member_id != context.project_id:
                raise exception.ImageNotAuthorized(action=_('change the member status of'),
                                                   image_id=image_id)
        return image_obj.ImageMember.update_status(context, image_id, member_id,
                                                   status).to_dict()

    def delete_member(self, context, image_id, member_id):
        image = self._shared_image(context, image_id)
        if not self._owns(context, image):
            raise exception.ImageNotAuthorized(action=_('remove members of'),
                                               image_id=image_id)
        image_obj.ImageMember.destroy_member(context, image_id, member_id)

    @staticmethod
    def _remove(path):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


class _FileIterator:
    """Chunks of an open file; closes it at the end or when the server closes the body.

    A file shorter than the image's recorded size (a damaged store) ends in an IOError
    rather than a quiet end, so the server drops the connection at once and the client
    sees a short read instead of waiting for bytes that will never come.
    """

    def __init__(self, stream, chunk_size, image_id=None, size=None):
        self.stream = stream
        self.chunk_size = chunk_size
        self.image_id = image_id
        self.size = size
        self.sent = 0

    def __iter__(self):
        return self

    def __next__(self):
        chunk = self.stream.read(self.chunk_size)
        if not chunk:
            self.close()
            if self.size is not None and self.sent != self.size:
                LOG.error('Image %s: the data file holds %d bytes, the image %d; the store '
                          'is damaged', self.image_id, self.sent, self.size)
                raise IOError('image %s data file is short' % self.image_id)
            raise StopIteration
        self.sent += len(chunk)
        return chunk

    def close(self):
        self.stream.close()
