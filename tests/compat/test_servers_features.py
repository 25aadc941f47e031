"""tempest.lib's ServersClient against nova-all beyond the lifecycle: list filters, sorting
and paging (limit/marker and the next link), server tags, instance actions and diagnostics,
at the microversions clients use. The client validates every response against tempest's
schema for its microversion."""

import json
import time
import urllib.parse
import urllib.request

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.api_schema.response.compute.v2_26 import servers as schema_v226  # noqa: E402,E501
from tempest.lib.services.compute import base_compute_client  # noqa: E402
from tempest.lib.services.compute import servers_client  # noqa: E402

from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402

VERSIONS = ['2.1', '2.47', '2.79', '2.96', '2.104']
NAMES = ('compat-f-a', 'compat-f-b', 'compat-f-c')


def _request(url, body=None, method='POST', version=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/json')
    if version:
        req.add_header('OpenStack-API-Version', 'compute %s' % version)
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
        return json.loads(raw) if raw else None


@pytest.fixture(scope='module')
def fleet(nova_all):
    """Three ACTIVE servers, booted once for the module: (flavor id, image id, {name: id},
    reservation id of the last)."""
    flavor = _request(nova_all.compute_url + '/flavors', {'flavor': {
        'name': 'compat.features', 'ram': 64, 'disk': 1, 'vcpus': 1}})['flavor']
    image = _request(nova_all.url + '/image/v2/images', {
        'name': 'compat-features', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    req = urllib.request.Request('%s/image/v2/images/%s/file' % (nova_all.url, image['id']),
                                 data=b'\0' * 512, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    urllib.request.urlopen(req, timeout=30).read()
    ids = {}
    for name in NAMES:
        body = _request(nova_all.compute_url + '/servers', {'server': {
            'name': name, 'imageRef': image['id'], 'flavorRef': flavor['id'],
            'networks': 'none', 'tags': ['compat', name[-1]]}}, version='2.52')
        ids[name] = body['server']['id']
    deadline = time.monotonic() + 60
    for server_id in ids.values():
        while True:
            server = _request('%s/servers/%s' % (nova_all.compute_url, server_id),
                              method='GET')['server']
            if server['status'] == 'ACTIVE':
                break
            assert server['status'] != 'ERROR', server
            assert time.monotonic() < deadline, server
            time.sleep(0.2)
    yield flavor['id'], image['id'], ids
    for server_id in ids.values():
        _request('%s/servers/%s' % (nova_all.compute_url, server_id), method='DELETE')


@pytest.fixture(params=VERSIONS)
def client(request, nova_all):
    saved = base_compute_client.COMPUTE_MICROVERSION
    base_compute_client.COMPUTE_MICROVERSION = request.param
    yield servers_client.ServersClient(NoAuth2Provider(nova_all.compute_url), 'compute',
                                       'RegionOne')
    base_compute_client.COMPUTE_MICROVERSION = saved


def _version(client):
    return tuple(int(part) for part in base_compute_client.COMPUTE_MICROVERSION.split('.'))


def _names(body):
    return [server['name'] for server in body['servers']]


def test_list_filters(client, fleet):
    flavor_id, image_id, ids = fleet
    mine = {'name': '^compat-f-'}
    for detail in (False, True):
        listed = client.list_servers(detail=detail, sort_key='display_name', sort_dir='asc',
                                     **mine)
        assert _names(listed) == list(NAMES)
    assert _names(client.list_servers(name='-b$')) == ['compat-f-b']
    assert len(client.list_servers(detail=True, status='ACTIVE', **mine)['servers']) == 3
    assert client.list_servers(status='SHUTOFF', **mine)['servers'] == []
    assert len(client.list_servers(flavor=flavor_id, image=image_id)['servers']) == 3
    assert client.list_servers(flavor='no-such-flavor', **mine)['servers'] == []
    everyone = client.list_servers(detail=True, all_tenants=1, host='edge1', **mine)
    assert {server['id'] for server in everyone['servers']} == set(ids.values())
    past = '2000-01-01T00:00:00Z'
    assert len(client.list_servers(**{'changes-since': past}, **mine)['servers']) == 3
    if _version(client) >= (2, 26):
        assert _names(client.list_servers(tags='compat,a', **mine)) == ['compat-f-a']
        assert sorted(_names(client.list_servers(**{'not-tags-any': 'a,b'}, **mine))) == \
            ['compat-f-c']
    if _version(client) >= (2, 73):
        assert len(client.list_servers(locked='false', **mine)['servers']) == 3
    if _version(client) >= (2, 83):
        assert _names(client.list_servers(vm_state='active', power_state=1,
                                          sort_key='display_name', sort_dir='desc',
                                          **mine)) == list(reversed(NAMES))
    with pytest.raises(lib_exc.BadRequest):
        client.list_servers(name='(')
    if _version(client) >= (2, 75):
        with pytest.raises(lib_exc.BadRequest):
            client.list_servers(bogus='1')


def test_paging_follows_the_next_link(client, fleet):
    _flavor_id, _image_id, ids = fleet
    query = {'name': '^compat-f-', 'sort_key': 'display_name', 'sort_dir': 'asc',
             'limit': 2}
    first = client.list_servers(detail=True, **query)
    assert _names(first) == list(NAMES[:2])
    link = first['servers_links'][0]
    assert link['rel'] == 'next'
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(link['href']).query))
    assert params['marker'] == ids[NAMES[1]] and params['name'] == '^compat-f-'
    second = client.list_servers(detail=True, **params)
    assert _names(second) == [NAMES[2]]
    assert 'servers_links' not in second
    third = client.list_servers(marker=ids[NAMES[2]], **dict(query, limit=5))
    assert third['servers'] == []
    with pytest.raises(lib_exc.BadRequest):
        client.list_servers(marker='00000000-0000-0000-0000-000000000000')


class _Tags:
    """The tag calls of ServersClient. tempest.lib's 2.100 schema module defines no tag
    schemas (the tag API has not changed since 2.26), so from 2.100 the same calls are made
    through the client's REST methods and checked against the 2.26 schemas."""

    def __init__(self, client):
        self.client = client
        self.native = hasattr(client.get_schema(client.schema_versions_info), 'list_tags')

    def _call(self, name, method, path, body=None):
        if self.native:
            return None
        url = 'servers/%s' % path
        if method == 'PUT':
            resp, raw = self.client.put(url, json.dumps(body) if body is not None else '')
        else:
            resp, raw = getattr(self.client, method.lower())(url)
        parsed = json.loads(raw) if raw else None
        self.client.validate_response(getattr(schema_v226, name), resp, parsed)
        return parsed

    def list(self, server_id):
        if self.native:
            return self.client.list_tags(server_id)['tags']
        return self._call('list_tags', 'GET', '%s/tags' % server_id)['tags']

    def replace(self, server_id, tags):
        if self.native:
            return self.client.update_all_tags(server_id, tags)['tags']
        return self._call('update_all_tags', 'PUT', '%s/tags' % server_id,
                          {'tags': tags})['tags']

    def add(self, server_id, tag):
        if self.native:
            return self.client.update_tag(server_id, tag)
        return self._call('update_tag', 'PUT', '%s/tags/%s' % (server_id, tag))

    def check(self, server_id, tag):
        if self.native:
            return self.client.check_tag_existence(server_id, tag)
        return self._call('check_tag_existence', 'GET', '%s/tags/%s' % (server_id, tag))

    def delete(self, server_id, tag):
        if self.native:
            return self.client.delete_tag(server_id, tag)
        return self._call('delete_tag', 'DELETE', '%s/tags/%s' % (server_id, tag))

    def delete_all(self, server_id):
        if self.native:
            return self.client.delete_all_tags(server_id)
        return self._call('delete_all_tags', 'DELETE', '%s/tags' % server_id)


def test_tags(client, fleet):
    if _version(client) < (2, 26):
        pytest.skip('server tags arrive in 2.26')
    tags = _Tags(client)
    server_id = fleet[2][NAMES[0]]
    assert tags.list(server_id) == ['a', 'compat']
    try:
        assert tags.replace(server_id, ['x', 'y']) == ['x', 'y']
        tags.add(server_id, 'z')
        tags.check(server_id, 'z')
        tags.delete(server_id, 'x')
        with pytest.raises(lib_exc.NotFound):
            tags.check(server_id, 'x')
        assert tags.list(server_id) == ['y', 'z']
        tags.delete_all(server_id)
        assert tags.list(server_id) == []
    finally:
        tags.replace(server_id, ['compat', 'a'])


def test_instance_actions(client, fleet):
    server_id = fleet[2][NAMES[1]]
    actions = client.list_instance_actions(server_id)['instanceActions']
    assert [action['action'] for action in actions] == ['create']
    action = client.show_instance_action(server_id, actions[0]['request_id'])
    action = action['instanceAction']
    assert action['instance_uuid'] == server_id and action['action'] == 'create'
    if _version(client) >= (2, 51):
        assert 'compute__do_build_and_run_instance' in \
            [event['event'] for event in action['events']]
    with pytest.raises(lib_exc.NotFound):
        client.show_instance_action(server_id, 'req-none')


def test_diagnostics(client, fleet):
    server_id = fleet[2][NAMES[2]]
    body = client.show_server_diagnostics(server_id)
    if _version(client) < (2, 48):
        assert body['memory'] == 64 * 1024 and body['cpu0_time'] == 0
    else:
        assert body['state'] == 'running' and body['num_cpus'] == 1
        assert body['memory_details']['maximum'] == 64 and body['num_disks'] == 1
    with pytest.raises(lib_exc.NotFound):
        client.show_server_diagnostics('00000000-0000-0000-0000-000000000000')
