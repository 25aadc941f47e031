"""The local image store: streaming, hashes, truncation, size limit and cleanup."""

import hashlib
import io
import os

import pytest

from nova import context as nova_context
from nova import exception
from nova.image import api as image_api


@pytest.fixture
def store(database, conf, tmp_path):
    conf.set_override('local_store_path', str(tmp_path / 'images'), group='image')
    conf.set_override('max_image_size_mb', 1, group='image')
    return image_api.API()


@pytest.fixture
def ctx():
    return nova_context.RequestContext(user_id='alice', project_id='p1')


def _queued(store, ctx, **values):
    values = dict({'name': 'img', 'disk_format': 'raw', 'container_format': 'bare'}, **values)
    return store.create(ctx, values)


class _Dribble(io.RawIOBase):
    """A stream that hands out a few bytes per read, like a slow chunked upload."""

    def __init__(self, data, step=7):
        self.data, self.step, self.reads = data, step, 0

    def read(self, size=-1):
        self.reads += 1
        chunk, self.data = self.data[:self.step], self.data[self.step:]
        return chunk


def _files(conf):
    path = conf.image.local_store_path
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def test_upload_streams_and_hashes(store, ctx, conf):
    image = _queued(store, ctx)
    data = os.urandom(1000)
    stream = _Dribble(data)
    stored = store.upload(ctx, image['id'], stream)
    assert stream.reads > 100  # read piece by piece, never all at once
    assert stored['status'] == 'active' and stored['size'] == 1000
    assert stored['checksum'] == hashlib.md5(data).hexdigest()
    assert stored['os_hash_algo'] == 'sha512'
    assert stored['os_hash_value'] == hashlib.sha512(data).hexdigest()
    assert b''.join(store.download(ctx, image['id'], chunk_size=100)) == data
    assert _files(conf) == [image['id']]


def test_download_of_queued_image_is_none(store, ctx):
    image = _queued(store, ctx)
    assert store.download(ctx, image['id']) is None


def test_truncated_upload_leaves_image_queued_and_no_file(store, ctx, conf):
    image = _queued(store, ctx)
    with pytest.raises(exception.ImageUploadIncomplete):
        store.upload(ctx, image['id'], io.BytesIO(b'x' * 10), size=20)
    assert store.get(ctx, image['id'])['status'] == 'queued'
    assert _files(conf) == []
    # and the upload can be retried
    assert store.upload(ctx, image['id'], io.BytesIO(b'x' * 20), size=20)['size'] == 20


def test_read_error_counts_as_incomplete(store, ctx, conf):
    class Broken(io.RawIOBase):
        def read(self, size=-1):
            raise IOError('client went away')
    image = _queued(store, ctx)
    with pytest.raises(exception.ImageUploadIncomplete):
        store.upload(ctx, image['id'], Broken())
    assert store.get(ctx, image['id'])['status'] == 'queued'
    assert _files(conf) == []


def test_announced_size_over_limit_refused_before_reading(store, ctx, conf):
    image = _queued(store, ctx)
    stream = _Dribble(b'x' * 10)
    with pytest.raises(exception.ImageTooLarge):
        store.upload(ctx, image['id'], stream, size=2 * 1024 * 1024)
    assert stream.reads == 0
    assert store.get(ctx, image['id'])['status'] == 'queued'


def test_streamed_data_over_limit_refused_and_removed(store, ctx, conf):
    image = _queued(store, ctx)
    with pytest.raises(exception.ImageTooLarge):
        store.upload(ctx, image['id'], io.BytesIO(b'x' * (1024 * 1024 + 1)))
    assert store.get(ctx, image['id'])['status'] == 'queued'
    assert _files(conf) == []


def test_upload_needs_formats_and_a_queued_image(store, ctx):
    bare = store.create(ctx, {'name': 'no formats'})
    with pytest.raises(exception.Invalid):
        store.upload(ctx, bare['id'], io.BytesIO(b'x'))
    image = _queued(store, ctx)
    store.upload(ctx, image['id'], io.BytesIO(b'x'))
    with pytest.raises(exception.ImageStatusConflict):
        store.upload(ctx, image['id'], io.BytesIO(b'y'))
    assert b''.join(store.download(ctx, image['id'])) == b'x'


def test_delete_removes_data_and_respects_protected(store, ctx, conf):
    image = _queued(store, ctx, protected=True)
    store.upload(ctx, image['id'], io.BytesIO(b'abc'))
    with pytest.raises(exception.ImageProtected):
        store.delete(ctx, image['id'])
    store.update(ctx, image['id'], {'protected': False})
    store.delete(ctx, image['id'])
    assert _files(conf) == []
    with pytest.raises(exception.ImageNotFound):
        store.get(ctx, image['id'])


