"""rebuild, createImage, createBackup, shelve, shelveOffload and unshelve through the whole
system (nova-all in this process, fake driver): state transitions, 409s, microversion
differences, instance actions with their events, images in the image API, notifications."""

import json
import time
import urllib.error
import urllib.request

from oslo_messaging import opts as messaging_opts
from oslo_messaging.notify import _impl_test as test_notifier
from oslo_utils import timeutils
import pytest
from tempest.lib.api_schema.response.compute.v2_1 import servers as schema_v21
from tempest.lib.api_schema.response.compute.v2_19 import servers as schema_v219
from tempest.lib.api_schema.response.compute.v2_45 import servers as schema_v245
from tempest.lib.api_schema.response.compute.v2_54 import servers as schema_v254
from tempest.lib.api_schema.response.compute.v2_57 import servers as schema_v257
from tempest.lib.api_schema.response.compute.v2_75 import servers as schema_v275
from tempest.lib.api_schema.response.compute.v2_98 import servers as schema_v298
from tempest.lib.common import rest_client

from nova import context as nova_context
from nova import objects
from tests.functional import conftest as functional

USER = 'alice:p1'


def _upload_image(nova, name='cirros', **values):
    status, _h, image = nova.request('POST', '/image/v2/images', dict(
        {'name': name, 'disk_format': 'qcow2', 'container_format': 'bare',
         'visibility': 'public'}, **values))
    assert status == 201, image
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova.url, image['id']),
                                 data=b'abc', method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 204
    return image['id']


def _start(conf, tmp_path, **overrides):
    # oslo.messaging's in-memory notifier driver: the notifications compute emits.
    for group, options in messaging_opts.list_opts():
        if group == 'oslo_messaging_notifications':
            conf.register_opts(options, group=group)
    conf.set_override('driver', ['test'], group='oslo_messaging_notifications')
    return functional.nova_all_in_process(conf, tmp_path, report_interval=1, **overrides)


class Cloud:
    def __init__(self, nova):
        self.nova = nova
        self.image_id = _upload_image(nova)
        self.other_image_id = _upload_image(nova, 'debian', min_ram=16)
        status, _h, body = nova.request('POST', '/v2.1/flavors', {'flavor': {
            'name': 'tiny', 'ram': 64, 'vcpus': 1, 'disk': 1, 'id': '1'}})
        assert status == 200, body

    def request(self, *args, **kwargs):
        return self.nova.request(*args, **kwargs)

    def boot(self, name='vm', token=USER):
        status, _h, body = self.request('POST', '/v2.1/servers', {'server': {
            'name': name, 'imageRef': self.image_id, 'flavorRef': '1',
            'networks': 'none'}}, version='2.37', token=token)
        assert status == 202, body
        return self.wait(body['server']['id'], 'ACTIVE')

    def show(self, server_id, version=None):
        status, _h, body = self.request('GET', '/v2.1/servers/%s' % server_id,
                                        version=version)
        assert status == 200, body
        return body['server']

    def wait(self, server_id, status, timeout=30):
        """The server once it shows ``status`` with no task in progress."""
        deadline = time.time() + timeout
        while True:
            server = self.show(server_id)
            if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
                return server
            assert server['status'] != 'ERROR' or status == 'ERROR', server
            assert time.time() < deadline, 'never %s: %s' % (status, server)
            time.sleep(0.1)

    def action(self, server_id, body, version=None, token=USER):
        return self.request('POST', '/v2.1/servers/%s/action' % server_id, body,
                            version=version, token=token)

    def image(self, image_id, token=USER):
        """(status, headers, image or None): the image API's errors are not JSON."""
        req = urllib.request.Request('%s/image/v2/images/%s' % (self.nova.url, image_id))
        req.add_header('X-Auth-Token', token)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), json.loads(resp.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), None

    def wait_image(self, image_id, status='active', timeout=30):
        deadline = time.time() + timeout
        while True:
            code, _h, image = self.image(image_id)
            if code == 200 and image['status'] == status:
                return image
            assert time.time() < deadline, image
            time.sleep(0.1)

    def wait_image_gone(self, image_id, timeout=30):
        deadline = time.time() + timeout
        while self.image(image_id)[0] != 404:
            assert time.time() < deadline, image_id
            time.sleep(0.1)

    def actions(self, server_id, timeout=30):
        """[(action, [(event, result)])], oldest first, once every event has finished (a
        host records an event's end just after the state change it waits for)."""
        deadline = time.time() + timeout
        while True:
            result = self._actions(server_id)
            if all(outcome is not None for _a, events in result for _e, outcome in events):
                return result
            assert time.time() < deadline, result
            time.sleep(0.1)

    def _actions(self, server_id):
        _s, _h, body = self.request('GET', '/v2.1/servers/%s/os-instance-actions'
                                    % server_id)
        result = []
        for action in reversed(body['instanceActions']):
            _s, _h, shown = self.request('GET', '/v2.1/servers/%s/os-instance-actions/%s'
                                         % (server_id, action['request_id']))
            result.append((action['action'], sorted(
                (e['event'], e['result']) for e in shown['instanceAction']['events'])))
        return result

    def usage(self):
        _s, _h, body = self.request('GET', '/v2.1/os-hypervisors/statistics')
        return body['hypervisor_statistics']['running_vms']

    @staticmethod
    def eventually(probe, expected, timeout=30):
        """``probe()`` once it returns ``expected``: compute finishes its bookkeeping (the
        usage recount, the action event) just after the state it sets becomes visible."""
        deadline = time.time() + timeout
        while (value := probe()) != expected:
            assert time.time() < deadline, value
            time.sleep(0.1)
        return value


