"""/os-services through the real WSGI app, on real objects and a real (SQLite) database."""

import datetime

from oslo_utils import timeutils
from oslo_utils import uuidutils
import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import compute_node as compute_node_obj
from nova.objects import service as service_obj
from tests.unit.api.client import call
from tests.unit.api.client import fault

URL = '/v2.1/os-services'
USER = 'alice:p1'
BASE_FIELDS = {'id', 'binary', 'host', 'zone', 'status', 'state', 'updated_at',
               'disabled_reason'}


def admin_context():
    return nova_context.get_admin_context()


def make_service(host, binary, up=True, **values):
    last_seen = timeutils.utcnow()
    if not up:
        last_seen -= datetime.timedelta(hours=1)
    service = service_obj.Service(
        context=admin_context(), host=host, binary=binary, topic=binary.split('-', 1)[1],
        report_count=1, disabled=False, forced_down=False, last_seen_up=last_seen)
    for key, value in values.items():
        setattr(service, key, value)
    service.create()
    return service


def load(service):
    return service_obj.Service.get_by_id(admin_context(), service.id)


def state(service):
    """What a request could have changed on a service."""
    current = load(service)
    return (current.disabled, current.disabled_reason, current.forced_down)


@pytest.fixture
def services(api):
    return {
        'compute1': make_service('compute1', 'nova-compute'),
        'compute2': make_service('compute2', 'nova-compute', up=False, disabled=True,
                                 disabled_reason='maintenance'),
        'scheduler': make_service('control1', 'nova-scheduler'),
        'conductor': make_service('control1', 'nova-conductor'),
        'api': make_service('control1', 'nova-osapi_compute'),
    }


# -- GET /os-services ------------------------------------------------------------------------

def by_host_binary(resp):
    assert resp.status_int == 200, resp.text
    return {(s['host'], s['binary']): s for s in resp.json['services']}


def test_list_at_2_1(api, services):
    listed = by_host_binary(call(api, URL))
    assert set(listed) == {('compute1', 'nova-compute'), ('compute2', 'nova-compute'),
                           ('control1', 'nova-scheduler'), ('control1', 'nova-conductor')}
    for entry in listed.values():
        assert set(entry) == BASE_FIELDS
    compute1 = listed[('compute1', 'nova-compute')]
    assert compute1['id'] == services['compute1'].id
    assert (compute1['zone'], compute1['status'], compute1['state']) == \
        ('nova', 'enabled', 'up')
    assert compute1['disabled_reason'] is None
    assert compute1['updated_at'] is None or isinstance(compute1['updated_at'], str)
    compute2 = listed[('compute2', 'nova-compute')]
    assert (compute2['status'], compute2['state'], compute2['disabled_reason']) == \
        ('disabled', 'down', 'maintenance')
    assert listed[('control1', 'nova-scheduler')]['zone'] == 'internal'


def test_zones_follow_configuration(api, services, conf):
    conf.set_override('default_availability_zone', 'edge')
    conf.set_override('internal_service_availability_zone', 'control')
    listed = by_host_binary(call(api, URL))
    assert listed[('compute1', 'nova-compute')]['zone'] == 'edge'
    assert listed[('control1', 'nova-conductor')]['zone'] == 'control'


def test_list_at_2_11_has_forced_down(api, services):
    compute1 = load(services['compute1'])
    compute1.forced_down = True
    compute1.save()
    listed = by_host_binary(call(api, URL, version='2.11'))
    for entry in listed.values():
        assert set(entry) == BASE_FIELDS | {'forced_down'}
        assert isinstance(entry['id'], int)
    assert listed[('compute1', 'nova-compute')]['forced_down'] is True
    assert listed[('compute1', 'nova-compute')]['state'] == 'down'
    assert listed[('compute2', 'nova-compute')]['forced_down'] is False


@pytest.mark.parametrize('version', ['2.53', 'latest'])
def test_list_from_2_53_shows_uuids(api, services, version):
    listed = by_host_binary(call(api, URL, version=version))
    assert listed[('compute1', 'nova-compute')]['id'] == services['compute1'].uuid
    assert 'forced_down' in listed[('compute1', 'nova-compute')]


def test_filters(api, services):
    assert set(by_host_binary(call(api, URL + '?host=control1'))) == {
        ('control1', 'nova-scheduler'), ('control1', 'nova-conductor')}
    assert set(by_host_binary(call(api, URL + '?binary=nova-compute'))) == {
        ('compute1', 'nova-compute'), ('compute2', 'nova-compute')}
    assert set(by_host_binary(call(api, URL + '?host=compute2&binary=nova-compute'))) == {
        ('compute2', 'nova-compute')}
    assert by_host_binary(call(api, URL + '?host=nowhere')) == {}


