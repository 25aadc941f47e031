"""POST /servers/{id}/action {"createImage": ...} and {"createBackup": ...}: images of a
server's disk through the image API.

Both answer 202: up to 2.44 with the image's URL in the Location header (and no body),
from 2.45 with {"image_id": ...} in the body and no Location.
"""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import server_images as schemas
from nova.compute import api as compute_api
from nova.policy import authorize

CREATE_IMAGE_RULE = 'os_compute_api:servers:create_image'
CREATE_BACKUP_RULE = 'os_compute_api:os-create-backup'


def _answer(req, context, image):
    if api_version_request.is_supported(req, '2.45'):
        return wsgi.ResponseObject({'image_id': image['id']})
    location = '/'.join(part.strip('/') for part in (
        req.application_url, context.project_id or '', 'images', image['id']) if part)
    return wsgi.ResponseObject(None, headers={'Location': location})


class ServerImagesController:

    def __init__(self):
        self.compute_api = compute_api.API()

    def _call(self, req, server_id, rule, action, method, *args, **kwargs):
        context = req.environ['nova.context']
        instance = servers.get_instance(self.compute_api, context, server_id)
        authorize(context, rule, target={'project_id': instance.project_id,
                                         'user_id': instance.user_id})
        try:
            image = method(context, instance, *args, **kwargs)
        except exception.InstanceNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except exception.InstanceInvalidState as exc:
            servers.conflict_for_state(exc, action, server_id)
        except exception.OverQuota as exc:
            raise webob.exc.HTTPForbidden(explanation=exc.format_message())
        except exception.Conflict as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except exception.Invalid as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        return _answer(req, context, image)

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.create_image)
    def create_image(self, req, id, body):
        params = body['createImage']
        return self._call(req, id, CREATE_IMAGE_RULE, 'createImage',
                          self.compute_api.snapshot, params['name'],
                          extra_properties=params.get('metadata') or {})

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.create_backup)
    def create_backup(self, req, id, body):
        params = body['createBackup']
        return self._call(req, id, CREATE_BACKUP_RULE, 'createBackup',
                          self.compute_api.backup, params['name'], params['backup_type'],
                          int(params['rotation']),
                          extra_properties=params.get('metadata') or {})
