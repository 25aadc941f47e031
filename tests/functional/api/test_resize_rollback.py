"""A driver that refuses a resize before changing anything (upstream's
InstanceFaultRollback, e.g. the libvirt driver asked to shrink a disk): the server stays
ACTIVE with its flavor and host, the migration is 'error' and the action's event failed,
instead of the server going to ERROR."""

from nova import exception
from nova.virt import fake
from tests.functional.api.test_server_moves import SMALL
from tests.functional.api.test_server_moves import _action
from tests.functional.api.test_server_moves import _boot
from tests.functional.api.test_server_moves import _migrations
from tests.functional.api.test_server_moves import _wait_settled
from tests.functional.api.test_server_moves import _wait_usage
from tests.functional.api.test_server_moves import _zero
from tests.functional.api.test_server_moves import two_hosts  # noqa: F401 (fixture)


def test_a_refused_resize_rolls_back(two_hosts, monkeypatch):  # noqa: F811
    nova, image_id = two_hosts

    def refuse(self, context, instance, dest, flavor, **kwargs):
        raise exception.InstanceFaultRollback(exception.ResizeError(
            reason='Unable to resize disk down.'))
    monkeypatch.setattr(fake.FakeDriver, 'migrate_disk_and_power_off', refuse)
    server = _boot(nova, image_id)
    sid, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    other = ({'edge1', 'edge2'} - {source}).pop()
    status, _h, body = _action(nova, sid, {'resize': {'flavorRef': '2'}})
    assert status == 202, body
    server = _wait_settled(nova, sid, ('ACTIVE', 'ERROR'))
    assert server['status'] == 'ACTIVE', server
    assert server['flavor']['id'] == '1' and server['OS-EXT-SRV-ATTR:host'] == source
    assert _migrations(nova)[0]['status'] == 'error'
    status, _h, body = nova.request('GET', '/v2.1/servers/%s/os-instance-actions' % sid)
    request_id = [a for a in body['instanceActions'] if a['action'] == 'resize'][0][
        'request_id']
    status, _h, body = nova.request('GET', '/v2.1/servers/%s/os-instance-actions/%s'
                                    % (sid, request_id))
    events = {e['event']: e['result'] for e in body['instanceAction']['events']}
    assert events['compute_resize_instance'] == 'Error', events
    _wait_usage(nova, {source: SMALL, other: _zero()})