def test_unknown_query_parameters(api, services):
    assert len(by_host_binary(call(api, URL + '?colour=red', version='2.74'))) == 4
    resp = call(api, URL + '?colour=red', version='2.75')
    assert resp.status_int == 400
    assert "'colour' was unexpected" in fault(resp)[2]


def test_list_is_admin_only(api, services):
    resp = call(api, URL, token=USER)
    assert fault(resp) == ('forbidden', 403,
                           "Policy doesn't allow os_compute_api:os-services:list to be "
                           "performed.")


def test_list_under_the_project_id(api, services):
    project = '6f70656e737461636b20342065766572'
    resp = call(api, '/v2.1/%s/os-services' % project, token='admin:%s' % project)
    assert len(by_host_binary(resp)) == 4


def test_list_on_legacy_v2(api, services):
    resp = call(api, '/v2/os-services', version='2.53')
    listed = by_host_binary(resp)
    assert set(listed[('compute1', 'nova-compute')]) == BASE_FIELDS
    assert 'OpenStack-API-Version' not in resp.headers


# -- PUT /os-services/{action} before 2.53 --------------------------------------------------

def put(api, action, body, version=None, token=None, prefix=URL):
    kwargs = {'token': token} if token else {}
    return call(api, '%s/%s' % (prefix, action), 'PUT', body, version=version, **kwargs)


def test_disable_and_enable(api, services):
    body = {'host': 'compute1', 'binary': 'nova-compute'}
    resp = put(api, 'disable', body)
    assert resp.status_int == 200
    assert resp.json == {'service': {'host': 'compute1', 'binary': 'nova-compute',
                                     'status': 'disabled'}}
    assert state(services['compute1']) == (True, None, False)
    resp = put(api, 'enable', body)
    assert resp.json == {'service': {'host': 'compute1', 'binary': 'nova-compute',
                                     'status': 'enabled'}}
    assert state(services['compute1']) == (False, None, False)


def test_disable_log_reason(api, services):
    resp = put(api, 'disable-log-reason', {'host': 'compute1', 'binary': 'nova-compute',
                                           'disabled_reason': 'new disk'})
    assert resp.json == {'service': {'host': 'compute1', 'binary': 'nova-compute',
                                     'status': 'disabled', 'disabled_reason': 'new disk'}}
    assert state(services['compute1']) == (True, 'new disk', False)
    put(api, 'enable', {'host': 'compute1', 'binary': 'nova-compute'})
    assert state(services['compute1']) == (False, None, False)


@pytest.mark.parametrize('action, body, code, message', [
    ('disable-log-reason', {'host': 'compute1', 'binary': 'nova-compute'}, 400,
     'Missing disabled reason field'),
    ('disable', {'host': 'control1', 'binary': 'nova-scheduler'}, 400,
     'Updating a nova-scheduler service is not supported. Only nova-compute services '
     'can be updated.'),
    ('disable', {'host': 'nowhere', 'binary': 'nova-compute'}, 404,
     'Could not find binary nova-compute on host nowhere.'),
    ('shutdown', {'host': 'compute1', 'binary': 'nova-compute'}, 404, 'Unknown action'),
    ('force-down', {'host': 'compute1', 'binary': 'nova-compute'}, 404, 'Unknown action'),
    ('disable', {'host': 'compute1'}, 400, "'binary' is a required property"),
    ('disable', {'host': 'compute1', 'binary': 'nova-compute', 'colour': 'red'}, 400,
     "Additional properties are not allowed ('colour' was unexpected)"),
    ('disable', {'host': 'compute 1', 'binary': 'nova-compute'}, 400,
     'Invalid input for field/attribute host.'),
    ('disable-log-reason', {'host': 'compute1', 'binary': 'nova-compute',
                            'disabled_reason': ''}, 400,
     'Invalid input for field/attribute disabled_reason.'),
    ('disable', {'host': 'compute1', 'binary': 'nova-compute', 'forced_down': True}, 400,
     "'forced_down' was unexpected"),
])
def test_bad_updates_change_nothing(api, services, action, body, code, message):
    before = [state(s) for s in services.values()]
    resp = put(api, action, body)
    assert resp.status_int == code
    assert message in fault(resp)[2]
    assert [state(s) for s in services.values()] == before


def test_update_is_admin_only(api, services):
    resp = put(api, 'disable', {'host': 'compute1', 'binary': 'nova-compute'}, token=USER)
    assert fault(resp) == ('forbidden', 403,
                           "Policy doesn't allow os_compute_api:os-services:update to be "
                           "performed.")
    assert state(services['compute1']) == (False, None, False)