@pytest.fixture
def cloud(conf, tmp_path):
    test_notifier.reset()
    with _start(conf, tmp_path, shelved_offload_time=-1) as nova:
        yield Cloud(nova)


def _validate(schema, status, body):
    assert status in schema['status_code'], body
    rest_client.RestClient.validate_response(schema, type('R', (), {'status': status})(),
                                             body)


def _events():
    return [message['event_type'] for _c, message, _p, _r in test_notifier.NOTIFICATIONS]


# -- rebuild --------------------------------------------------------------------------------

def test_rebuild_to_a_new_image(cloud):
    server = cloud.boot()
    status, _h, body = cloud.action(server['id'], {'rebuild': {
        'imageRef': cloud.other_image_id, 'name': 'rebuilt', 'adminPass': 'secret',
        'metadata': {'role': 'db'}, 'accessIPv4': '10.0.0.9',
        'personality': [{'path': '/etc/motd', 'contents': 'aGk='}]}})
    _validate(schema_v21.rebuild_server_with_admin_pass, status, body)
    assert body['server']['status'] == 'REBUILD'
    assert body['server']['adminPass'] == 'secret'
    rebuilt = cloud.wait(server['id'], 'ACTIVE')
    assert rebuilt['image']['id'] == cloud.other_image_id
    assert rebuilt['name'] == 'rebuilt'
    assert rebuilt['metadata'] == {'role': 'db'}
    assert rebuilt['accessIPv4'] == '10.0.0.9'
    assert cloud.actions(server['id'])[-1] == (
        'rebuild', [('compute_rebuild_instance', 'Success')])
    assert 'compute.instance.rebuild.start' in _events()
    assert 'compute.instance.rebuild.end' in _events()


