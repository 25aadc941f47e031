"""python-novaclient, as a library, against nova-all: version negotiation and services."""

import pytest

novaclient = pytest.importorskip('novaclient')

from keystoneauth1 import session as ks_session  # noqa: E402
from keystoneauth1 import token_endpoint  # noqa: E402
from novaclient import api_versions  # noqa: E402
from novaclient import client  # noqa: E402
from novaclient import exceptions  # noqa: E402


@pytest.fixture
def nova(nova_all):
    sess = ks_session.Session(auth=token_endpoint.Token(nova_all.compute_url, 'admin:admin'))
    version = api_versions.discover_version(client.Client('2.1', session=sess),
                                            api_versions.APIVersion('2.latest'))
    return client.Client(version, session=sess)


def test_negotiates_the_newest_common_version(nova):
    assert nova.api_version >= api_versions.APIVersion('2.53')
    assert nova.api_version <= api_versions.APIVersion('2.104')


def test_services_list_and_update(nova):
    services = {s.binary: s for s in nova.services.list()}
    assert set(services) == {'nova-conductor', 'nova-scheduler', 'nova-compute'}
    compute = services['nova-compute']
    assert compute.state == 'up' and compute.zone == 'nova'
    updated = nova.services.disable_log_reason(compute.id, 'novaclient says so')
    assert updated.status == 'disabled' and updated.disabled_reason == 'novaclient says so'
    assert nova.services.enable(compute.id).status == 'enabled'
    assert nova.services.force_down(compute.id, True).forced_down is True
    assert nova.services.force_down(compute.id, False).forced_down is False
    assert [s.binary for s in nova.services.list(binary='nova-compute')] == ['nova-compute']


def test_old_microversion_uses_host_and_binary(nova_all):
    sess = ks_session.Session(auth=token_endpoint.Token(nova_all.compute_url, 'admin:admin'))
    old = client.Client('2.11', session=sess)
    compute = [s for s in old.services.list() if s.binary == 'nova-compute'][0]
    assert isinstance(compute.id, int)
    disabled = old.services.disable('edge1', 'nova-compute')
    assert disabled.status == 'disabled'
    assert old.services.enable('edge1', 'nova-compute').status == 'enabled'


def test_missing_service_is_not_found(nova):
    with pytest.raises(exceptions.NotFound):
        nova.services.delete('00000000-0000-0000-0000-00000000dead')
