"""Image members (Glance v2 sharing) through the real WSGI app of the built-in image API."""

from nova import context as nova_context
from nova.db.api import images as db_images
from tests.unit.api import client

OWNER = 'olga:p1'
ALT = 'alan:p2'
THIRD = 'tess:p3'
STRANGER = 'sam:p4'
UUID0 = '00000000-0000-0000-0000-000000000000'
MEMBER_KEYS = {'member_id', 'image_id', 'status', 'created_at', 'updated_at', 'schema'}


def call(app, path, method='GET', body=None, token=OWNER, headers=None):
    """A request asking for JSON error bodies (webob's, as Glance gives them)."""
    return client.call(app, path, method, body=body, token=token,
                       headers=dict({'Accept': 'application/json'}, **(headers or {})))


def _image(app, token=OWNER, data=b'shared bytes', **body):
    body = dict({'name': 'shared', 'disk_format': 'raw', 'container_format': 'bare',
                 'visibility': 'shared'}, **body)
    resp = call(app, '/image/v2/images', 'POST', body=body, token=token)
    assert resp.status_int == 201, resp.body
    image_id = resp.json['id']
    if data is not None:
        resp = call(app, '/image/v2/images/%s/file' % image_id, 'PUT', body=data,
                    token=token, headers={'Content-Type': 'application/octet-stream'})
        assert resp.status_int == 204, resp.body
    return image_id


def _show(app, image_id, token=OWNER):
    resp = call(app, '/image/v2/images/%s' % image_id, token=token)
    assert resp.status_int == 200, resp.body
    return resp.json['id']


def _members_url(image_id, member=None):
    url = '/image/v2/images/%s/members' % image_id
    return url if member is None else '%s/%s' % (url, member)


def _add(app, image_id, member, token=OWNER):
    return call(app, _members_url(image_id), 'POST', body={'member': member}, token=token)


def _answer(app, image_id, member, status, token=None):
    token = token or '%s-user:%s' % (member, member)
    return call(app, _members_url(image_id, member), 'PUT', body={'status': status},
                token=token)


def _ids(app, token, query=''):
    resp = call(app, '/image/v2/images' + query, token=token)
    assert resp.status_int == 200, resp.body
    return [image['id'] for image in resp.json['images']]


def _message(resp):
    # webob's JSON error bodies (Glance's too) append "<br /><br />" and the detail.
    return resp.json['message'].split('<br />')[0]


def _member_rows(image_id):
    """The members of the image in the database."""
    return [member['member_id'] for member in
            db_images.image_member_list(nova_context.get_admin_context(), image_id)]


# -- the member resource --------------------------------------------------------------------

def test_owner_shares_and_the_member_accepts(app):
    image_id = _image(app)
    resp = _add(app, image_id, 'p2')
    assert resp.status_int == 200  # Glance answers 200, not 201
    member = resp.json
    assert set(member) == MEMBER_KEYS
    assert (member['member_id'], member['image_id'], member['status']) == \
        ('p2', image_id, 'pending')
    assert member['schema'] == '/v2/schemas/member'
    assert member['created_at'].endswith('Z') and member['updated_at'] == member['created_at']

    resp = _answer(app, image_id, 'p2', 'accepted', token=ALT)
    assert resp.status_int == 200, resp.body
    assert resp.json['status'] == 'accepted' and set(resp.json) == MEMBER_KEYS
    shown = call(app, _members_url(image_id, 'p2'), token=OWNER)
    assert shown.status_int == 200 and shown.json['status'] == 'accepted'
    listed = call(app, _members_url(image_id), token=OWNER).json
    assert listed['schema'] == '/v2/schemas/members'
    assert [(m['member_id'], m['status']) for m in listed['members']] == [('p2', 'accepted')]

    # The member may change its mind, in any direction.
    for status in ('rejected', 'pending', 'accepted'):
        assert _answer(app, image_id, 'p2', status, token=ALT).json['status'] == status


