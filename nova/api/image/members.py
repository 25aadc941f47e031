"""/v2/images/{image_id}/members: sharing an image with other projects, as Glance v2 does.

Only ``shared`` images have members. The owner adds and removes them; each member answers
for itself (pending, accepted, rejected). A member sees only its own membership; anyone
who cannot see the image gets 404. Status codes and messages are Glance's: its controller
wraps every refusal in a message naming the action, and hides refusals to show a member
behind 404.
"""

import webob
import webob.exc

from nova import exception
from nova.api.image import policy as image_policy
from nova.api.image import views
from nova.api.image import wsgi
from nova.i18n import _
from nova.image import api as image_api

MAX_MEMBER_LENGTH = 255


def _bad(message):
    return webob.exc.HTTPBadRequest(explanation=message)


def _forbidden(message):
    return webob.exc.HTTPForbidden(explanation=message)


def _member_from_body(body):
    if not isinstance(body, dict):
        raise _bad(_('Expected a member in the form: {"member": "image_id"}'))
    if 'member' not in body:
        raise _bad(_('Member to be added not specified'))
    member_id = body['member']
    if not member_id:
        raise _bad(_("Member can't be empty"))
    if not isinstance(member_id, str) or len(member_id) > MAX_MEMBER_LENGTH:
        raise _bad(_('Member must be a project id of at most %d characters')
                   % MAX_MEMBER_LENGTH)
    return member_id


def _status_from_body(body):
    if not isinstance(body, dict):
        raise _bad(_('Expected a status in the form: {"status": "status"}'))
    if 'status' not in body:
        raise _bad(_('Status not specified'))
    return body['status']


class MembersController:

    def __init__(self):
        self.image_api = image_api.API()

    def _context(self, req, image_id, rule, member_id=None):
        """The caller's context, once ``rule`` allows it on the image (404 if it cannot
        see the image at all)."""
        context = req.environ['nova.context']
        image = self.image_api.get(context, image_id)
        image_policy.authorize(context, 'get_image', image, hidden=True)
        image_policy.authorize(context, rule, image, member_id=member_id)
        return context

    def index(self, req, image_id):
        try:
            members = self.image_api.list_members(
                self._context(req, image_id, 'get_members'), image_id)
        except exception.NotAuthorized as exc:
            raise _forbidden(_('Not allowed to list members for image %(image_id)s: '
                               '%(inner_msg)s') % {'image_id': image_id,
                                                   'inner_msg': exc.format_message()})
        return wsgi.json_response(views.members_view(members))

    def create(self, req, image_id):
        member_id = _member_from_body(wsgi.read_json(req))
        try:
            member = self.image_api.add_member(
                self._context(req, image_id, 'add_member'), image_id, member_id)
        except exception.NotAuthorized:
            raise _forbidden(_('Not allowed to create members for image %s.') % image_id)
        # Glance answers 200 here, not 201.
        return wsgi.json_response(views.member_view(member))

    def show(self, req, image_id, member_id):
        try:
            member = self.image_api.get_member(
                self._context(req, image_id, 'get_member'), image_id, member_id)
        except exception.NotAuthorized as exc:
            # Glance hides why it will not show a member.
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        return wsgi.json_response(views.member_view(member))

    def update(self, req, image_id, member_id):
        status = _status_from_body(wsgi.read_json(req))
        try:
            member = self.image_api.update_member(
                self._context(req, image_id, 'modify_member', member_id), image_id, member_id,
                status)
        except exception.NotAuthorized:
            raise _forbidden(_('Not allowed to update members for image %s.') % image_id)
        except exception.InvalidImageMemberStatus as exc:
            raise _bad(_('Incorrect request: %s') % exc.format_message())
        return wsgi.json_response(views.member_view(member))

    def delete(self, req, image_id, member_id):
        try:
            self.image_api.delete_member(
                self._context(req, image_id, 'delete_member'), image_id, member_id)
        except exception.NotAuthorized:
            raise _forbidden(_('Not allowed to delete members for image %s.') % image_id)
        return webob.Response(status=204)
