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


# The microversions the compat tests run at (None: no header, the 2.1 schemas).
MICROVERSIONS = [None, '2.11', '2.47', '2.53', '2.79', '2.96', '2.104']


@pytest.fixture(params=MICROVERSIONS, ids=lambda v: v or 'none')
def microversion(request):
    from tempest.lib.services.compute import base_compute_client
    saved = base_compute_client.COMPUTE_MICROVERSION
    base_compute_client.COMPUTE_MICROVERSION = request.param
    yield request.param
    base_compute_client.COMPUTE_MICROVERSION = saved
