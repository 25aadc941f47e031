"""tempest.lib's image v2 clients (images, members, schemas) against the built-in image API
of nova-all, and its compute images client against the /images proxy (at 2.1 and 2.35)."""

import hashlib
import io

import pytest

tempest_lib = pytest.importorskip('tempest.lib')

from tempest.lib import exceptions as lib_exc  # noqa: E402
from tempest.lib.services.compute import base_compute_client  # noqa: E402
from tempest.lib.services.compute import images_client as compute_images  # noqa: E402
from tempest.lib.services.image.v2 import image_members_client  # noqa: E402
from tempest.lib.services.image.v2 import images_client as image_images  # noqa: E402
from tempest.lib.services.image.v2 import schemas_client  # noqa: E402

from tests.compat.tempest_auth import NoAuth2Provider  # noqa: E402


def _image_client(nova_all, token='admin:admin', cls=image_images.ImagesClient):
    # tempest's own providers append the "v2" of the client; ours takes the full base URL.
    return cls(NoAuth2Provider(nova_all.url + '/image/v2', token=token), 'image',
               'RegionOne')


@pytest.fixture(params=['2.1', '2.35'])
def compute_client(request, nova_all):
    saved = base_compute_client.COMPUTE_MICROVERSION
    base_compute_client.COMPUTE_MICROVERSION = request.param
    yield compute_images.ImagesClient(NoAuth2Provider(nova_all.compute_url), 'compute',
                                      'RegionOne')
    base_compute_client.COMPUTE_MICROVERSION = saved


def test_image_v2_lifecycle(nova_all):
    client = _image_client(nova_all)
    image = client.create_image(name='tempest-cirros', disk_format='qcow2',
                                container_format='bare', visibility='private',
                                tags=['tempest'], hw_disk_bus='virtio')
    assert image['status'] == 'queued'
    data = b'not really qcow2 ' * 1000
    client.store_image_file(image['id'], io.BytesIO(data))
    shown = client.show_image(image['id'])
    assert shown['status'] == 'active' and shown['size'] == len(data)
    assert shown['checksum'] == hashlib.md5(data).hexdigest()
    assert shown['os_hash_value'] == hashlib.sha512(data).hexdigest()
    assert client.show_image_file(image['id']).data == data

    listed = client.list_images(params={'name': 'tempest-cirros'})['images']
    assert [i['id'] for i in listed] == [image['id']]
    assert client.list_images(params={'tag': 'tempest', 'visibility': 'private'})['images']
    assert client.list_images(params={'name': 'nothing-like-it'})['images'] == []

    updated = client.update_image(image['id'], [dict(replace='/name', value='renamed'),
                                                dict(add='/os_distro', value='cirros')])
    assert updated['name'] == 'renamed' and updated['os_distro'] == 'cirros'

    client.add_image_tag(image['id'], 'extra')
    assert 'extra' in client.show_image(image['id'])['tags']
    client.delete_image_tag(image['id'], 'extra')

    client.delete_image(image['id'])
    with pytest.raises(lib_exc.NotFound):
        client.show_image(image['id'])


def test_image_v2_errors(nova_all):
    client = _image_client(nova_all)
    with pytest.raises(lib_exc.NotFound):
        client.show_image('00000000-0000-0000-0000-000000000000')
    with pytest.raises(lib_exc.Forbidden):
        client.create_image(name='x', status='active')
    with pytest.raises(lib_exc.BadRequest):
        client.create_image(name='x', disk_format='floppy')
    queued = client.create_image(name='no data')
    assert client.show_image_file(queued['id']).response.status == 204
    client.delete_image(queued['id'])


