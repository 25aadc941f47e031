import pytest

from nova.api import loader


@pytest.fixture
def app(conf):
    """The Compute API exactly as nova-api serves it (api-paste.ini, osapi_compute)."""
    return loader.load_app('osapi_compute')
