"""POST /servers/{id}/action {"rebuild": ...}: the server again, on its host, from an image.

The answer is the server body: before 2.75 the short one PUT gives (with key_name from
2.54 and user_data from 2.57), from 2.75 the whole body GET shows (user_data in place of
OS-EXT-SRV-ATTR:user_data); adminPass when [api] enable_instance_password.
"""

import base64
import binascii

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import server_rebuild as schemas
from nova.compute import api as compute_api
import nova.conf
from nova.i18n import _
from nova.policy import authorize

CONF = nova.conf.CONF

REBUILD_RULE = 'os_compute_api:servers:rebuild'
TRUSTED_CERTS_RULE = 'os_compute_api:servers:rebuild:trusted_certs'

# Request key -> Instance field, and the microversion from which the key exists.
_CHANGES = (('name', 'display_name', '2.1'), ('description', 'display_description', '2.19'),
            ('metadata', 'metadata', '2.1'), ('accessIPv4', 'access_ip_v4', '2.1'),
            ('accessIPv6', 'access_ip_v6', '2.1'), ('key_name', 'key_name', '2.54'),
            ('user_data', 'user_data', '2.57'), ('hostname', 'hostname', '2.90'))


def _supported(req, version):
    return api_version_request.is_supported(req, version)


def _decode(text, what):
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        raise webob.exc.HTTPBadRequest(explanation=_('%s content cannot be decoded') % what)


def target(instance):
    return {'project_id': instance.project_id, 'user_id': instance.user_id}


class ServerRebuildController:

    def __init__(self):
        self.compute_api = compute_api.API()

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    @validation.schema(schemas.rebuild, '2.1', '2.18')
    @validation.schema(schemas.rebuild_v219, '2.19', '2.53')
    @validation.schema(schemas.rebuild_v254, '2.54', '2.56')
    @validation.schema(schemas.rebuild_v257, '2.57', '2.62')
    @validation.schema(schemas.rebuild_v263, '2.63', '2.89')
    @validation.schema(schemas.rebuild_v290, '2.90', '2.93')
    @validation.schema(schemas.rebuild_v294, '2.94')
    def rebuild(self, req, id, body):
        context = req.environ['nova.context']
        rebuild = body['rebuild']
        instance = servers.get_instance(self.compute_api, context, id)
        authorize(context, REBUILD_RULE, target=target(instance))
        if rebuild.get('trusted_image_certificates'):
            authorize(context, TRUSTED_CERTS_RULE, target=target(instance))
            raise webob.exc.HTTPBadRequest(explanation=_(
                'Image signature certificate validation is not supported by this cloud: '
                'trusted_image_certificates cannot be used.'))
        changes = {field: rebuild[key] for key, field, version in _CHANGES
                   if key in rebuild and _supported(req, version)}
        if changes.get('user_data') is not None:
            _decode(changes['user_data'], 'Userdata')
        if 'OS-DCF:diskConfig' in rebuild:
            changes['auto_disk_config'] = rebuild['OS-DCF:diskConfig'] == 'AUTO'
        if 'preserve_ephemeral' in rebuild:
            changes['preserve_ephemeral'] = str(rebuild['preserve_ephemeral']).lower() in (
                'true', '1', 'on', 'yes')
        files = [(item.get('path'), _decode(item.get('contents', ''), 'Personality'))
                 for item in rebuild.get('personality') or []]
        password = rebuild.get('adminPass') or servers.generate_password()
        try:
            instance = self.compute_api.rebuild(context, instance, rebuild['imageRef'],
                                                password, files_to_inject=files, **changes)
        except exception.InstanceNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except exception.InstanceInvalidState as exc:
            servers.conflict_for_state(exc, 'rebuild', id)
        except exception.InstanceNotReady as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except exception.ImageNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Cannot find image for rebuild'))
        except exception.KeypairNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Invalid key_name provided.'))
        except exception.OverQuota as exc:
            raise webob.exc.HTTPForbidden(explanation=exc.format_message())
        except exception.Conflict as exc:
            raise webob.exc.HTTPConflict(explanation=exc.format_message())
        except exception.Invalid as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        full = _supported(req, '2.75')
        body = servers.ServersController._show(req, context, instance, full=full)
        server = body['server']
        if full:
            server.pop('OS-EXT-SRV-ATTR:user_data', None)
        elif _supported(req, '2.54'):
            server['key_name'] = instance.key_name
        if _supported(req, '2.57'):
            server['user_data'] = instance.user_data
        if CONF.api.enable_instance_password:
            server['adminPass'] = password
        return body
