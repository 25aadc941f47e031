"""Policy checks of the built-in image API: Glance's rule names and targets
(nova.policies.images). The store still decides what a project can see at all; these
rules decide what a role may do with what it sees."""

import webob.exc

from nova import exception
from nova import policy


def target(context, image, member_id=None):
    """The policy target of ``image`` (a dict as the image API returns it)."""
    if member_id is None and image['owner'] != context.project_id:
        member_id = context.project_id  # the store showed it, so it is shared with us
    return {'project_id': image['owner'], 'owner': image['owner'],
            'visibility': image['visibility'], 'member_id': member_id}


def authorize(context, rule, image=None, member_id=None, hidden=False):
    """PolicyNotAuthorized (403) unless the caller may ``rule`` on ``image`` (404 when
    ``hidden``, as Glance answers for images the caller may not even read)."""
    if image is None:
        rule_target = {'project_id': context.project_id, 'owner': context.project_id}
    else:
        rule_target = target(context, image, member_id)
    try:
        policy.authorize(context, rule, rule_target)
    except exception.PolicyNotAuthorized as exc:
        if hidden:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        raise


def authorize_visibility(context, visibility, image=None):
    """Publishing to everyone or to the community has rules of its own."""
    rule = {'public': 'publicize_image', 'community': 'communitize_image'}.get(visibility)
    if rule is not None:
        authorize(context, rule, image)