def test_compute_images_proxy(nova_all, compute_client):
    image_client = _image_client(nova_all)
    image = image_client.create_image(name='proxied', disk_format='raw',
                                      container_format='bare', kernel_id='k')
    image_client.store_image_file(image['id'], io.BytesIO(b'raw bytes'))
    try:
        listed = compute_client.list_images()['images']
        assert image['id'] in [i['id'] for i in listed]
        detail = compute_client.list_images(detail=True)['images']
        assert image['id'] in [i['id'] for i in detail]
        shown = compute_client.show_image(image['id'])['image']
        assert shown['status'] == 'ACTIVE' and shown['metadata'] == {'kernel_id': 'k'}

        assert compute_client.list_image_metadata(image['id'])['metadata'] == \
            {'kernel_id': 'k'}
        meta = compute_client.set_image_metadata(image['id'], {'os_distro': 'debian'})
        assert meta['metadata'] == {'os_distro': 'debian'}
        meta = compute_client.update_image_metadata(image['id'], {'a': 'b'})
        assert meta['metadata'] == {'os_distro': 'debian', 'a': 'b'}
        assert compute_client.show_image_metadata_item(image['id'], 'a')['meta'] == \
            {'a': 'b'}
        compute_client.set_image_metadata_item(image['id'], 'a', {'a': 'c'})
        compute_client.delete_image_metadata_item(image['id'], 'a')
        assert compute_client.list_image_metadata(image['id'])['metadata'] == \
            {'os_distro': 'debian'}
    finally:
        compute_client.delete_image(image['id'])
    with pytest.raises(lib_exc.NotFound):
        compute_client.show_image(image['id'])


def test_image_v2_members(nova_all):
    owner = _image_client(nova_all, 'olga:p1')
    owner_members = _image_client(nova_all, 'olga:p1', image_members_client.ImageMembersClient)
    alt = _image_client(nova_all, 'alan:p2')
    alt_members = _image_client(nova_all, 'alan:p2', image_members_client.ImageMembersClient)
    image = owner.create_image(name='tempest-shared', disk_format='raw',
                               container_format='bare', visibility='shared')
    try:
        owner.store_image_file(image['id'], io.BytesIO(b'shared data'))
        member = owner_members.create_image_member(image['id'], member='p2')
        assert (member['member_id'], member['image_id'], member['status']) == \
            ('p2', image['id'], 'pending')
        with pytest.raises(lib_exc.Conflict):
            owner_members.create_image_member(image['id'], member='p2')
        assert image['id'] not in [i['id'] for i in alt.list_images()['images']]
        pending = alt.list_images({'member_status': 'pending',
                                   'visibility': 'shared'})['images']
        assert [i['id'] for i in pending] == [image['id']]

        with pytest.raises(lib_exc.BadRequest):
            alt_members.update_image_member(image['id'], 'p2', status='notavalidstatus')
        with pytest.raises(lib_exc.Forbidden):
            owner_members.update_image_member(image['id'], 'p2', status='accepted')
        alt_members.update_image_member(image['id'], 'p2', status='accepted')
        assert image['id'] in [i['id'] for i in alt.list_images()['images']]
        members = owner_members.list_image_members(image['id'])['members']
        assert [(m['member_id'], m['status']) for m in members] == [('p2', 'accepted')]
        assert owner_members.show_image_member(image['id'], 'p2')['status'] == 'accepted'
        assert alt.show_image_file(image['id']).data == b'shared data'

        alt_members.update_image_member(image['id'], 'p2', status='rejected')
        assert image['id'] not in [i['id'] for i in alt.list_images()['images']]
        owner_members.delete_image_member(image['id'], 'p2')
        with pytest.raises(lib_exc.NotFound):
            alt.show_image(image['id'])
    finally:
        owner.delete_image(image['id'])

    private = owner.create_image(name='tempest-private', visibility='private')
    with pytest.raises(lib_exc.Forbidden):
        owner_members.create_image_member(private['id'], member='p2')
    owner.delete_image(private['id'])


def test_image_v2_member_schemas(nova_all):
    client = _image_client(nova_all, cls=schemas_client.SchemasClient)
    assert client.show_schema('member')['name'] == 'member'
    assert client.show_schema('members')['name'] == 'members'
