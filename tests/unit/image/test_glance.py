"""The Glance v2 HTTP image backend against a small local HTTP server that records what it
is sent and answers what each test tells it (the real image API: tests/functional/image)."""

import datetime
import hashlib
import http.server
import json
import os
import socket
import threading
from urllib import parse

import pytest

from nova import context as nova_context
from nova import exception
from nova.image import api as image_api
from nova.image import glance

IMAGE_ID = '8d3e2f1a-5b6c-4d7e-9f80-1a2b3c4d5e6f'
DATA = b'image bytes ' * 100
REQUEST_ID = 'req-2f1c3c8e-8d47-4c1f-9a65-0d7a4a1c9b11'


def _glance_image(**values):
    body = {'id': IMAGE_ID, 'name': 'cirros', 'status': 'active', 'visibility': 'shared',
            'owner': 'p1', 'protected': False, 'os_hidden': False, 'size': len(DATA),
            'virtual_size': None, 'checksum': hashlib.md5(DATA).hexdigest(),
            'os_hash_algo': 'sha512', 'os_hash_value': hashlib.sha512(DATA).hexdigest(),
            'disk_format': 'raw', 'container_format': 'bare', 'min_disk': 1, 'min_ram': 64,
            'created_at': '2025-01-02T03:04:05Z', 'updated_at': '2025-01-02T03:04:06Z',
            'tags': ['b', 'a'], 'self': '/v2/images/%s' % IMAGE_ID,
            'file': '/v2/images/%s/file' % IMAGE_ID, 'schema': '/v2/schemas/image',
            'locations': [], 'hw_disk_bus': 'virtio', 'kernel_id': None}
    body.update(values)
    return body


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _serve(self):
        server = self.server
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        url = parse.urlsplit(self.path)
        server.requests.append({'method': self.command, 'path': url.path,
                                'query': parse.parse_qsl(url.query),
                                'headers': dict(self.headers), 'body': body})
        answer = server.answers.get((self.command, url.path), (404, {}, b'{}'))
        status, headers, payload = answer
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload).encode()
            headers = dict({'Content-Type': 'application/json'}, **headers)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if 'Content-Length' not in headers:
            self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        if 'Content-Length' in headers:  # a lie about the length: cut the connection
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    httpd.requests, httpd.answers = [], {}
    httpd.url = 'http://127.0.0.1:%d/image' % httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={'poll_interval': 0.05},
                              daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def ctx():
    return nova_context.RequestContext(user_id='alan', project_id='p2', auth_token='alan:p2',
                                       request_id=REQUEST_ID)


@pytest.fixture
def backend(server, conf, monkeypatch):
    monkeypatch.setattr(glance.random, 'shuffle', lambda servers: None)
    conf.set_override('api_servers', [server.url + '/'], group='glance')
    return glance.GlanceImageBackend()


def _dead_url():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return 'http://127.0.0.1:%d' % sock.getsockname()[1]


def test_get_sends_token_and_request_id_and_converts(server, backend, ctx):
    server.answers[('GET', '/image/v2/images/%s' % IMAGE_ID)] = (200, {}, _glance_image())
    image = backend.get(ctx, IMAGE_ID)
    sent = server.requests[0]
    assert sent['headers']['X-Auth-Token'] == 'alan:p2'
    assert sent['headers']['X-OpenStack-Request-ID'] == REQUEST_ID
    assert image['created_at'] == datetime.datetime(2025, 1, 2, 3, 4, 5)
    assert image['tags'] == ['a', 'b']
    assert image['properties'] == {'hw_disk_bus': 'virtio', 'kernel_id': None}
    assert (image['size'], image['min_ram'], image['os_hash_algo']) == (len(DATA), 64,
                                                                        'sha512')
    assert set(image) == set(image_api.CORE_ATTRIBUTES) | {'tags', 'properties'}


def test_global_request_id_is_preferred(server, backend, ctx):
    ctx.global_request_id = 'req-00000000-0000-0000-0000-000000000001'
    server.answers[('GET', '/image/v2/images/%s' % IMAGE_ID)] = (200, {}, _glance_image())
    backend.get(ctx, IMAGE_ID)
    assert server.requests[0]['headers']['X-OpenStack-Request-ID'] == ctx.global_request_id


