"""tempest.lib's compute clients against nova-all: every response is validated against
tempest's JSON schemas for the microversion in use."""

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import base_compute_client  # noqa: E402
from tempest.lib.services.compute import services_client  # noqa: E402
from tempest.lib.services.compute import versions_client  # noqa: E402

from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402


def _client(cls, nova_all):
    return cls(NoAuth2Provider(nova_all.compute_url), 'compute', 'RegionOne')


def test_list_services_matches_schema(nova_all, microversion):
    client = _client(services_client.ServicesClient, nova_all)
    services = client.list_services()['services']
    assert {s['binary'] for s in services} == {'nova-conductor', 'nova-scheduler',
                                               'nova-compute'}
    only_compute = client.list_services(binary='nova-compute')['services']
    assert [s['host'] for s in only_compute] == ['edge1']


def test_service_updates_match_schema(nova_all, microversion):
    client = _client(services_client.ServicesClient, nova_all)
    version = tuple(int(x) for x in (microversion or '2.1').split('.'))
    if version < (2, 53):
        body = client.disable_log_reason(host='edge1', binary='nova-compute',
                                         disabled_reason='tempest')['service']
        assert body['status'] == 'disabled'
        client.enable_service(host='edge1', binary='nova-compute')
        if version >= (2, 11):
            body = client.update_forced_down(host='edge1', binary='nova-compute',
                                             forced_down=True)['service']
            assert body['forced_down'] is True
            client.update_forced_down(host='edge1', binary='nova-compute', forced_down=False)
    else:
        compute = client.list_services(binary='nova-compute')['services'][0]
        body = client.update_service(compute['id'], status='disabled',
                                     disabled_reason='tempest')['service']
        assert body['status'] == 'disabled' and body['disabled_reason'] == 'tempest'
        body = client.update_service(compute['id'], status='enabled')['service']
        assert body['status'] == 'enabled'
        body = client.update_service(compute['id'], forced_down=True)['service']
        assert body['forced_down'] is True
        client.update_service(compute['id'], forced_down=False)


def test_delete_unknown_service_is_not_found(nova_all, microversion):
    client = _client(services_client.ServicesClient, nova_all)
    version = tuple(int(x) for x in (microversion or '2.1').split('.'))
    missing = '00000000-0000-0000-0000-00000000dead' if version >= (2, 53) else 99999
    with pytest.raises(lib_exc.NotFound):
        client.delete('os-services/%s' % missing)  # tempest.lib has no delete_service


def test_version_documents_match_schema(nova_all):
    base_compute_client.COMPUTE_MICROVERSION = None
    client = versions_client.VersionsClient(NoAuth2Provider(nova_all.url), 'compute',
                                            'RegionOne')
    versions = {v['id']: v for v in client.list_versions()['versions']}
    assert versions['v2.1']['version'] == '2.104' and versions['v2.1']['min_version'] == '2.1'
    assert versions['v2.0']['status'] == 'SUPPORTED'
    version = client.get_version_by_url(nova_all.compute_url + '/')['version']
    assert version['id'] == 'v2.1'
