"""The built-in Glance v2 compatible image API through the real WSGI app."""

import hashlib
import io
import os

from oslo_serialization import jsonutils
import webob

from tests.unit.api.client import call

V21_PATCH = 'application/openstack-images-v2.1-json-patch'
V20_PATCH = 'application/openstack-images-v2.0-json-patch'
USER = 'alice:p1'
OTHER = 'bob:p2'


def _create(app, token='admin:admin', **body):
    body.setdefault('name', 'cirros')
    resp = call(app, '/image/v2/images', 'POST', body=body, token=token)
    assert resp.status_int == 201, resp.body
    assert resp.headers['Location'] == 'http://localhost/image/v2/images/%s' % resp.json['id']
    return resp.json


def _patch(app, image_id, ops, content_type=V21_PATCH, token='admin:admin'):
    return call(app, '/image/v2/images/%s' % image_id, 'PATCH', body=ops, token=token,
                headers={'Content-Type': content_type})


def _upload(app, image_id, data, token='admin:admin', length=None, chunked=False):
    req = webob.Request.blank('/image/v2/images/%s/file' % image_id, method='PUT',
                              headers={'X-Auth-Token': token,
                                       'Content-Type': 'application/octet-stream'})
    req.environ['wsgi.input'] = io.BytesIO(data)
    if chunked:
        req.environ.pop('CONTENT_LENGTH', None)
        req.environ['HTTP_TRANSFER_ENCODING'] = 'chunked'
        req.environ['wsgi.input_terminated'] = True
    else:
        req.environ['CONTENT_LENGTH'] = str(len(data) if length is None else length)
    return req.get_response(app)


def _ids(app, query='', token='admin:admin'):
    resp = call(app, '/image/v2/images' + query, token=token)
    assert resp.status_int == 200, resp.body
    return [image['id'] for image in resp.json['images']]


def _snapshot(app):
    return call(app, '/image/v2/images?limit=1000').json['images']


def _store_files(conf):
    path = conf.image.local_store_path
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


# -- versions and schemas ------------------------------------------------------------------

def test_versions_document_at_root(app):
    for path in ('/image', '/image/'):
        resp = call(app, path, token=None)
        assert resp.status_int == 300
        current = [v for v in resp.json['versions'] if v['status'] == 'CURRENT']
        assert current[0]['links'][0]['href'] == 'http://localhost/image/v2/'


def test_schemas(app):
    image = call(app, '/image/v2/schemas/image').json
    assert image['name'] == 'image' and 'disk_format' in image['properties']
    assert image['additionalProperties'] == {'type': 'string'}
    images = call(app, '/image/v2/schemas/images').json
    assert images['name'] == 'images'


def test_unknown_path_and_method(app):
    assert call(app, '/image/v2/nothing').status_int == 404
    resp = call(app, '/image/v2/images', 'PUT', body={})
    assert resp.status_int == 405 and 'GET' in resp.headers['Allow']


# -- create, show, list --------------------------------------------------------------------

def test_create_and_show(app):
    image = _create(app, name='k', disk_format='qcow2', container_format='bare',
                    visibility='public', protected=False, tags=['a', 'b'], min_ram=64,
                    min_disk=1, kernel_id='5e1d3d4a-28b0-4b36-a24c-4d8c1e1a9c01',
                    os_command_line='console=ttyS0', hw_disk_bus='virtio',
                    id='0b61e4a8-8b6a-4f7f-9c51-1d7e4a0b1c22')
    assert image['id'] == '0b61e4a8-8b6a-4f7f-9c51-1d7e4a0b1c22'
    assert image['status'] == 'queued' and image['size'] is None
    assert image['os_command_line'] == 'console=ttyS0' and image['hw_disk_bus'] == 'virtio'
    assert image['tags'] == ['a', 'b'] and image['min_ram'] == 64
    assert image['self'] == '/v2/images/%s' % image['id']
    assert image['file'] == image['self'] + '/file'
    assert image['schema'] == '/v2/schemas/image'
    shown = call(app, '/image/v2/images/%s' % image['id']).json
    assert shown == image


def test_create_defaults(app):
    image = _create(app, token=USER)
    assert image['visibility'] == 'shared' and image['owner'] == 'p1'
    assert image['protected'] is False and image['min_disk'] == 0
    assert image['created_at'] == image['updated_at']


