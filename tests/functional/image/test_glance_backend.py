"""The Glance v2 HTTP image backend (what a compute host uses) against the real /image
endpoint of nova-all running in this process."""

import hashlib
import io
import os

import pytest

from nova import context as nova_context
from nova import exception
from nova.image import api as image_api
from nova.image import glance
from nova.objects import image as image_obj

DATA = os.urandom(300 * 1024)


def _ctx(token):
    user, _sep, project = token.partition(':')
    return nova_context.RequestContext(user_id=user, project_id=project, auth_token=token,
                                       request_id='req-7c1d2a52-4c55-4f0e-8a55-2b8b0f0b9c61')


OWNER, MEMBER, STRANGER = _ctx('olga:p1'), _ctx('alan:p2'), _ctx('sam:p3')


@pytest.fixture
def images(nova):
    """The image API facade over HTTP to nova-all's /image."""
    return image_api.API(backend=glance.GlanceImageBackend(
        api_servers=['http://127.0.0.1:%d/image' % nova.api.port]))


@pytest.fixture
def shared_image(images):
    image = images.create(OWNER, {'name': 'edge-os', 'disk_format': 'raw',
                                  'container_format': 'bare', 'visibility': 'shared'},
                          properties={'hw_disk_bus': 'virtio'}, tags=['robot'])
    assert image['status'] == 'queued'
    image = images.upload(OWNER, image['id'], io.BytesIO(DATA), size=len(DATA))
    images.add_member(OWNER, image['id'], 'p2')
    return image


@pytest.fixture
def dst_dir(tmp_path):
    """Where a compute host would put the disk (tmp_path itself is nova-all's state_path)."""
    path = tmp_path / 'instances'
    path.mkdir()
    return path


def _store_file(conf, image_id):
    return os.path.join(conf.image.local_store_path, image_id)


def test_round_trip_through_the_image_api(images, shared_image, dst_dir):
    image = shared_image
    assert image['status'] == 'active' and image['size'] == len(DATA)
    assert image['os_hash_algo'] == 'sha512'
    assert image['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert image['properties'] == {'hw_disk_bus': 'virtio'} and image['tags'] == ['robot']

    # The member downloads it (pending is enough to read it) to a verified file.
    dst = dst_dir / 'disk'
    assert images.download(MEMBER, image['id'], dst_path=str(dst))['id'] == image['id']
    assert dst.read_bytes() == DATA
    assert os.listdir(dst_dir) == ['disk']
    assert b''.join(images.download(MEMBER, image['id'])) == DATA

    # Lists and member answers carry the caller's identity.
    assert [i['id'] for i in images.list(MEMBER, filters={'member_status': 'pending'})] == \
        [image['id']]
    assert images.list(MEMBER) == []
    assert images.update_member(MEMBER, image['id'], 'p2', 'accepted')['status'] == \
        'accepted'
    assert [i['id'] for i in images.list(MEMBER)] == [image['id']]
    assert [m['member_id'] for m in images.list_members(OWNER, image['id'])] == ['p2']
    with pytest.raises(exception.ImageNotAuthorized):
        images.update_member(OWNER, image['id'], 'p2', 'rejected')

    updated = images.update(OWNER, image['id'], values={'name': 'edge-os-2'},
                            properties={'os_distro': 'debian'}, tags=['robot', 'arm'])
    assert updated['name'] == 'edge-os-2'
    assert updated['properties'] == {'os_distro': 'debian'}
    assert updated['tags'] == ['arm', 'robot']

    with pytest.raises(exception.ImageNotFound):
        images.get(STRANGER, image['id'])
    with pytest.raises(exception.ImageNotFound):
        images.download(STRANGER, image['id'], dst_path=str(dst_dir / 'stolen'))
    assert not (dst_dir / 'stolen').exists()

    images.delete(OWNER, image['id'])
    with pytest.raises(exception.ImageNotFound):
        images.get(OWNER, image['id'])


def test_corrupted_data_fails_and_leaves_no_file(images, shared_image, conf, dst_dir):
    path = _store_file(conf, shared_image['id'])
    with open(path, 'r+b') as f:  # same size, different bytes
        f.write(b'\0' * 16)
    with pytest.raises(exception.ImageDownloadFailed, match='sha512 checksum mismatch'):
        images.download(MEMBER, shared_image['id'], dst_path=str(dst_dir / 'disk'))
    assert os.listdir(dst_dir) == []


def test_tampered_checksum_fails_and_leaves_no_file(images, shared_image, dst_dir):
    image_obj.ImageRecord.update_image(nova_context.get_admin_context(), shared_image['id'],
                                       {'os_hash_value': '0' * 128})
    with pytest.raises(exception.ImageDownloadFailed, match='sha512 checksum mismatch'):
        images.download(MEMBER, shared_image['id'], dst_path=str(dst_dir / 'disk'))
    assert os.listdir(dst_dir) == []


def test_truncated_stream_fails_and_leaves_no_file(images, shared_image, conf, dst_dir):
    # The store lost the end of the file: the API announces the full size and sends less.
    os.truncate(_store_file(conf, shared_image['id']), len(DATA) // 2)
    with pytest.raises(exception.ImageDownloadFailed):
        images.download(MEMBER, shared_image['id'], dst_path=str(dst_dir / 'disk'))
    assert os.listdir(dst_dir) == []


def test_unreachable_image_api_is_a_clear_error(nova, conf, dst_dir):
    conf.set_override('num_retries', 1, group='glance')
    images = image_api.API(backend=glance.GlanceImageBackend(
        api_servers=['http://127.0.0.1:9/image']))
    with pytest.raises(exception.ImageServiceUnavailable, match='127.0.0.1:9'):
        images.download(MEMBER, '00000000-0000-0000-0000-000000000000',
                        dst_path=str(dst_dir / 'disk'))
    assert os.listdir(dst_dir) == []
