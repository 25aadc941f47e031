import pytest

from nova.api import loader


@pytest.fixture
def api(database):
    """The Compute API as nova-api serves it, over objects on the migrated SQLite files."""
    return loader.load_app('osapi_compute')
