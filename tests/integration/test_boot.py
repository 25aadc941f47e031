"""Booting servers across separate daemons: nova-api (no database: images and everything
else through conductor), nova-conductor, nova-scheduler and two nova-compute hosts, on
RabbitMQ with PostgreSQL or MariaDB."""

import urllib.request

from tests.integration import cluster as cluster_mod


def _upload_image(cluster, data=b'\0' * 4096):
    status, image = cluster.request('POST', '/image/v2/images', {
        'name': 'cirros', 'disk_format': 'raw', 'container_format': 'bare',
        'visibility': 'public'})
    assert status == 201, image
    req = urllib.request.Request(
        'http://127.0.0.1:%d/image/v2/images/%s/file' % (cluster.api_port, image['id']),
        data=data, method='PUT')
    req.add_header('X-Auth-Token', 'admin:admin')
    req.add_header('Content-Type', 'application/octet-stream')
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 204
    return image['id']


def _servers(cluster, token='admin:admin'):
    status, body = cluster.request('GET', '/v2.1/servers/detail?all_tenants=1',
                                   version='2.104', token=token)
    assert status == 200, body
    return body['servers']


def test_boot_list_and_delete_across_daemons(backend):
    with cluster_mod.running_cluster(backend) as cluster:
        cluster.start_control_plane(compute_hosts=('compute1', 'compute2'))
        cluster.wait_for(lambda: len([s for s in cluster.services() if s['state'] == 'up'])
                         == 4, what='4 services up')
        image_id = _upload_image(cluster)
        status, body = cluster.request('POST', '/v2.1/flavors', {'flavor': {
            'name': 'a1.tiny', 'ram': 64, 'disk': 1, 'vcpus': 1}})
        assert status == 200, body
        flavor_id = body['flavor']['id']

        status, body = cluster.request('POST', '/v2.1/servers', {'server': {
            'name': 'vm', 'imageRef': image_id, 'flavorRef': flavor_id, 'networks': 'none',
            'min_count': 4, 'max_count': 4, 'return_reservation_id': True}},
            version='2.104', token='demo:p1')
        assert status == 202, body

        def all_active():
            servers = _servers(cluster)
            return servers if len(servers) == 4 and all(
                s['status'] == 'ACTIVE' for s in servers) else None

        servers = cluster.wait_for(all_active, timeout=60, what='4 servers ACTIVE')
        hosts = {s['OS-EXT-SRV-ATTR:host'] for s in servers}
        assert hosts <= {'compute1', 'compute2'}
        assert {s['image']['id'] for s in servers} == {image_id}

        status, body = cluster.request('GET', '/v2.1/os-hypervisors/detail', version='2.1')
        assert status == 200
        assert sum(h['running_vms'] for h in body['hypervisors']) == 4
        assert sum(h['memory_mb_used'] for h in body['hypervisors']) == 2 * 512 + 4 * 64

        for server in servers:
            status, _body = cluster.request('DELETE', '/v2.1/servers/%s' % server['id'],
                                            token='demo:p1')
            assert status == 204
        cluster.wait_for(lambda: _servers(cluster) == [], timeout=60, what='servers gone')
        status, body = cluster.request('GET', '/v2.1/os-hypervisors/detail', version='2.1')
        assert sum(h['running_vms'] for h in body['hypervisors']) == 0
        for name in ('api', 'conductor', 'scheduler', 'compute1', 'compute2'):
            assert 'Traceback' not in cluster.log(name), cluster.log(name)[-3000:]