def test_force_down_at_2_11(api, services):
    body = {'host': 'compute1', 'binary': 'nova-compute', 'forced_down': True}
    resp = put(api, 'force-down', body, version='2.11')
    assert resp.json == {'service': {'host': 'compute1', 'binary': 'nova-compute',
                                     'forced_down': True}}
    assert state(services['compute1']) == (False, None, True)
    listed = by_host_binary(call(api, URL, version='2.11'))
    assert listed[('compute1', 'nova-compute')]['state'] == 'down'
    resp = put(api, 'force-down', dict(body, forced_down='false'), version='2.52')
    assert resp.json['service']['forced_down'] is False
    assert state(services['compute1']) == (False, None, False)


@pytest.mark.parametrize('body, message', [
    ({'host': 'compute1', 'binary': 'nova-compute'}, 'Missing forced_down field'),
    ({'host': 'compute1', 'binary': 'nova-compute', 'forced_down': 'maybe'},
     'Invalid input for field/attribute forced_down.'),
])
def test_bad_force_down(api, services, body, message):
    resp = put(api, 'force-down', body, version='2.11')
    assert resp.status_int == 400
    assert message in fault(resp)[2]
    assert state(services['compute1']) == (False, None, False)


def test_actions_are_gone_from_2_53(api, services):
    resp = put(api, 'disable', {'status': 'disabled'}, version='2.53')
    assert fault(resp) == ('badRequest', 400, 'Invalid uuid disable')
    resp = put(api, 'disable', {'host': 'compute1', 'binary': 'nova-compute'}, version='2.53')
    assert resp.status_int == 400
    assert state(services['compute1']) == (False, None, False)


def test_legacy_v2_relaxes_validation(api, services):
    resp = put(api, 'disable', {'host': 'compute1', 'binary': 'nova-compute', 'colour': 1},
               prefix='/v2/os-services')
    assert resp.status_int == 200
    assert state(services['compute1']) == (True, None, False)


# -- PUT /os-services/{service_id} from 2.53 -------------------------------------------------

def test_update_by_uuid(api, services):
    compute1 = services['compute1']
    resp = put(api, compute1.uuid, {'status': 'disabled', 'disabled_reason': 'fan'},
               version='2.53')
    assert resp.status_int == 200
    detail = resp.json['service']
    assert set(detail) == BASE_FIELDS | {'forced_down'}
    assert (detail['id'], detail['host'], detail['binary'], detail['status'],
            detail['disabled_reason'], detail['forced_down'], detail['zone']) == (
        compute1.uuid, 'compute1', 'nova-compute', 'disabled', 'fan', False, 'nova')
    assert state(compute1) == (True, 'fan', False)

    resp = put(api, compute1.uuid, {'forced_down': True}, version='latest')
    assert (resp.json['service']['forced_down'], resp.json['service']['state']) == \
        (True, 'down')
    assert state(compute1) == (True, 'fan', True)

    resp = put(api, compute1.uuid, {'status': 'enabled', 'forced_down': 'no'},
               version='2.53')
    assert (resp.json['service']['status'], resp.json['service']['disabled_reason'],
            resp.json['service']['forced_down']) == ('enabled', None, False)
    assert state(compute1) == (False, None, False)


def test_disable_without_reason(api, services):
    compute2 = services['compute2']
    put(api, compute2.uuid, {'status': 'disabled'}, version='2.53')
    assert state(compute2) == (True, None, False)


@pytest.mark.parametrize('target, body, code, message', [
    ('compute1', {'status': 'enabled', 'disabled_reason': 'x'}, 400,
     "Specifying 'disabled_reason' with status 'enabled' is invalid."),
    ('compute1', {}, 400,
     "No updates were requested. Fields 'status' or 'forced_down' should be specified."),
    ('compute1', {'disabled_reason': 'x'}, 400, 'No updates were requested.'),
    ('compute1', {'status': 'off'}, 400, 'Invalid input for field/attribute status.'),
    ('compute1', {'forced_down': 'maybe'}, 400,
     'Invalid input for field/attribute forced_down.'),
    ('compute1', {'status': 'disabled', 'host': 'compute1'}, 400,
     "'host' was unexpected"),
    ('scheduler', {'status': 'disabled'}, 400,
     'Updating a nova-scheduler service is not supported.'),
    (None, {'status': 'disabled'}, 404, 'could not be found'),
])
def test_bad_uuid_updates_change_nothing(api, services, target, body, code, message):
    before = [state(s) for s in services.values()]
    service_id = services[target].uuid if target else uuidutils.generate_uuid()
    resp = put(api, service_id, body, version='2.53')
    assert resp.status_int == code
    assert message in fault(resp)[2]
    assert [state(s) for s in services.values()] == before