def test_only_shared_images_have_members(app):
    for visibility in ('private', 'public', 'community'):
        image_id = _image(app, token='admin:p1', visibility=visibility)
        resp = _add(app, image_id, 'p2', token=OWNER)
        assert resp.status_int == 403
        assert _message(resp) == 'Not allowed to create members for image %s.' % image_id
        resp = call(app, _members_url(image_id), token=OWNER)
        assert resp.status_int == 403
        assert _message(resp) == ('Not allowed to list members for image %s: Only shared '
                                  'images have members.' % image_id)
        resp = call(app, _members_url(image_id, 'p2'), token=OWNER)
        assert resp.status_int == 404 and _message(resp) == 'Only shared images have members.'
        resp = _answer(app, image_id, 'p2', 'accepted', token=ALT)
        # 404 where p2 cannot even see the image.
        assert resp.status_int == (404 if visibility == 'private' else 403)
        resp = call(app, _members_url(image_id, 'p2'), 'DELETE', token=OWNER)
        assert resp.status_int == 403
        assert _message(resp) == 'Not allowed to delete members for image %s.' % image_id


def test_duplicates_conflict_and_unknowns_are_404(app):
    image_id = _image(app)
    assert _add(app, image_id, 'p2').status_int == 200
    resp = _add(app, image_id, 'p2')
    assert resp.status_int == 409
    assert _message(resp) == 'Member p2 is duplicated for image %s' % image_id
    assert _add(app, UUID0, 'p2').status_int == 404
    assert call(app, _members_url(UUID0), token=OWNER).status_int == 404
    resp = call(app, _members_url(image_id, 'p9'), token=OWNER)
    assert resp.status_int == 404
    assert _message(resp) == 'p9 not found in the member list of the image %s.' % image_id
    assert call(app, _members_url(image_id, 'p9'), 'DELETE', token=OWNER).status_int == 404
    assert _answer(app, image_id, 'p9', 'accepted', token='admin:admin').status_int == 404


def test_only_the_owner_adds_and_removes(app):
    image_id = _image(app)
    _add(app, image_id, 'p2')
    _add(app, image_id, 'p3')
    # A member sees the image but may not share it further or remove anyone.
    resp = _add(app, image_id, 'p4', token=ALT)
    assert resp.status_int == 403
    assert _message(resp) == 'Not allowed to create members for image %s.' % image_id
    for member in ('p2', 'p3'):
        resp = call(app, _members_url(image_id, member), 'DELETE', token=ALT)
        assert resp.status_int == 403
    # Someone the image is not shared with cannot see it at all.
    assert _add(app, image_id, 'p4', token=STRANGER).status_int == 404
    assert call(app, _members_url(image_id, 'p2'), 'DELETE',
                token=STRANGER).status_int == 404
    assert sorted(_member_rows(image_id)) == ['p2', 'p3']

    resp = call(app, _members_url(image_id, 'p3'), 'DELETE', token=OWNER)
    assert resp.status_int == 204 and resp.body == b''
    assert _member_rows(image_id) == ['p2']
    assert call(app, _members_url(image_id, 'p3'), token=OWNER).status_int == 404
    # An administrator may manage anyone's members.
    assert _add(app, image_id, 'p5', token='admin:admin').status_int == 200
    assert call(app, _members_url(image_id, 'p5'), 'DELETE',
                token='admin:admin').status_int == 204


def test_only_the_member_answers(app):
    image_id = _image(app)
    _add(app, image_id, 'p2')
    _add(app, image_id, 'p3')
    resp = _answer(app, image_id, 'p2', 'accepted', token=OWNER)
    assert resp.status_int == 403
    assert _message(resp) == 'Not allowed to update members for image %s.' % image_id
    assert _answer(app, image_id, 'p2', 'accepted', token=THIRD).status_int == 403
    assert _answer(app, image_id, 'p2', 'accepted', token=STRANGER).status_int == 404
    assert call(app, _members_url(image_id, 'p2'), token=OWNER).json['status'] == 'pending'
    # An administrator may answer for a member.
    assert _answer(app, image_id, 'p2', 'rejected', token='admin:admin').json['status'] == \
        'rejected'


