"""A real nova-all process (console entry point, SQLite, in-process bus) for the clients."""

import pytest

from tests.integration import cluster as cluster_mod


@pytest.fixture(scope='session')
def nova_all(tmp_path_factory):
    nova = cluster_mod.NovaAll(str(tmp_path_factory.mktemp('nova-all')))
    nova.start()
    yield nova
    assert nova.stop() == 0, nova.log()
    assert 'Traceback' not in nova.log(), nova.log()