def test_rebuild_body_by_microversion(cloud):
    server = cloud.boot()
    request = {'imageRef': cloud.image_id}
    for version, schema, extra in (
            ('2.19', schema_v219.rebuild_server_with_admin_pass, {'description': 'd'}),
            ('2.54', schema_v254.rebuild_server_with_admin_pass, {'key_name': None}),
            ('2.57', schema_v257.rebuild_server_with_admin_pass, {'user_data': 'aGk='}),
            ('2.75', schema_v275.rebuild_server_with_admin_pass, {'user_data': None}),
            ('2.98', schema_v298.rebuild_server_with_admin_pass, {'hostname': 'new-name'})):
        status, _h, body = cloud.action(server['id'], {'rebuild': dict(request, **extra)},
                                        version=version)
        _validate(schema, status, body)
        cloud.wait(server['id'], 'ACTIVE')
    shown = cloud.show(server['id'], version='2.98')
    assert shown['description'] == 'd'
    assert shown['OS-EXT-SRV-ATTR:hostname'] == 'new-name'
    assert shown['OS-EXT-SRV-ATTR:user_data'] is None
    # 2.75 answers with the whole body: user_data, not OS-EXT-SRV-ATTR:user_data.
    _s, _h, body = cloud.action(server['id'], {'rebuild': request}, version='2.75')
    assert 'OS-EXT-AZ:availability_zone' in body['server']
    assert 'user_data' in body['server']
    assert 'OS-EXT-SRV-ATTR:user_data' not in body['server']
    cloud.wait(server['id'], 'ACTIVE')
    # A stopped server stays stopped (stop is not served here yet: set it directly).
    instance = objects.Instance.get_by_uuid(nova_context.get_admin_context(), server['id'])
    instance.vm_state = 'stopped'
    instance.save()
    assert cloud.action(server['id'], {'rebuild': request})[0] == 202
    assert cloud.wait(server['id'], 'SHUTOFF')['OS-EXT-STS:power_state'] == 4


def test_rebuild_refusals(cloud):
    server = cloud.boot()
    sid = server['id']

    def rebuild(version=None, token=USER, **params):
        return cloud.action(sid, {'rebuild': dict({'imageRef': cloud.image_id}, **params)},
                            version=version, token=token)[0]

    assert rebuild(imageRef='00000000-0000-0000-0000-000000000000') == 400
    assert rebuild(description='d') == 400            # 2.19
    assert rebuild(key_name=None, version='2.53') == 400      # 2.54
    assert rebuild(key_name='missing', version='2.54') == 400
    assert rebuild(user_data='aGk=', version='2.56') == 400   # 2.57
    assert rebuild(personality=[], version='2.57') == 400     # gone in 2.57
    assert rebuild(user_data='not base64!', version='2.57') == 400
    assert rebuild(trusted_image_certificates=['c'], version='2.63') == 400
    assert rebuild(hostname='h', version='2.89') == 400       # 2.90
    assert rebuild(token='bob:p2') == 404
    assert rebuild(token='alice:p1', **{}) == 202
    # Rebuilding: a second rebuild is refused, in upstream's words.
    status, _h, body = cloud.action(sid, {'rebuild': {'imageRef': cloud.image_id}})
    assert status == 409
    assert "Cannot 'rebuild' instance %s while it is in task_state" % sid in \
        body['conflictingRequest']['message']
    cloud.wait(sid, 'ACTIVE')
    # An image that needs more memory than the flavor has.
    big = _upload_image(cloud.nova, 'big', min_ram=4096)
    assert rebuild(imageRef=big) == 400
    # A reader may not rebuild.
    status, _h, _b = cloud.request('POST', '/v2.1/servers/%s/action' % sid,
                                   {'rebuild': {'imageRef': cloud.image_id}},
                                   headers={'X-Roles': 'reader'}, token=USER)
    assert status == 403
    assert cloud.show(sid)['image']['id'] == cloud.image_id


# -- createImage and createBackup --------------------------------------------------------