def test_bad_creates_change_nothing(app):
    existing = _create(app)
    before = _snapshot(app)
    bad = [
        ({'status': 'active'}, 403),
        ({'size': 5}, 403),
        ({'deleted': True}, 403),
        ({'disk_format': 'floppy'}, 400),
        ({'container_format': 'box'}, 400),
        ({'min_ram': -1}, 400),
        ({'min_disk': 'x'}, 400),
        ({'visibility': 'everyone'}, 400),
        ({'protected': 'yes'}, 400),
        ({'name': 'x' * 256}, 400),
        ({'tags': 'a'}, 400),
        ({'hw_cpu_cores': 4}, 400),
        ({'id': 'not-a-uuid'}, 400),
        ({'id': existing['id']}, 409),
        ({'owner': 'p9'}, 403),
        ({'visibility': 'public'}, 403),
    ]
    for body, code in bad:
        resp = call(app, '/image/v2/images', 'POST', body=body,
                    token=USER if code == 403 and 'owner' in body or
                    body.get('visibility') == 'public' else 'admin:admin')
        assert resp.status_int == code, (body, resp.body)
    resp = call(app, '/image/v2/images', 'POST', body=b'{not json')
    assert resp.status_int == 400
    resp = call(app, '/image/v2/images', 'POST', body=b'{}',
                headers={'Content-Type': 'text/plain'})
    assert resp.status_int == 415
    assert _snapshot(app) == before


def test_error_body_is_glance_shaped(app):
    resp = call(app, '/image/v2/images/missing', headers={'Accept': 'application/json'})
    assert resp.status_int == 404
    assert resp.json['code'] == '404 Not Found' and resp.json['title'] == 'Not Found'
    assert 'missing' in resp.json['message']


def test_list_filters(app):
    a = _create(app, name='a', disk_format='raw', container_format='bare', tags=['x', 'y'],
                hw_machine_type='q35', visibility='public')
    b = _create(app, name='b', tags=['x'], visibility='private')
    c = _create(app, name='c', visibility='community', token=USER)
    assert set(_ids(app)) == {a['id'], b['id'], c['id']}  # admins see everything
    assert _ids(app, '?name=a') == [a['id']]
    assert set(_ids(app, '?id=in:%s,%s' % (a['id'], c['id']))) == {a['id'], c['id']}
    assert set(_ids(app, '?tag=x')) == {a['id'], b['id']}
    assert _ids(app, '?tag=x&tag=y') == [a['id']]
    assert _ids(app, '?hw_machine_type=q35') == [a['id']]
    assert _ids(app, '?visibility=private') == [b['id']]
    assert _ids(app, '?owner=p1') == [c['id']]
    assert _ids(app, '?status=queued&disk_format=raw') == [a['id']]
    assert _ids(app, '?status=active') == []
    assert _ids(app, '?member_status=accepted&visibility=shared') == []
    # a user sees public and own images; community ones only when asked
    assert _ids(app, token=OTHER) == [a['id']]
    assert set(_ids(app, '?visibility=all', token=OTHER)) == {a['id'], c['id']}
    assert _ids(app, '?visibility=community', token=OTHER) == [c['id']]
    assert _ids(app, '?visibility=private', token=OTHER) == []
    assert set(_ids(app, token=USER)) == {a['id'], c['id']}


def test_list_sorting_and_paging(app):
    ids = {name: _create(app, name=name, min_ram=ram)['id']
           for name, ram in (('b', 1), ('a', 2), ('c', 2))}
    assert _ids(app, '?sort=name:asc') == [ids['a'], ids['b'], ids['c']]
    assert _ids(app, '?sort_key=name&sort_dir=desc') == [ids['c'], ids['b'], ids['a']]
    assert _ids(app, '?sort=min_ram:desc,name:asc') == [ids['a'], ids['c'], ids['b']]
    assert _ids(app, '?sort_key=min_ram&sort_key=name&sort_dir=asc&sort_dir=desc') == \
        [ids['b'], ids['c'], ids['a']]
    page = call(app, '/image/v2/images?sort=name:asc&limit=2').json
    assert [i['name'] for i in page['images']] == ['a', 'b']
    assert page['first'] == '/v2/images?sort=name%3Aasc&limit=2'
    assert page['schema'] == '/v2/schemas/images'
    assert page['next'] == '/v2/images?sort=name%3Aasc&limit=2&marker=' + ids['b']
    rest = call(app, '/image' + page['next']).json
    assert [i['name'] for i in rest['images']] == ['c'] and 'next' not in rest


def test_bad_list_parameters(app):
    _create(app)
    for query in ('?limit=-1', '?limit=x', '?sort_key=bogus', '?sort_dir=up',
                  '?sort=name:sideways', '?sort=name&sort_key=id', '?visibility=galaxy',
                  '?member_status=maybe', '?marker=00000000-0000-0000-0000-000000000000',
                  '?protected=perhaps', '?sort_key=name&sort_key=id&sort_dir=asc&sort_dir=asc'
                  '&sort_dir=desc'):
        resp = call(app, '/image/v2/images' + query)
        assert resp.status_int == 400, (query, resp.body)


