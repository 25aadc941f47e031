"""The built-in image API's rules, under Glance's names and with Glance's defaults, so an
operator's Glance policy overrides carry over. The target is the image: ``project_id`` and
``owner`` are its owner, ``visibility`` its visibility, ``member_id`` the caller's project
when the image is shared with it."""

from oslo_policy import policy

ADMIN = 'role:admin'
OWNER_MEMBER = 'role:member and project_id:%(project_id)s'
VISIBLE = ("project_id:%(project_id)s or project_id:%(member_id)s or "
           "'community':%(visibility)s or 'public':%(visibility)s or "
           "'shared':%(visibility)s")

IMAGES = '/image/v2/images'
IMAGE = IMAGES + '/{image_id}'
MEMBERS = IMAGE + '/members'


def _rule(name, check_str, description, *operations):
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': method, 'path': path} for method, path in operations],
        scope_types=['project'])


def list_rules():
    return [
        _rule('add_image', '%s or (%s and project_id:%%(owner)s)' % (ADMIN, OWNER_MEMBER),
              'Create an image (owned by the caller project).', ('POST', IMAGES)),
        _rule('get_images', '%s or (role:reader and project_id:%%(project_id)s)' % ADMIN,
              'List images.', ('GET', IMAGES)),
        _rule('get_image', '%s or (role:reader and (%s))' % (ADMIN, VISIBLE),
              'Show an image.', ('GET', IMAGE)),
        _rule('modify_image', '%s or (%s)' % (ADMIN, OWNER_MEMBER), 'Update an image.',
              ('PATCH', IMAGE), ('PUT', IMAGE + '/tags/{tag}'),
              ('DELETE', IMAGE + '/tags/{tag}')),
        _rule('publicize_image', ADMIN, 'Make an image public.', ('POST', IMAGES),
              ('PATCH', IMAGE)),
        _rule('communitize_image', '%s or (%s)' % (ADMIN, OWNER_MEMBER),
              'Make an image a community image.', ('POST', IMAGES), ('PATCH', IMAGE)),
        _rule('delete_image', '%s or (%s)' % (ADMIN, OWNER_MEMBER), 'Delete an image.',
              ('DELETE', IMAGE)),
        _rule('upload_image', '%s or (%s)' % (ADMIN, OWNER_MEMBER), "Upload image data.",
              ('PUT', IMAGE + '/file')),
        _rule('download_image', '%s or (role:member and (%s))' % (ADMIN, VISIBLE),
              'Download image data.', ('GET', IMAGE + '/file')),
        _rule('add_member', '%s or (%s)' % (ADMIN, OWNER_MEMBER),
              'Share an image with a project.', ('POST', MEMBERS)),
        _rule('delete_member', '%s or (%s)' % (ADMIN, OWNER_MEMBER),
              'Stop sharing an image with a project.',
              ('DELETE', MEMBERS + '/{member_id}')),
        _rule('get_member', '%s or (role:reader and (project_id:%%(project_id)s or '
              'project_id:%%(member_id)s))' % ADMIN, 'Show an image member.',
              ('GET', MEMBERS + '/{member_id}')),
        _rule('get_members', '%s or (role:reader and (project_id:%%(project_id)s or '
              'project_id:%%(member_id)s))' % ADMIN, "List an image's members.",
              ('GET', MEMBERS)),
        _rule('modify_member', '%s or (role:member and project_id:%%(member_id)s)' % ADMIN,
              'Accept or reject an image shared with the caller project.',
              ('PUT', MEMBERS + '/{member_id}')),
    ]
