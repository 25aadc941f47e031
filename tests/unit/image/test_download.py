"""Image data written to a file only when its size and hash match the image record."""

import hashlib
import os

import pytest

from nova import exception
from nova.image import download

DATA = b'0123456789' * 1000


def _image(data=DATA, **values):
    image = {'id': 'img-1', 'size': len(data), 'checksum': hashlib.md5(data).hexdigest(),
             'os_hash_algo': 'sha512', 'os_hash_value': hashlib.sha512(data).hexdigest()}
    image.update(values)
    return image


def _chunks(data=DATA, step=999):
    return [data[i:i + step] for i in range(0, len(data), step)]


class _Closing:
    """Chunks that remember being closed, and may fail after some of them."""

    def __init__(self, chunks, fail_after=None):
        self.chunks, self.fail_after, self.closed = chunks, fail_after, False

    def __iter__(self):
        for index, chunk in enumerate(self.chunks):
            if index == self.fail_after:
                raise exception.ImageDownloadFailed(image_id='img-1', reason='reset')
            yield chunk

    def close(self):
        self.closed = True


def test_whole_data_lands_at_the_destination(tmp_path):
    dst = tmp_path / 'disk'
    chunks = _Closing(_chunks())
    download.write_verified(_image(), chunks, str(dst))
    assert dst.read_bytes() == DATA
    assert chunks.closed
    assert os.listdir(tmp_path) == ['disk']


@pytest.mark.parametrize('image, chunks, reason', [
    (_image(), _chunks(DATA[:-1]), 'received 9999 of 10000 bytes'),
    (_image(), _chunks(DATA + b'x'), 'more data than the 10000 bytes of the image'),
    (_image(), _chunks(b'X' + DATA[1:]), 'sha512 checksum mismatch'),
    (_image(os_hash_value='0' * 128), _chunks(), 'sha512 checksum mismatch'),
    (_image(os_hash_algo=None, os_hash_value=None, checksum='0' * 32), _chunks(),
     'md5 checksum mismatch'),
    (_image(os_hash_algo='sha999'), _chunks(), 'unsupported hash algorithm sha999'),
])
def test_bad_data_fails_and_leaves_nothing(tmp_path, image, chunks, reason):
    dst = tmp_path / 'disk'
    with pytest.raises(exception.ImageDownloadFailed) as err:
        download.write_verified(image, chunks, str(dst))
    assert reason in str(err.value) and 'img-1' in str(err.value)
    assert os.listdir(tmp_path) == []


def test_legacy_md5_only_image_is_checked(tmp_path):
    image = _image(os_hash_algo=None, os_hash_value=None)
    download.write_verified(image, _chunks(), str(tmp_path / 'disk'))
    assert (tmp_path / 'disk').read_bytes() == DATA


def test_broken_stream_leaves_an_existing_file_untouched(tmp_path):
    dst = tmp_path / 'disk'
    dst.write_bytes(b'previous')
    chunks = _Closing(_chunks(), fail_after=3)
    with pytest.raises(exception.ImageDownloadFailed, match='reset'):
        download.write_verified(_image(), chunks, str(dst))
    assert chunks.closed
    assert dst.read_bytes() == b'previous'
    assert os.listdir(tmp_path) == ['disk']


def test_io_errors_are_download_failures(tmp_path):
    with pytest.raises(exception.ImageDownloadFailed, match='No such file'):
        download.write_verified(_image(), _chunks(), str(tmp_path / 'no' / 'disk'))

    def broken():
        yield DATA[:10]
        raise IOError('disk went away')
    with pytest.raises(exception.ImageDownloadFailed, match='disk went away'):
        download.write_verified(_image(), broken(), str(tmp_path / 'disk'))
    assert os.listdir(tmp_path) == []
