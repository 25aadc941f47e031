import pytest

from nova.api import loader


@pytest.fixture
def app(database, conf, tmp_path):
    """The osapi_compute paste app (which serves /image) with the store under tmp_path."""
    conf.set_override('local_store_path', str(tmp_path / 'images'), group='image')
    conf.set_override('max_image_size_mb', 1, group='image')
    return loader.load_app('osapi_compute')
