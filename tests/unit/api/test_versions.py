"""The version documents, as upstream's api-samples show them."""

from tests.unit.api.client import call

DESCRIBED_BY = {'rel': 'describedby', 'type': 'text/html', 'href': 'http://docs.openstack.org/'}


def v21_document(root):
    return {'version': {
        'id': 'v2.1',
        'status': 'CURRENT',
        'version': '2.104',
        'min_version': '2.1',
        'updated': '2013-07-23T11:33:21Z',
        'links': [{'rel': 'self', 'href': root + '/v2.1/'}, DESCRIBED_BY],
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2.1'}],
    }}


def v2_document(root):
    return {'version': {
        'id': 'v2.0',
        'status': 'SUPPORTED',
        'version': '',
        'min_version': '',
        'updated': '2011-01-21T11:33:21Z',
        'links': [{'rel': 'self', 'href': root + '/v2/'}, DESCRIBED_BY],
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2'}],
    }}


def test_version_list(app):
    resp = call(app, '/', token=None)
    assert resp.status_int == 200
    assert resp.content_type == 'application/json'
    assert resp.json == {'versions': [
        {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '', 'min_version': '',
         'updated': '2011-01-21T11:33:21Z',
         'links': [{'rel': 'self', 'href': 'http://localhost/v2/'}]},
        {'id': 'v2.1', 'status': 'CURRENT', 'version': '2.104', 'min_version': '2.1',
         'updated': '2013-07-23T11:33:21Z',
         'links': [{'rel': 'self', 'href': 'http://localhost/v2.1/'}]},
    ]}


def test_bare_version_urls_need_no_credentials(app):
    for path, document in (('/v2.1', v21_document), ('/v2', v2_document)):
        resp = call(app, path, token=None)
        assert resp.status_int == 200
        assert resp.json == document('http://localhost')


def test_version_document_inside_the_api(app):
    assert call(app, '/v2.1/').json == v21_document('http://localhost')
    assert call(app, '/v2/').json == v2_document('http://localhost')


def test_version_document_under_the_project_id(app):
    project = '6f70656e737461636b20342065766572'
    resp = call(app, '/v2.1/%s/' % project, token='admin:%s' % project)
    assert resp.json == v21_document('http://localhost')
    resp = call(app, '/v2.1/%s' % project, token='admin:%s' % project)
    assert resp.json == v21_document('http://localhost')


def test_links_follow_the_request_host(app):
    root = 'https://compute.example.org:8774'
    assert call(app, '/v2.1', base_url=root).json == v21_document(root)
    resp = call(app, '/', base_url=root)
    assert [v['links'][0]['href'] for v in resp.json['versions']] == [
        root + '/v2/', root + '/v2.1/']


def test_compute_link_prefix(app, conf):
    conf.set_override('compute_link_prefix', 'https://cloud.example.com/compute/', group='api')
    root = 'https://cloud.example.com/compute'
    assert call(app, '/v2.1').json == v21_document(root)
    assert call(app, '/v2.1/').json == v21_document(root)
    assert call(app, '/v2').json == v2_document(root)
    links = [v['links'][0]['href'] for v in call(app, '/').json['versions']]
    assert links == [root + '/v2/', root + '/v2.1/']


def test_forwarded_proto_when_proxy_headers_are_trusted(app, conf):
    conf.set_override('enable_proxy_headers_parsing', True, group='oslo_middleware')
    resp = call(app, '/v2.1', headers={'X-Forwarded-Proto': 'https'})
    # webob's blank request says "Host: localhost:80"; the port stays as the client sent it.
    assert resp.json == v21_document('https://localhost:80')


def test_other_paths_get_multiple_choices(app):
    resp = call(app, '/servers/detail', token=None)
    assert resp.status_int == 300
    assert resp.json == {'choices': [
        {'id': 'v2.0', 'status': 'SUPPORTED',
         'links': [{'rel': 'self', 'href': 'http://localhost/v2/servers/detail'}],
         'media-types': [{'base': 'application/json',
                          'type': 'application/vnd.openstack.compute+json;version=2'}]},
        {'id': 'v2.1', 'status': 'CURRENT',
         'links': [{'rel': 'self', 'href': 'http://localhost/v2.1/servers/detail'}],
         'media-types': [{'base': 'application/json',
                          'type': 'application/vnd.openstack.compute+json;version=2.1'}]},
    ]}