def test_answer_validation(app):
    image_id = _image(app)
    _add(app, image_id, 'p2')
    resp = _answer(app, image_id, 'p2', 'notavalidstatus', token=ALT)
    assert resp.status_int == 400
    assert _message(resp) == ('Incorrect request: Status must be "pending", "accepted" or '
                              '"rejected".')
    url = _members_url(image_id, 'p2')
    resp = call(app, url, 'PUT', body={'state': 'accepted'}, token=ALT)
    assert resp.status_int == 400 and _message(resp) == 'Status not specified'
    resp = call(app, url, 'PUT', body=['accepted'], token=ALT)
    assert resp.status_int == 400
    assert _message(resp) == 'Expected a status in the form: {"status": "status"}'
    resp = call(app, url, 'PUT', body=b'{not json', token=ALT)
    assert resp.status_int == 400
    assert call(app, url, token=OWNER).json['status'] == 'pending'


def test_create_validation(app):
    image_id = _image(app)
    cases = [({'members': 'p2'}, 'Member to be added not specified'),
             ({'member': ''}, "Member can't be empty"),
             (['p2'], 'Expected a member in the form: {"member": "image_id"}'),
             ({'member': 7}, 'Member must be a project id of at most 255 characters'),
             ({'member': 'p' * 256}, 'Member must be a project id of at most 255 characters')]
    for body, message in cases:
        resp = call(app, _members_url(image_id), 'POST', body=body, token=OWNER)
        assert resp.status_int == 400 and _message(resp) == message, body
    resp = call(app, _members_url(image_id), 'POST', body=b'{"member": "p2"}', token=OWNER,
                headers={'Content-Type': 'text/plain'})
    assert resp.status_int == 415
    assert _member_rows(image_id) == []


def test_member_list_and_show_by_who_asks(app):
    image_id = _image(app)
    for member in ('p2', 'p3'):
        _add(app, image_id, member)
    _answer(app, image_id, 'p3', 'accepted', token=THIRD)
    everyone = call(app, _members_url(image_id), token=OWNER).json['members']
    assert {m['member_id']: m['status'] for m in everyone} == {'p2': 'pending',
                                                               'p3': 'accepted'}
    assert call(app, _members_url(image_id), token='admin:admin').json['members'] == everyone
    # A member sees its own membership only, whatever its status.
    mine = call(app, _members_url(image_id), token=ALT).json['members']
    assert [m['member_id'] for m in mine] == ['p2']
    assert call(app, _members_url(image_id, 'p2'), token=ALT).status_int == 200
    resp = call(app, _members_url(image_id, 'p3'), token=ALT)
    assert resp.status_int == 404
    assert call(app, _members_url(image_id), token=STRANGER).status_int == 404
    assert call(app, _members_url(image_id, 'p2'), token=STRANGER).status_int == 404


def test_member_limit(app, conf):
    conf.set_override('image_member_quota', 2, group='image')
    image_id = _image(app)
    assert _add(app, image_id, 'p2').status_int == 200
    assert _add(app, image_id, 'p3').status_int == 200
    resp = _add(app, image_id, 'p4')
    assert resp.status_int == 413
    assert sorted(_member_rows(image_id)) == ['p2', 'p3']
    conf.set_override('image_member_quota', -1, group='image')
    assert _add(app, image_id, 'p4').status_int == 200


def test_schemas(app):
    member = call(app, '/image/v2/schemas/member').json
    assert member['name'] == 'member'
    assert member['properties']['status']['enum'] == ['pending', 'accepted', 'rejected']
    assert member['additionalProperties'] is False
    members = call(app, '/image/v2/schemas/members').json
    assert members['name'] == 'members'
    assert members['properties']['members']['items']['name'] == 'member'


# -- what members see of the image ------------------------------------------------------------