def test_list_query(server, backend, ctx):
    server.answers[('GET', '/image/v2/images')] = (200, {}, {'images': [_glance_image()]})
    since = datetime.datetime(2025, 1, 1)
    images = backend.list(ctx, filters={
        'name': ['a'], 'status': ['active', 'queued'], 'visibility': 'shared',
        'member_status': 'all', 'tags': ['x', 'y'], 'protected': False,
        'properties': {'os_distro': 'debian'}, 'updated_since': since},
        sort_keys=['name', 'id'], sort_dirs=['asc', 'desc'], limit=5, marker=IMAGE_ID)
    assert [i['id'] for i in images] == [IMAGE_ID]
    assert server.requests[0]['query'] == [
        ('name', 'a'), ('status', 'in:active,queued'), ('visibility', 'shared'),
        ('member_status', 'all'), ('protected', 'false'),
        ('updated_at', 'gte:2025-01-01T00:00:00Z'), ('tag', 'x'), ('tag', 'y'),
        ('os_distro', 'debian'), ('sort', 'name:asc,id:desc'), ('limit', '5'),
        ('marker', IMAGE_ID)]
    with pytest.raises(exception.Invalid, match='min_ram'):
        backend.list(ctx, filters={'min_ram': 128})
    assert len(server.requests) == 1


def test_errors_become_nova_exceptions(server, backend, ctx):
    path = '/image/v2/images/%s' % IMAGE_ID
    server.answers[('GET', path)] = (404, {}, {
        'code': '404 Not Found', 'title': 'Not Found',
        'message': 'Image %s could not be found.<br /><br />\n\n\n' % IMAGE_ID})
    with pytest.raises(exception.ImageNotFound) as err:
        backend.get(ctx, IMAGE_ID)
    assert str(err.value) == 'Image %s could not be found.' % IMAGE_ID
    server.answers[('DELETE', path)] = (403, {'Content-Type': 'text/plain'}, b'403 Forbidden')
    with pytest.raises(exception.ImageNotAuthorized, match='403 Forbidden'):
        backend.delete(ctx, IMAGE_ID)
    server.answers[('POST', path + '/members')] = (409, {}, {'message': 'dup'})
    with pytest.raises(exception.ImageMemberExists, match='dup'):
        backend.add_member(ctx, IMAGE_ID, 'p3')
    server.answers[('GET', path)] = (500, {}, {'message': 'boom'})
    with pytest.raises(exception.ImageServiceUnavailable, match='HTTP 500: boom'):
        backend.get(ctx, IMAGE_ID)


def test_reads_move_on_to_the_next_server_writes_do_not(server, conf, ctx, monkeypatch):
    monkeypatch.setattr(glance.random, 'shuffle', lambda servers: None)
    backend = glance.GlanceImageBackend(api_servers=[_dead_url(), server.url])
    server.answers[('GET', '/image/v2/images/%s' % IMAGE_ID)] = (200, {}, _glance_image())
    server.answers[('POST', '/image/v2/images')] = (201, {}, _glance_image())
    assert backend.get(ctx, IMAGE_ID)['id'] == IMAGE_ID
    with pytest.raises(exception.ImageServiceUnavailable):
        backend.create(ctx, {'name': 'x'})
    assert [r['method'] for r in server.requests] == ['GET']
    conf.set_override('num_retries', 0, group='glance')
    with pytest.raises(exception.ImageServiceUnavailable):
        backend.get(ctx, IMAGE_ID)


def test_update_sends_a_json_patch(server, backend, ctx):
    path = '/image/v2/images/%s' % IMAGE_ID
    server.answers[('GET', path)] = (200, {}, _glance_image())
    server.answers[('PATCH', path)] = (200, {}, _glance_image(name='renamed'))
    image = backend.update(ctx, IMAGE_ID, values={'name': 'renamed'},
                           properties={'kernel_id': 'k', 'a/b': 'c'}, tags=['t'])
    assert image['name'] == 'renamed'
    patch = server.requests[-1]
    assert patch['headers']['Content-Type'] == glance.PATCH_TYPE
    assert json.loads(patch['body']) == [
        {'op': 'replace', 'path': '/name', 'value': 'renamed'},
        {'op': 'remove', 'path': '/hw_disk_bus'},
        {'op': 'add', 'path': '/a~1b', 'value': 'c'},
        {'op': 'replace', 'path': '/kernel_id', 'value': 'k'},
        {'op': 'replace', 'path': '/tags', 'value': ['t']}]


def test_members(server, backend, ctx):
    path = '/image/v2/images/%s/members' % IMAGE_ID
    member = {'member_id': 'p2', 'image_id': IMAGE_ID, 'status': 'pending',
              'created_at': '2025-01-02T03:04:05Z', 'updated_at': '2025-01-02T03:04:05Z',
              'schema': '/v2/schemas/member'}
    server.answers[('GET', path)] = (200, {}, {'members': [member]})
    server.answers[('POST', path)] = (200, {}, member)
    server.answers[('PUT', path + '/p2')] = (200, {}, dict(member, status='accepted'))
    server.answers[('DELETE', path + '/p2')] = (204, {}, b'')
    assert backend.list_members(ctx, IMAGE_ID)[0]['member_id'] == 'p2'
    assert backend.add_member(ctx, IMAGE_ID, 'p2')['status'] == 'pending'
    assert backend.update_member(ctx, IMAGE_ID, 'p2', 'accepted')['status'] == 'accepted'
    backend.delete_member(ctx, IMAGE_ID, 'p2')
    assert json.loads(server.requests[1]['body']) == {'member': 'p2'}
    assert json.loads(server.requests[2]['body']) == {'status': 'accepted'}
    with pytest.raises(exception.ImageMemberNotFound):
        backend.get_member(ctx, IMAGE_ID, 'p9')