def test_create_image_by_microversion(cloud):
    server = cloud.boot(name='web')
    status, headers, body = cloud.action(server['id'], {'createImage': {
        'name': 'snap-1', 'metadata': {'purpose': 'test'}}})
    assert status == 202 and body is None
    image_id = headers['Location'].rsplit('/', 1)[-1]
    assert headers['Location'].endswith('/v2.1/p1/images/%s' % image_id)
    image = cloud.wait_image(image_id)
    assert image['name'] == 'snap-1'
    assert image['owner'] == 'p1'
    assert image['instance_uuid'] == server['id']
    assert image['image_type'] == 'snapshot'
    assert image['base_image_ref'] == cloud.image_id
    assert image['purpose'] == 'test'
    assert image['user_id'] == 'alice'
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (cloud.nova.url, image_id))
    req.add_header('X-Auth-Token', USER)
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert server['id'].encode() in resp.read()
    cloud.wait(server['id'], 'ACTIVE')
    status, headers, body = cloud.action(server['id'], {'createImage': {'name': 's2'}},
                                         version='2.45')
    _validate(schema_v245.create_backup, status, body)
    assert 'Location' not in headers
    cloud.wait_image(body['image_id'])
    cloud.wait(server['id'], 'ACTIVE')
    assert [name for name, _e in cloud.actions(server['id'])] == [
        'create', 'createImage', 'createImage']
    assert cloud.actions(server['id'])[-1][1] == [('compute_snapshot_instance', 'Success')]
    assert image['visibility'] == 'private'
    assert {'compute.instance.snapshot.start', 'compute.instance.snapshot.end'} <= set(
        _events())
    # An admin's snapshot of alice's server is shared with alice's project.
    status, _h, body = cloud.action(server['id'], {'createImage': {'name': 'by-admin'}},
                                    version='2.45', token='admin:admin')
    assert status == 202, body
    cloud.wait(server['id'], 'ACTIVE')
    status, _h, image = cloud.image(body['image_id'], token=USER)
    assert status == 200, image
    assert image['visibility'] == 'shared' and image['instance_owner'] == 'p1'
    assert image['owner'] == 'admin'
    assert cloud.action(server['id'], {'createImage': {}})[0] == 400
    assert cloud.action(server['id'], {'createImage': {'name': 'x', 'bad': 1}})[0] == 400


def test_create_backup_rotates(cloud):
    server = cloud.boot(name='db')
    ids = []
    for index in range(3):
        status, headers, body = cloud.action(server['id'], {'createBackup': {
            'name': 'backup-%d' % index, 'backup_type': 'daily', 'rotation': 2}},
            version='2.45' if index else None)
        assert status == 202, body
        image_id = body['image_id'] if index else headers['Location'].rsplit('/', 1)[-1]
        ids.append(image_id)
        cloud.wait(server['id'], 'ACTIVE')
    cloud.wait_image_gone(ids[0])   # rotated out
    for image_id in ids[1:]:
        image = cloud.wait_image(image_id)
        assert image['image_type'] == 'backup' and image['backup_type'] == 'daily'
    assert cloud.actions(server['id'])[-1] == ('createBackup', [
        ('compute_backup_instance', 'Success')])
    assert cloud.action(server['id'], {'createBackup': {
        'name': 'b', 'backup_type': 'daily'}})[0] == 400   # rotation is required
    assert cloud.action(server['id'], {'createBackup': {
        'name': 'b', 'backup_type': 'daily', 'rotation': -1}})[0] == 400


# -- shelve, shelveOffload, unshelve --------------------------------------------------------

def _sysmeta(server_id):
    return objects.Instance.get_by_uuid(nova_context.get_admin_context(),
                                        server_id).system_metadata


def test_shelve_and_unshelve_on_the_same_host(cloud):
    server = cloud.boot(name='robot')
    sid = server['id']
    assert cloud.action(sid, {'shelveOffload': None}, token='admin:admin')[0] == 409
    status, _h, body = cloud.action(sid, {'shelve': {}})
    assert status == 202, body
    shelved = cloud.wait(sid, 'SHELVED')
    assert shelved['OS-EXT-STS:power_state'] == 4
    assert shelved['OS-EXT-SRV-ATTR:host'] == 'edge1'
    image_id = _sysmeta(sid)['shelved_image_id']
    image = cloud.wait_image(image_id)
    assert image['name'] == 'robot-shelved'
    assert image['image_type'] == 'snapshot'
    # Shelved: no second shelve, no snapshot, no rebuild.
    assert cloud.action(sid, {'shelve': None})[0] == 409
    status, _h, body = cloud.action(sid, {'createImage': {'name': 'x'}})
    assert status == 409
    assert "Cannot 'createImage' instance %s while it is in vm_state shelved" % sid in \
        body['conflictingRequest']['message']
    assert cloud.action(sid, {'rebuild': {'imageRef': cloud.image_id}})[0] == 409
    # A zone is for offloaded servers only.
    assert cloud.action(sid, {'unshelve': {'availability_zone': 'nova'}},
                        version='2.77')[0] == 409
    assert cloud.action(sid, {'unshelve': None})[0] == 202
    active = cloud.wait(sid, 'ACTIVE')
    assert active['OS-EXT-STS:power_state'] == 1
    cloud.wait_image_gone(image_id)    # the shelved image is deleted after unshelve
    assert 'shelved_image_id' not in _sysmeta(sid)
    assert [a for a in cloud.actions(sid)][1:] == [
        ('shelve', [('compute_shelve_instance', 'Success')]),
        ('unshelve', [('compute_unshelve_instance', 'Success')])]
    assert {'compute.instance.shelve.start', 'compute.instance.shelve.end',
            'compute.instance.unshelve.start', 'compute.instance.unshelve.end'} <= set(
        _events())