def test_update_needs_a_uuid_from_2_53(api, services):
    resp = put(api, str(services['compute1'].id), {'status': 'disabled'}, version='2.53')
    assert fault(resp) == ('badRequest', 400, 'Invalid uuid %s' % services['compute1'].id)


def test_uuid_update_is_admin_only(api, services):
    resp = put(api, services['compute1'].uuid, {'status': 'disabled'}, version='2.53',
               token=USER)
    assert resp.status_int == 403
    assert state(services['compute1']) == (False, None, False)


# -- DELETE /os-services/{id} ----------------------------------------------------------------

def delete(api, service_id, version=None, token=None):
    kwargs = {'token': token} if token else {}
    return call(api, '%s/%s' % (URL, service_id), 'DELETE', version=version, **kwargs)


def make_compute_node(service):
    node = compute_node_obj.ComputeNode(
        context=admin_context(), service_id=service.id, host=service.host,
        hypervisor_hostname=service.host, vcpus=4, memory_mb=2048, local_gb=20,
        vcpus_used=0, memory_mb_used=0, local_gb_used=0, hypervisor_type='fake',
        hypervisor_version=1, cpu_info='{}')
    node.create()
    return node


def test_delete_by_id_before_2_53(api, services):
    node = make_compute_node(services['compute1'])
    resp = delete(api, services['compute1'].id)
    assert resp.status_int == 204
    assert resp.body == b''
    assert ('compute1', 'nova-compute') not in by_host_binary(call(api, URL))
    with pytest.raises(exception.ServiceNotFound):
        load(services['compute1'])
    with pytest.raises(exception.ComputeHostNotFound):
        compute_node_obj.ComputeNode.get_by_id(admin_context(), node.id)
    assert delete(api, services['compute1'].id).status_int == 404


def test_delete_other_services(api, services):
    assert delete(api, services['scheduler'].id, version='2.52').status_int == 204
    assert delete(api, services['conductor'].uuid, version='2.53').status_int == 204
    assert set(by_host_binary(call(api, URL))) == {('compute1', 'nova-compute'),
                                                   ('compute2', 'nova-compute')}


def test_delete_by_uuid_from_2_53(api, services):
    resp = delete(api, services['compute2'].uuid, version='2.53')
    assert resp.status_int == 204
    assert 'OpenStack-API-Version' in resp.headers
    assert ('compute2', 'nova-compute') not in by_host_binary(call(api, URL))


@pytest.mark.parametrize('version, service_id, code, message', [
    ('2.1', 'abc', 400, 'Invalid input received: id must be an integer'),
    ('2.1', '6b9e0e8a-0d9a-4b43-a6c1-2a0b1d5f3d1c', 400,
     'Invalid input received: id must be an integer'),
    ('2.1', '999999', 404, 'Service 999999 not found.'),
    ('2.1', '99999999999999999999', 404, 'Service 99999999999999999999 not found.'),
    ('2.53', '1', 400, 'Invalid uuid 1'),
    ('2.53', '6b9e0e8a-0d9a-4b43-a6c1-2a0b1d5f3d1c', 404,
     'Service 6b9e0e8a-0d9a-4b43-a6c1-2a0b1d5f3d1c not found.'),
])
def test_bad_deletes_change_nothing(api, services, version, service_id, code, message):
    resp = delete(api, service_id, version=version)
    assert (resp.status_int, fault(resp)[2]) == (code, message)
    assert len(by_host_binary(call(api, URL))) == 4


def test_delete_is_admin_only(api, services):
    resp = delete(api, services['compute1'].id, token=USER)
    assert fault(resp) == ('forbidden', 403,
                           "Policy doesn't allow os_compute_api:os-services:delete to be "
                           "performed.")
    assert load(services['compute1']).host == 'compute1'


def test_delete_compute_with_instances_is_409(api, services):
    instance_obj = pytest.importorskip('nova.objects.instance')
    instance = instance_obj.Instance(context=admin_context(), host='compute1',
                                     node='compute1', project_id='p1', user_id='alice',
                                     vm_state='active')
    instance.create()
    for version, service_id in (('2.1', services['compute1'].id),
                                ('2.53', services['compute1'].uuid)):
        resp = delete(api, service_id, version=version)
        assert fault(resp) == ('conflictingRequest', 409,
                               'Unable to delete compute service that is hosting '
                               'instances. Migrate or delete the instances first.')
    assert load(services['compute1']).host == 'compute1'
    # The other compute host has none, so it can go.
    assert delete(api, services['compute2'].id).status_int == 204