def test_download_to_a_file(server, backend, ctx, tmp_path):
    path = '/image/v2/images/%s' % IMAGE_ID
    server.answers[('GET', path)] = (200, {}, _glance_image())
    server.answers[('GET', path + '/file')] = (200, {}, DATA)
    dst = tmp_path / 'disk'
    api = image_api.API(backend=backend)
    assert api.download(ctx, IMAGE_ID, dst_path=str(dst))['id'] == IMAGE_ID
    assert dst.read_bytes() == DATA
    assert server.requests[-1]['headers']['X-Auth-Token'] == 'alan:p2'


def test_truncated_stream_fails_and_leaves_no_file(server, backend, ctx, tmp_path):
    path = '/image/v2/images/%s' % IMAGE_ID
    server.answers[('GET', path)] = (200, {}, _glance_image())
    # The server announces the whole size, sends part of it and hangs up.
    server.answers[('GET', path + '/file')] = (
        200, {'Content-Length': str(len(DATA))}, DATA[:100])
    with pytest.raises(exception.ImageDownloadFailed):
        image_api.API(backend=backend).download(ctx, IMAGE_ID, dst_path=str(tmp_path / 'd'))
    assert os.listdir(tmp_path) == []


def test_no_data_is_none_or_a_clear_error(server, backend, ctx, tmp_path):
    path = '/image/v2/images/%s' % IMAGE_ID
    server.answers[('GET', path)] = (200, {}, _glance_image(status='queued', size=None))
    server.answers[('GET', path + '/file')] = (204, {}, b'')
    assert backend.download(ctx, IMAGE_ID) is None
    with pytest.raises(exception.ImageDownloadFailed, match='no data'):
        image_api.API(backend=backend).download(ctx, IMAGE_ID, dst_path=str(tmp_path / 'd'))
    assert os.listdir(tmp_path) == []


def test_an_active_image_without_data_blames_the_image_api(server, backend, ctx, tmp_path):
    # Glance answers 204 when an active image's data is gone from its store: not a matter of
    # this host's configuration, as it is with the local store of another host.
    path = '/image/v2/images/%s' % IMAGE_ID
    server.answers[('GET', path)] = (200, {}, _glance_image())
    server.answers[('GET', path + '/file')] = (204, {}, b'')
    with pytest.raises(exception.ImageDownloadFailed,
                       match='the image API has no data for this active image'):
        image_api.API(backend=backend).download(ctx, IMAGE_ID, dst_path=str(tmp_path / 'd'))
    assert os.listdir(tmp_path) == []


# -- which backend a process uses ------------------------------------------------------------

def test_backend_choice(conf, monkeypatch):
    monkeypatch.setattr(image_api, '_serves_local_store', False)
    assert image_api.backend_name() == 'local'
    conf.set_override('api_servers', ['http://controller:8774/image'], group='glance')
    assert image_api.backend_name() == 'glance'  # a compute host
    assert isinstance(image_api.get_backend(), glance.GlanceImageBackend)
    monkeypatch.setattr(image_api, '_serves_local_store', True)
    assert image_api.backend_name() == 'local'  # nova-api, nova-all
    conf.set_override('backend', 'glance', group='image')
    assert image_api.backend_name() == 'glance'  # a site running Glance
    conf.clear_override('api_servers', group='glance')
    with pytest.raises(exception.Invalid, match='api_servers'):
        image_api.get_backend()


def test_tls_options_reach_the_session(server, conf, ctx):
    class RecordingSession(glance.requests.Session):
        def request(self, method, url, **kwargs):
            self.verify_seen = kwargs['verify']
            return super().request(method, url, **kwargs)

    server.answers[('GET', '/image/v2/images/%s' % IMAGE_ID)] = (200, {}, _glance_image())
    session = RecordingSession()
    backend = glance.GlanceImageBackend(api_servers=[server.url], session=session)
    backend.get(ctx, IMAGE_ID)
    assert session.verify_seen is True
    conf.set_override('cafile', '/etc/ssl/site-ca.pem', group='glance')
    backend.get(ctx, IMAGE_ID)
    assert session.verify_seen == '/etc/ssl/site-ca.pem'
    conf.set_override('insecure', True, group='glance')
    backend.get(ctx, IMAGE_ID)
    assert session.verify_seen is False