# -- patch ---------------------------------------------------------------------------------

def test_patch_properties_and_tags(app):
    image = _create(app, kernel_id='k1', tags=['old'])
    resp = _patch(app, image['id'], [
        {'op': 'replace', 'path': '/name', 'value': 'renamed'},
        {'op': 'add', 'path': '/hw_qemu_guest_agent', 'value': 'yes'},
        {'op': 'add', 'path': '/kernel_id', 'value': 'k2'},
        {'op': 'remove', 'path': '/kernel_id'},
        {'op': 'replace', 'path': '/tags', 'value': ['t1', 't2']},
        {'op': 'replace', 'path': '/min_ram', 'value': 128},
        {'op': 'add', 'path': '/ramdisk_id', 'value': 'r1'},
    ])
    assert resp.status_int == 200, resp.body
    body = resp.json
    assert body['name'] == 'renamed' and body['hw_qemu_guest_agent'] == 'yes'
    assert 'kernel_id' not in body and body['ramdisk_id'] == 'r1'
    assert body['tags'] == ['t1', 't2'] and body['min_ram'] == 128
    assert call(app, '/image/v2/images/%s' % image['id']).json == body


def test_patch_v20_format(app):
    image = _create(app, os_distro='debian')
    resp = _patch(app, image['id'], [{'replace': '/name', 'value': 'v20'}], V20_PATCH)
    assert resp.status_int == 200 and resp.json['name'] == 'v20'
    resp = _patch(app, image['id'], [{'add': '/os_distro', 'value': 'x'}], V20_PATCH)
    assert resp.status_int == 409


def test_bad_patches_change_nothing(app):
    image = _create(app, kernel_id='k1')
    other = _create(app, token=USER, visibility='community')
    before = _snapshot(app)
    bad = [
        ([{'op': 'replace', 'path': '/status', 'value': 'active'}], 403),
        ([{'op': 'replace', 'path': '/id', 'value': 'x'}], 403),
        ([{'op': 'remove', 'path': '/name'}], 403),
        ([{'op': 'remove', 'path': '/missing'}], 409),
        ([{'op': 'replace', 'path': '/missing', 'value': 'x'}], 409),
        ([{'op': 'replace', 'path': '/name', 'value': 'ok'},
          {'op': 'replace', 'path': '/disk_format', 'value': 'floppy'}], 400),
        ([{'op': 'add', 'path': '/hw_x', 'value': 5}], 400),
        ([{'op': 'move', 'path': '/name', 'from': '/x'}], 400),
        ([{'op': 'replace', 'path': '/name'}], 400),
        ([{'op': 'replace', 'path': 'name', 'value': 'x'}], 400),
        ([{'op': 'replace', 'path': '/a/b', 'value': 'x'}], 400),
        ({'op': 'replace'}, 400),
    ]
    for ops, code in bad:
        resp = _patch(app, image['id'], ops)
        assert resp.status_int == code, (ops, resp.body)
    resp = call(app, '/image/v2/images/%s' % image['id'], 'PATCH',
                body=[{'op': 'replace', 'path': '/name', 'value': 'x'}])
    assert resp.status_int == 415  # plain application/json is not a patch
    assert _patch(app, other['id'], [{'op': 'replace', 'path': '/name', 'value': 'x'}],
                  token=OTHER).status_int == 403
    assert _patch(app, image['id'], [{'op': 'replace', 'path': '/visibility',
                                      'value': 'public'}], token=OTHER).status_int == 404
    assert _snapshot(app) == before


# -- data ----------------------------------------------------------------------------------

def test_upload_and_download_with_content_length(app, conf):
    image = _create(app, disk_format='raw', container_format='bare')
    data = os.urandom(300000)
    assert _upload(app, image['id'], data).status_int == 204
    shown = call(app, '/image/v2/images/%s' % image['id']).json
    assert shown['status'] == 'active' and shown['size'] == len(data)
    assert shown['checksum'] == hashlib.md5(data).hexdigest()
    assert shown['os_hash_algo'] == 'sha512'
    assert shown['os_hash_value'] == hashlib.sha512(data).hexdigest()
    resp = call(app, '/image/v2/images/%s/file' % image['id'])
    assert resp.status_int == 200 and resp.body == data
    assert resp.headers['Content-MD5'] == shown['checksum']
    assert resp.content_type == 'application/octet-stream'
    assert _store_files(conf) == [image['id']]