def test_offload_frees_the_host_and_unshelve_schedules(cloud):
    server = cloud.boot()
    sid = server['id']
    assert cloud.usage() == 1
    assert cloud.action(sid, {'shelve': None})[0] == 202
    cloud.wait(sid, 'SHELVED')
    assert cloud.action(sid, {'shelveOffload': None})[0] == 403   # admins only
    assert cloud.action(sid, {'shelveOffload': None}, token='admin:admin')[0] == 202
    offloaded = cloud.wait(sid, 'SHELVED_OFFLOADED')
    assert offloaded['OS-EXT-SRV-ATTR:host'] is None
    assert offloaded['OS-EXT-SRV-ATTR:hypervisor_hostname'] is None
    cloud.eventually(cloud.usage, 0)
    cloud.eventually(lambda: cloud.actions(sid)[-1], ('shelveOffload', [
        ('compute_shelve_offload_instance', 'Success')]))
    # 2.77: a zone that does not exist is a 400; an existing one places it there.
    assert cloud.action(sid, {'unshelve': {'availability_zone': 'moon'}},
                        version='2.77')[0] == 400
    assert cloud.action(sid, {'unshelve': {'availability_zone': None}},
                        version='2.77')[0] == 400   # null only from 2.91
    assert cloud.action(sid, {'unshelve': {'availability_zone': 'nova'}},
                        version='2.77')[0] == 202
    active = cloud.wait(sid, 'ACTIVE')
    assert active['OS-EXT-SRV-ATTR:host'] == 'edge1'
    assert active['OS-EXT-AZ:availability_zone'] == 'nova'
    cloud.eventually(cloud.usage, 1)
    assert cloud.actions(sid)[-1] == ('unshelve', [
        ('compute_unshelve_instance', 'Success'),
        ('conductor_unshelve_instance', 'Success')])
    assert {'compute.instance.shelve_offload.start',
            'compute.instance.shelve_offload.end'} <= set(_events())