def test_image_lists_follow_the_member_status(app):
    image_id = _image(app)
    _add(app, image_id, 'p2')
    # Pending: not in the member's default list, but there when asked for.
    assert image_id not in _ids(app, ALT)
    assert _ids(app, ALT, '?member_status=pending') == [image_id]
    assert _ids(app, ALT, '?visibility=shared&member_status=pending') == [image_id]
    assert _ids(app, ALT, '?member_status=all') == [image_id]
    assert _ids(app, ALT, '?visibility=shared') == []
    assert _ids(app, ALT, '?member_status=accepted') == []

    _answer(app, image_id, 'p2', 'accepted', token=ALT)
    assert _ids(app, ALT) == [image_id]
    assert _ids(app, ALT, '?visibility=shared') == [image_id]
    assert _ids(app, ALT, '?visibility=all') == [image_id]
    assert _ids(app, ALT, '?member_status=pending') == []
    assert _ids(app, ALT, '?visibility=private') == []

    _answer(app, image_id, 'p2', 'rejected', token=ALT)
    assert _ids(app, ALT) == []
    assert _ids(app, ALT, '?member_status=rejected') == [image_id]
    assert _ids(app, ALT, '?visibility=shared&member_status=all') == [image_id]

    # Others never see it; the owner always does.
    for query in ('', '?member_status=all', '?visibility=shared&member_status=all'):
        assert _ids(app, STRANGER, query) == []
        assert _ids(app, OWNER, query) == [image_id]
    resp = call(app, '/image/v2/images?member_status=maybe', token=ALT)
    assert resp.status_int == 400


def test_any_member_shows_and_downloads_but_does_not_change(app):
    image_id = _image(app, data=b'member data')
    _add(app, image_id, 'p2')  # pending: still allowed to show and download
    assert _show(app, image_id, token=ALT) == image_id
    resp = call(app, '/image/v2/images/%s/file' % image_id, token=ALT)
    assert resp.status_int == 200 and resp.body == b'member data'
    resp = call(app, '/image/v2/images/%s' % image_id, 'PATCH', token=ALT,
                body=[{'op': 'replace', 'path': '/name', 'value': 'mine'}],
                headers={'Content-Type': 'application/openstack-images-v2.1-json-patch'})
    assert resp.status_int == 403
    assert call(app, '/image/v2/images/%s' % image_id, 'DELETE', token=ALT).status_int == 403
    assert call(app, '/image/v2/images/%s' % image_id, token=STRANGER).status_int == 404
    assert call(app, '/image/v2/images/%s/file' % image_id,
                token=STRANGER).status_int == 404
    # A paging marker may be any image the caller can see, shared ones included.
    assert call(app, '/image/v2/images?marker=%s' % image_id, token=ALT).status_int == 200
    assert call(app, '/image/v2/images?marker=%s' % image_id,
                token=STRANGER).status_int == 400


def test_members_count_only_while_the_image_is_shared(app):
    image_id = _image(app)
    _add(app, image_id, 'p2')
    _answer(app, image_id, 'p2', 'accepted', token=ALT)
    patch = {'Content-Type': 'application/openstack-images-v2.1-json-patch'}
    resp = call(app, '/image/v2/images/%s' % image_id, 'PATCH', token=OWNER, headers=patch,
                body=[{'op': 'replace', 'path': '/visibility', 'value': 'private'}])
    assert resp.status_int == 200, resp.body
    assert call(app, '/image/v2/images/%s' % image_id, token=ALT).status_int == 404
    assert _ids(app, ALT, '?member_status=all') == []
    assert call(app, _members_url(image_id), token=OWNER).status_int == 403
    # Shared again: the membership, kept meanwhile, counts again.
    call(app, '/image/v2/images/%s' % image_id, 'PATCH', token=OWNER, headers=patch,
         body=[{'op': 'replace', 'path': '/visibility', 'value': 'shared'}])
    assert _ids(app, ALT) == [image_id]


def test_deleting_the_image_removes_its_members(app):
    image_id = _image(app)
    other_id = _image(app)
    for member in ('p2', 'p3'):
        _add(app, image_id, member)
        _add(app, other_id, member)
    assert call(app, '/image/v2/images/%s' % image_id, 'DELETE', token=OWNER).status_int == 204
    assert _member_rows(image_id) == []
    assert sorted(_member_rows(other_id)) == ['p2', 'p3']
    assert call(app, _members_url(image_id), token=OWNER).status_int == 404