def test_visibility_and_ownership(store, ctx):
    other = nova_context.RequestContext(user_id='bob', project_id='p2')
    admin = nova_context.get_admin_context()
    private = _queued(store, ctx, visibility='private')
    community = _queued(store, ctx, visibility='community')
    with pytest.raises(exception.ImageNotFound):
        store.get(other, private['id'])
    assert store.get(admin, private['id'])['owner'] == 'p1'
    assert store.get(other, community['id'])['id'] == community['id']
    with pytest.raises(exception.ImageNotAuthorized):
        store.update(other, community['id'], {'name': 'mine'})
    assert [i['id'] for i in store.list(other)] == []
    assert [i['id'] for i in store.list(other, {'visibility': 'community'})] == \
        [community['id']]
    assert {i['id'] for i in store.list(ctx)} == {private['id'], community['id']}
    # Who may publish to everyone is the image API's policy (publicize_image), not the
    # store's: an operator's policy file can open it up.
    public = store.create(ctx, {'visibility': 'public'})
    assert [i['id'] for i in store.list(other)] == [public['id']]


def test_properties_and_tags_replace(store, ctx):
    image = store.create(ctx, {'name': 'k'}, {'kernel_id': 'a', 'hw_x': '1'}, ['t1', 't1'])
    assert image['tags'] == ['t1'] and image['properties'] == {'kernel_id': 'a', 'hw_x': '1'}
    image = store.update(ctx, image['id'], properties={'kernel_id': 'b'}, tags=['t2'])
    assert image['properties'] == {'kernel_id': 'b'} and image['tags'] == ['t2']
    with pytest.raises(exception.InvalidImageProperty):
        store.update(ctx, image['id'], properties={'name': 'core'})
    with pytest.raises(exception.InvalidImageProperty):
        store.update(ctx, image['id'], properties={'n': 5})
    assert store.get(ctx, image['id'])['properties'] == {'kernel_id': 'b'}


def test_duplicate_id_conflicts(store, ctx):
    image = store.create(ctx, {'name': 'a'})
    with pytest.raises(exception.ImageExists):
        store.create(ctx, {'id': image['id']})


def test_download_to_a_file_is_verified(store, ctx, conf, tmp_path):
    image = _queued(store, ctx)
    data = os.urandom(5000)
    store.upload(ctx, image['id'], io.BytesIO(data), size=len(data))
    dst_dir = tmp_path / 'instances'
    dst_dir.mkdir()
    assert store.download(ctx, image['id'], dst_path=str(dst_dir / 'disk'))['id'] == \
        image['id']
    assert (dst_dir / 'disk').read_bytes() == data

    stored = os.path.join(conf.image.local_store_path, image['id'])
    with open(stored, 'r+b') as f:
        f.write(b'\0' * 8)
    with pytest.raises(exception.ImageDownloadFailed, match='sha512 checksum mismatch'):
        store.download(ctx, image['id'], dst_path=str(dst_dir / 'again'))
    assert os.listdir(dst_dir) == ['disk']


def test_short_store_file_ends_in_an_error_not_a_quiet_end(store, ctx, conf, tmp_path):
    image = _queued(store, ctx)
    store.upload(ctx, image['id'], io.BytesIO(b'x' * 1000), size=1000)
    os.truncate(os.path.join(conf.image.local_store_path, image['id']), 600)
    chunks = store.download(ctx, image['id'], chunk_size=256)
    assert len(next(chunks)) == 256
    with pytest.raises(IOError, match='short'):
        list(chunks)
    with pytest.raises(exception.ImageDownloadFailed, match='short'):
        store.download(ctx, image['id'], dst_path=str(tmp_path / 'disk'))
    assert not (tmp_path / 'disk').exists()
    with pytest.raises(exception.ImageDownloadFailed):
        store.download(ctx, _queued(store, ctx)['id'], dst_path=str(tmp_path / 'disk'))


def test_download_where_the_store_is_not_says_what_to_set(store, ctx, conf, tmp_path):
    image = _queued(store, ctx)
    store.upload(ctx, image['id'], io.BytesIO(b'abc'), size=3)
    os.unlink(os.path.join(conf.image.local_store_path, image['id']))  # another host's
    with pytest.raises(exception.ImageDownloadFailed, match=r'\[glance\] api_servers'):
        store.download(ctx, image['id'], dst_path=str(tmp_path / 'disk'))
    assert not (tmp_path / 'disk').exists()
