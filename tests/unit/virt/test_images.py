"""The compute host's image cache and the fake driver's use of it."""

import hashlib
import threading

import pytest

from nova import context as nova_context
from nova import exception
from nova import objects
from nova.image import api as image_api
from nova.virt import fake
from nova.virt import images

DATA = b'cached image bytes\n' * 50
IMAGE_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'


class _Backend(image_api.ImageBackend):
    """An image backend holding one image; counts downloads and records the caller."""

    def __init__(self, data=DATA, checksum=None):
        self.data = data
        self.image = {'id': IMAGE_ID, 'status': 'active', 'size': len(DATA),
                      'os_hash_algo': 'sha512',
                      'os_hash_value': checksum or hashlib.sha512(DATA).hexdigest()}
        self.downloads = []

    def get(self, context, image_id):
        if image_id != IMAGE_ID:
            raise exception.ImageNotFound(image_id=image_id)
        return dict(self.image)

    def download(self, context, image_id, chunk_size=65536):
        self.downloads.append(context.auth_token)
        return iter([self.data[:100], self.data[100:]])

    list = create = update = delete = upload = None
    list_members = get_member = add_member = update_member = delete_member = None


@pytest.fixture
def cache(conf, tmp_path):
    conf.set_override('instances_path', str(tmp_path / 'instances'))
    return tmp_path / 'instances' / '_base'


@pytest.fixture
def ctx():
    return nova_context.RequestContext(user_id='u1', project_id='p1', auth_token='tok-1')


def test_fetch_downloads_once_with_the_callers_token(cache, ctx):
    backend = _Backend()
    api = image_api.API(backend=backend)
    path = images.fetch_to_cache(ctx, IMAGE_ID, images=api)
    assert path == str(cache / images.cached_name(IMAGE_ID))
    assert (cache / images.cached_name(IMAGE_ID)).read_bytes() == DATA
    assert images.fetch_to_cache(ctx, IMAGE_ID, images=api) == path
    assert backend.downloads == ['tok-1']


def test_concurrent_fetches_of_one_image_download_it_once(cache, ctx):
    backend = _Backend()
    api = image_api.API(backend=backend)
    threads = [threading.Thread(target=images.fetch_to_cache, args=(ctx, IMAGE_ID),
                                kwargs={'images': api}) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert backend.downloads == ['tok-1']


def test_corrupted_data_is_not_cached(cache, ctx):
    api = image_api.API(backend=_Backend(checksum='0' * 128))
    with pytest.raises(exception.ImageDownloadFailed, match='checksum mismatch'):
        images.fetch_to_cache(ctx, IMAGE_ID, images=api)
    assert [p.name for p in cache.iterdir() if not p.name.startswith('.')] == []


def _instance(image_ref):
    return objects.Instance(uuid='6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', id=1,
                            node='n1', vcpus=1, memory_mb=64, root_gb=1, ephemeral_gb=0,
                            image_ref=image_ref)


@pytest.mark.parametrize('fetch', [False, True])
def test_fake_driver_fetches_the_image_only_when_asked(conf, cache, ctx, monkeypatch, fetch):
    conf.set_override('fetch_images', fetch, group='fake_driver')
    backend = _Backend()
    monkeypatch.setattr(image_api, 'get_backend', lambda: backend)
    driver = fake.FakeDriver()
    driver.spawn(ctx, _instance(IMAGE_ID), {'id': IMAGE_ID})
    assert backend.downloads == (['tok-1'] if fetch else [])
    assert (cache / images.cached_name(IMAGE_ID)).exists() is fetch


def test_fake_driver_spawn_fails_when_the_image_cannot_be_fetched(conf, cache, ctx,
                                                                   monkeypatch):
    conf.set_override('fetch_images', True, group='fake_driver')
    monkeypatch.setattr(image_api, 'get_backend', lambda: _Backend(checksum='0' * 128))
    driver = fake.FakeDriver()
    with pytest.raises(exception.ImageDownloadFailed):
        driver.spawn(ctx, _instance(IMAGE_ID), {'id': IMAGE_ID})
    assert driver.guests == {}
