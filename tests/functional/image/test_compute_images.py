"""The Compute API's deprecated /images proxy: 2.1 to 2.35 (metadata to 2.38), then 404."""

import pytest

from tests.unit.api.client import call

SERVER_ID = '3f8d7e0c-0d5b-4c8e-9a4e-7a3a1d2b9c10'


def _image(app, token='admin:admin', upload=True, **body):
    body = dict({'name': 'cirros', 'disk_format': 'qcow2', 'container_format': 'bare',
                 'min_ram': 64, 'min_disk': 1}, **body)
    image = call(app, '/image/v2/images', 'POST', body=body, token=token).json
    if upload:
        resp = call(app, '/image/v2/images/%s/file' % image['id'], 'PUT', body=b'abc',
                    token=token, headers={'Content-Type': 'application/octet-stream'})
        assert resp.status_int == 204
    return image


@pytest.mark.parametrize('version', ['2.1', '2.35'])
def test_list_show_detail(app, version):
    image = _image(app, kernel_id='k', instance_uuid=SERVER_ID, image_type='snapshot')
    queued = _image(app, upload=False, name='queued')
    listed = call(app, '/v2.1/images', version=version).json['images']
    assert {i['id'] for i in listed} == {image['id'], queued['id']}
    entry = [i for i in listed if i['id'] == image['id']][0]
    assert set(entry) == {'id', 'name', 'links'}
    rels = {link['rel']: link for link in entry['links']}
    assert rels['self']['href'] == 'http://localhost/v2.1/images/%s' % image['id']
    assert rels['bookmark']['href'] == 'http://localhost/images/%s' % image['id']
    assert rels['alternate']['type'] == 'application/vnd.openstack.image'
    assert rels['alternate']['href'] == 'http://localhost/image/v2/images/%s' % image['id']

    shown = call(app, '/v2.1/images/%s' % image['id'], version=version).json['image']
    assert shown['status'] == 'ACTIVE' and shown['progress'] == 100
    assert shown['minRam'] == 64 and shown['minDisk'] == 1
    assert shown['OS-EXT-IMG-SIZE:size'] == 3
    assert shown['metadata'] == {'kernel_id': 'k', 'instance_uuid': SERVER_ID,
                                 'image_type': 'snapshot'}
    assert shown['server']['id'] == SERVER_ID
    assert shown['created'].endswith('Z') and shown['updated'].endswith('Z')
    assert call(app, '/v2.1/images/%s' % queued['id'],
                version=version).json['image']['status'] == 'SAVING'

    detail = call(app, '/v2.1/images/detail', version=version).json['images']
    assert {i['id']: i['status'] for i in detail} == {image['id']: 'ACTIVE',
                                                      queued['id']: 'SAVING'}


def test_filters_and_paging(app):
    a = _image(app, name='a', min_ram=512, instance_uuid=SERVER_ID)
    b = _image(app, name='b', upload=False)
    ids = lambda q: [i['id'] for i in call(app, '/v2.1/images' + q).json['images']]  # noqa
    assert ids('?name=a') == [a['id']]
    assert ids('?status=SAVING') == [b['id']]
    assert ids('?status=ACTIVE') == [a['id']]
    assert ids('?minRam=256') == [a['id']]
    assert ids('?server=%s' % SERVER_ID) == [a['id']]
    assert ids('?changes-since=2000-01-01T00:00:00Z') != []
    page = call(app, '/v2.1/images?limit=1').json
    assert len(page['images']) == 1
    next_href = page['images_links'][0]['href']
    assert next_href.startswith('http://localhost/v2.1/images?limit=1&marker=')
    rest = call(app, next_href.replace('http://localhost', '')).json
    assert len(rest['images']) == 1 and rest['images'][0]['id'] != page['images'][0]['id']
    for query in ('?marker=nope', '?limit=x', '?minRam=-1', '?changes-since=yesterday'):
        assert call(app, '/v2.1/images' + query).status_int == 400, query