def test_chunked_upload(app):
    image = _create(app, disk_format='qcow2', container_format='bare')
    assert _upload(app, image['id'], b'chunky data', chunked=True).status_int == 204
    shown = call(app, '/image/v2/images/%s' % image['id']).json
    assert shown['size'] == 11 and shown['status'] == 'active'
    assert call(app, '/image/v2/images/%s/file' % image['id']).body == b'chunky data'


def test_download_without_data_is_204(app):
    image = _create(app)
    assert call(app, '/image/v2/images/%s/file' % image['id']).status_int == 204


def test_truncated_upload_fails_cleanly(app, conf):
    image = _create(app, disk_format='raw', container_format='bare')
    resp = _upload(app, image['id'], b'only part', length=100)
    assert resp.status_int == 400
    shown = call(app, '/image/v2/images/%s' % image['id']).json
    assert shown['status'] == 'queued' and shown['size'] is None
    assert _store_files(conf) == []


def test_too_large_upload_is_413_and_keeps_nothing(app, conf):
    image = _create(app, disk_format='raw', container_format='bare')
    big = b'x' * (1024 * 1024 + 1)
    assert _upload(app, image['id'], big).status_int == 413
    assert _upload(app, image['id'], big, chunked=True).status_int == 413
    assert call(app, '/image/v2/images/%s' % image['id']).json['status'] == 'queued'
    assert _store_files(conf) == []


def test_bad_uploads(app, conf):
    no_formats = _create(app)
    assert _upload(app, no_formats['id'], b'x').status_int == 400
    image = _create(app, disk_format='raw', container_format='bare')
    assert _upload(app, image['id'], b'first').status_int == 204
    assert _upload(app, image['id'], b'second').status_int == 409
    assert call(app, '/image/v2/images/%s/file' % image['id']).body == b'first'
    assert _upload(app, 'missing', b'x').status_int == 404
    resp = call(app, '/image/v2/images/%s/file' % no_formats['id'], 'PUT', body=b'x',
                headers={'Content-Type': 'application/json'})
    assert resp.status_int == 415
    public = _create(app, disk_format='raw', container_format='bare', visibility='public')
    assert _upload(app, public['id'], b'x', token=OTHER).status_int == 403
    assert _store_files(conf) == [image['id']]


# -- tags and delete -----------------------------------------------------------------------

def test_tags(app):
    image = _create(app, tags=['a'])
    url = '/image/v2/images/%s/tags/' % image['id']
    assert call(app, url + 'b', 'PUT').status_int == 204
    assert call(app, url + 'b', 'PUT').status_int == 204  # idempotent
    assert call(app, '/image/v2/images/%s' % image['id']).json['tags'] == ['a', 'b']
    assert call(app, url + 'a', 'DELETE').status_int == 204
    assert call(app, url + 'a', 'DELETE').status_int == 404
    assert call(app, url + 'x' * 256, 'PUT').status_int == 400
    assert call(app, '/image/v2/images/%s' % image['id']).json['tags'] == ['b']


def test_delete(app, conf):
    image = _create(app, disk_format='raw', container_format='bare', protected=True)
    _upload(app, image['id'], b'data')
    assert call(app, '/image/v2/images/%s' % image['id'], 'DELETE').status_int == 403
    assert _store_files(conf) == [image['id']]
    _patch(app, image['id'], [{'op': 'replace', 'path': '/protected', 'value': False}])
    public = _create(app, visibility='public')
    assert call(app, '/image/v2/images/%s' % public['id'], 'DELETE',
                token=OTHER).status_int == 403
    assert call(app, '/image/v2/images/%s' % image['id'], 'DELETE').status_int == 204
    assert _store_files(conf) == []
    assert call(app, '/image/v2/images/%s' % image['id']).status_int == 404
    assert call(app, '/image/v2/images/%s' % image['id'], 'DELETE').status_int == 404


def test_private_image_hidden_from_other_projects(app):
    image = _create(app, token=USER, visibility='private')
    assert call(app, '/image/v2/images/%s' % image['id'], token=OTHER).status_int == 404
    assert call(app, '/image/v2/images/%s' % image['id'], 'DELETE',
                token=OTHER).status_int == 404
    assert call(app, '/image/v2/images/%s' % image['id'], token=USER).status_int == 200


def test_request_id_header(app):
    resp = call(app, '/image/v2/images')
    assert resp.headers['x-openstack-request-id'].startswith('req-')
    assert jsonutils.loads(resp.body)['images'] == []
