"""The route table of the built-in image API (paths below /image) and its paste app."""

from nova.api.image import images
from nova.api.image import members
from nova.api.image import versions
from nova.api.image import wsgi
from nova.image import api as image_api


def route_table():
    versions_ctl = versions.VersionsController()
    images_ctl = images.ImagesController()
    members_ctl = members.MembersController()
    schemas_ctl = images.SchemasController()
    return (
        ('', {'GET': versions_ctl.index}),
        ('/', {'GET': versions_ctl.index}),
        ('/versions', {'GET': versions_ctl.index}),
        ('/v2/images', {'GET': images_ctl.index, 'POST': images_ctl.create}),
        ('/v2/images/{image_id}', {'GET': images_ctl.show, 'PATCH': images_ctl.update,
                                   'DELETE': images_ctl.delete}),
        ('/v2/images/{image_id}/file', {'PUT': images_ctl.upload,
                                        'GET': images_ctl.download}),
        ('/v2/images/{image_id}/tags/{tag_value}', {'PUT': images_ctl.add_tag,
                                                    'DELETE': images_ctl.delete_tag}),
        ('/v2/images/{image_id}/members', {'GET': members_ctl.index,
                                           'POST': members_ctl.create}),
        ('/v2/images/{image_id}/members/{member_id}', {'GET': members_ctl.show,
                                                       'PUT': members_ctl.update,
                                                       'DELETE': members_ctl.delete}),
        ('/v2/schemas/image', {'GET': schemas_ctl.image}),
        ('/v2/schemas/images', {'GET': schemas_ctl.images}),
        ('/v2/schemas/member', {'GET': schemas_ctl.member}),
        ('/v2/schemas/members', {'GET': schemas_ctl.members}),
    )


def app_factory(global_config, **local_config):
    """paste.app_factory of ``image_app``: this process now serves the local store."""
    image_api.serve_local_store()
    return wsgi.Router(route_table())