def test_project_id_in_url_kept_in_links(app):
    image = _image(app, token='alice:abc123')
    resp = call(app, '/v2.1/abc123/images/%s' % image['id'], token='alice:abc123')
    links = {link['rel']: link['href'] for link in resp.json['image']['links']}
    assert links['self'] == 'http://localhost/v2.1/abc123/images/%s' % image['id']
    assert links['bookmark'] == 'http://localhost/abc123/images/%s' % image['id']


def test_delete(app):
    image = _image(app, protected=True)
    assert call(app, '/v2.1/images/%s' % image['id'], 'DELETE').status_int == 403
    public = _image(app, visibility='public')
    assert call(app, '/v2.1/images/%s' % public['id'], 'DELETE',
                token='bob:p2').status_int == 403
    assert call(app, '/v2.1/images/%s' % public['id'], 'DELETE').status_int == 204
    assert call(app, '/v2.1/images/%s' % public['id']).status_int == 404
    assert call(app, '/v2.1/images/%s' % public['id'], 'DELETE').status_int == 404


def test_metadata(app):
    image = _image(app, kernel_id='k')
    url = '/v2.1/images/%s/metadata' % image['id']
    assert call(app, url).json == {'metadata': {'kernel_id': 'k'}}
    assert call(app, url + '/kernel_id').json == {'meta': {'kernel_id': 'k'}}
    assert call(app, url + '/nope').status_int == 404
    resp = call(app, url, 'POST', body={'metadata': {'os_distro': 'debian'}})
    assert resp.json == {'metadata': {'kernel_id': 'k', 'os_distro': 'debian'}}
    resp = call(app, url + '/os_distro', 'PUT', body={'meta': {'os_distro': 'ubuntu'}})
    assert resp.json == {'meta': {'os_distro': 'ubuntu'}}
    resp = call(app, url, 'PUT', body={'metadata': {'a': '1'}})
    assert resp.json == {'metadata': {'a': '1'}}
    assert call(app, url + '/a', 'DELETE').status_int == 204
    assert call(app, url + '/a', 'DELETE').status_int == 404
    assert call(app, url).json == {'metadata': {}}
    # Glance sees the same properties
    assert 'a' not in call(app, '/image/v2/images/%s' % image['id']).json


def test_bad_metadata_changes_nothing(app):
    image = _image(app, kernel_id='k')
    url = '/v2.1/images/%s/metadata' % image['id']
    bad = [
        (url + '/kernel_id', 'PUT', {'meta': {'other': 'x'}}, 400),
        (url + '/kernel_id', 'PUT', {'meta': {'kernel_id': 'x', 'b': 'y'}}, 400),
        (url, 'POST', {'metadata': {'k': 5}}, 400),
        (url, 'POST', {'metadata': {'name': 'core attribute'}}, 400),
        (url, 'POST', {'meta': {}}, 400),
        (url, 'PUT', {'metadata': {'k%d' % i: 'v' for i in range(129)}}, 403),
        ('/v2.1/images/missing/metadata', 'POST', {'metadata': {'a': 'b'}}, 404),
    ]
    for path, method, body, code in bad:
        resp = call(app, path, method, body=body)
        assert resp.status_int == code, (path, body, resp.body)
    assert call(app, url, 'POST', body={'metadata': {'a': 'b'}},
                token='bob:p2').status_int == 404  # a private image of another project
    assert call(app, url).json == {'metadata': {'kernel_id': 'k'}}


def test_gone_from_236(app):
    image = _image(app)
    for path in ('/v2.1/images', '/v2.1/images/detail', '/v2.1/images/%s' % image['id']):
        assert call(app, path, version='2.36').status_int == 404
    assert call(app, '/v2.1/images/%s' % image['id'], 'DELETE',
                version='2.36').status_int == 404
    # image metadata lived on until 2.38, as upstream
    url = '/v2.1/images/%s/metadata' % image['id']
    assert call(app, url, version='2.38').status_int == 200
    assert call(app, url, version='2.39').status_int == 404
    assert call(app, '/v2.1/images/%s' % image['id']).status_int == 200