def test_unshelve_to_a_host_by_microversion(cloud):
    cloud.nova.add_compute('edge2')
    deadline = time.time() + 30
    while len(cloud.request('GET', '/v2.1/os-hypervisors')[2]['hypervisors']) < 2:
        assert time.time() < deadline
        time.sleep(0.2)
    server = cloud.boot()
    sid = server['id']
    cloud.action(sid, {'shelve': None})
    cloud.wait(sid, 'SHELVED')
    cloud.action(sid, {'shelveOffload': None}, token='admin:admin')
    cloud.wait(sid, 'SHELVED_OFFLOADED')
    assert cloud.action(sid, {'unshelve': {'host': 'edge2'}}, version='2.90')[0] == 400
    assert cloud.action(sid, {'unshelve': {'host': 'edge2'}}, version='2.91')[0] == 403
    assert cloud.action(sid, {'unshelve': {'host': 'nowhere'}}, version='2.91',
                        token='admin:admin')[0] == 400
    assert cloud.action(sid, {'unshelve': {'host': 'edge2', 'availability_zone': 'other'}},
                        version='2.91', token='admin:admin')[0] == 400
    status, _h, body = cloud.action(sid, {'unshelve': {
        'host': 'edge2', 'availability_zone': None}}, version='2.91', token='admin:admin')
    assert status == 202, body
    assert cloud.wait(sid, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == 'edge2'


def test_shelve_offloads_at_once_with_offload_time_zero(conf, tmp_path):
    with _start(conf, tmp_path, shelved_offload_time=0) as nova:
        cloud = Cloud(nova)
        server = cloud.boot()
        assert cloud.action(server['id'], {'shelve': None})[0] == 202
        offloaded = cloud.wait(server['id'], 'SHELVED_OFFLOADED')
        assert offloaded['OS-EXT-SRV-ATTR:host'] is None
        image_id = _sysmeta(server['id'])['shelved_image_id']
        cloud.wait_image(image_id)
        assert cloud.action(server['id'], {'unshelve': None})[0] == 202
        cloud.wait(server['id'], 'ACTIVE')
        # Deleting a shelved server deletes its shelved image too.
        second = cloud.boot('second')
        cloud.action(second['id'], {'shelve': None})
        cloud.wait(second['id'], 'SHELVED_OFFLOADED')
        image_id = _sysmeta(second['id'])['shelved_image_id']
        assert cloud.image(image_id)[0] == 200
        assert cloud.request('DELETE', '/v2.1/servers/%s' % second['id'])[0] == 204
        cloud.wait_image_gone(image_id)


def test_shelved_server_is_offloaded_after_offload_time(conf, tmp_path):
    with _start(conf, tmp_path, shelved_offload_time=1, shelved_poll_interval=1) as nova:
        cloud = Cloud(nova)
        server = cloud.boot()
        assert cloud.action(server['id'], {'shelve': None})[0] == 202
        cloud.wait(server['id'], 'SHELVED')
        offloaded = cloud.wait(server['id'], 'SHELVED_OFFLOADED', timeout=15)
        assert offloaded['OS-EXT-SRV-ATTR:host'] is None


def test_unshelve_of_a_server_without_request_spec(cloud):
    """A server recorded without the API (no request spec) is still placed on unshelve."""
    admin = nova_context.get_admin_context()
    flavor = objects.Flavor.get_by_flavor_id(admin, '1')
    instance = objects.Instance(
        context=admin, project_id='p1', user_id='alice', vm_state='shelved_offloaded',
        task_state=None, power_state=0, display_name='legacy', host=None, node=None,
        image_ref=cloud.image_id, flavor=flavor, instance_type_id=flavor.id, vcpus=1,
        memory_mb=64, root_gb=1, ephemeral_gb=0, hostname='legacy', locked=False,
        system_metadata={}, metadata={}, launched_at=timeutils.utcnow())
    instance.create()
    assert cloud.action(instance.uuid, {'unshelve': None})[0] == 202
    assert cloud.wait(instance.uuid, 'ACTIVE')['OS-EXT-SRV-ATTR:host'] == 'edge1'


def test_rebuild_of_a_server_that_never_got_a_host(cloud):
    admin = nova_context.get_admin_context()
    flavor = objects.Flavor.get_by_flavor_id(admin, '1')
    instance = objects.Instance(
        context=admin, project_id='p1', user_id='alice', vm_state='error', task_state=None,
        power_state=0, display_name='failed', host=None, node=None,
        image_ref=cloud.image_id, flavor=flavor, instance_type_id=flavor.id, vcpus=1,
        memory_mb=64, root_gb=1, ephemeral_gb=0, hostname='failed', locked=False,
        system_metadata={}, metadata={})
    instance.create()
    status, _h, body = cloud.action(instance.uuid, {'rebuild': {'imageRef': cloud.image_id}})
    assert status == 409, body
    # As upstream: an instance that never launched cannot be rebuilt.
    assert body['conflictingRequest']['message'] == (
        "Cannot 'rebuild' instance %s while it is in launched_at None" % instance.uuid)
    assert cloud.show(instance.uuid)['OS-EXT-STS:task_state'] is None
