"""Server actions that move a server between hosts: resize, confirmResize, revertResize,
migrate (cold), os-migrateLive and evacuate.

Each validates its body for the microversion, checks its policy rule, and asks
``compute.api.API``; the move itself runs asynchronously (conductor, then the compute
hosts), so the answers are 202 (confirmResize 204, evacuate 200).
"""

from oslo_utils import strutils
import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.schemas import server_moves as schemas
import nova.conf
from nova.i18n import _
from nova.policy import authorize

CONF = nova.conf.CONF

SERVERS_RULE = 'os_compute_api:servers:%s'
MIGRATE_RULE = 'os_compute_api:os-migrate-server:migrate'
MIGRATE_HOST_RULE = 'os_compute_api:os-migrate-server:migrate:host'
MIGRATE_LIVE_RULE = 'os_compute_api:os-migrate-server:migrate_live'
EVACUATE_RULE = 'os_compute_api:os-evacuate'


def _supported(req, version):
    return api_version_request.is_supported(req, version)


def _target(instance):
    return {'project_id': instance.project_id, 'user_id': instance.user_id}


def _bad_request(exc):
    return webob.exc.HTTPBadRequest(explanation=exc.format_message())


class ServerMovesController(action_base.ActionController):

    # -- resize, confirmResize, revertResize -----------------------------------------------

    @wsgi.response(202)
    @wsgi.expected_errors((400, 401, 403, 404, 409))
    def resize(self, req, id, body):
        validation.validate(schemas.resize, body)
        context, instance = self.instance(req, id, SERVERS_RULE % 'resize')
        resize = body['resize']
        disk_config = resize.get('OS-DCF:diskConfig')
        try:
            with action_base.answers('resize', id):
                self.compute_api.resize(context, instance,
                                        flavor_id=str(resize['flavorRef']),
                                        auto_disk_config=None if disk_config is None
                                        else disk_config == 'AUTO')
        except exception.FlavorNotFound:
            raise webob.exc.HTTPBadRequest(
                explanation=_('Unable to locate requested flavor.'))
        except (exception.CannotResizeToSameFlavor, exception.CannotResizeDisk) as exc:
            raise _bad_request(exc)
        except exception.OverQuota as exc:
            raise webob.exc.HTTPForbidden(explanation=exc.format_message())

    @wsgi.response(204)
    @wsgi.expected_errors((400, 404, 409))
    def confirm_resize(self, req, id, body):
        validation.validate(schemas.confirm_resize, body)
        context, instance = self.instance(req, id, SERVERS_RULE % 'confirm_resize')
        try:
            with action_base.answers('confirmResize', id):
                self.compute_api.confirm_resize(context, instance)
        except exception.MigrationNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Instance has not been resized.'))

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    def revert_resize(self, req, id, body):
        validation.validate(schemas.revert_resize, body)
        context, instance = self.instance(req, id, SERVERS_RULE % 'revert_resize')
        try:
            with action_base.answers('revertResize', id):
                self.compute_api.revert_resize(context, instance)
        except exception.MigrationNotFound:
            raise webob.exc.HTTPBadRequest(explanation=_('Instance has not been resized.'))

    # -- migrate (cold) --------------------------------------------------------------------

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    def migrate(self, req, id, body):
        host = None
        if _supported(req, '2.56'):
            validation.validate(schemas.migrate_v256, body)
            host = (body['migrate'] or {}).get('host')
        else:
            validation.validate(schemas.migrate, body)
        context, instance = self.instance(req, id, MIGRATE_RULE)
        if host:
            authorize(context, MIGRATE_HOST_RULE, target=_target(instance))
        try:
            with action_base.answers('migrate', id):
                self.compute_api.resize(context, instance, host_name=host)
        except (exception.ComputeHostNotFound, exception.UnableToMigrateToSelf) as exc:
            raise _bad_request(exc)

    # -- os-migrateLive --------------------------------------------------------------------

    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    def migrate_live(self, req, id, body):
        if _supported(req, '2.68'):
            validation.validate(schemas.migrate_live_v268, body)
        elif _supported(req, '2.30'):
            validation.validate(schemas.migrate_live_v230, body)
        elif _supported(req, '2.25'):
            validation.validate(schemas.migrate_live_v225, body)
        else:
            validation.validate(schemas.migrate_live, body)
        context, instance = self.instance(req, id, MIGRATE_LIVE_RULE)
        live = body['os-migrateLive']
        block_migration = live['block_migration']
        if block_migration == 'auto':
            block_migration = None
        else:
            block_migration = strutils.bool_from_string(block_migration, strict=True)
        force = strutils.bool_from_string(live.get('force', False), strict=True)
        host = live.get('host')
        try:
            with action_base.answers('os-migrateLive', id):
                self.compute_api.live_migrate(context, instance, block_migration, host,
                                              force=force and bool(host))
        except (exception.ComputeHostNotFound, exception.UnableToMigrateToSelf,
                exception.ComputeServiceUnavailable) as exc:
            raise _bad_request(exc)

    # -- evacuate --------------------------------------------------------------------------

    @wsgi.expected_errors((400, 403, 404, 409))
    def evacuate(self, req, id, body):
        if _supported(req, '2.68'):
            validation.validate(schemas.evacuate_v268, body)
        elif _supported(req, '2.29'):
            validation.validate(schemas.evacuate_v229, body)
        elif _supported(req, '2.14'):
            validation.validate(schemas.evacuate_v214, body)
        else:
            validation.validate(schemas.evacuate, body)
        context, instance = self.instance(req, id, EVACUATE_RULE)
        evacuate = body['evacuate']
        host = evacuate.get('host')
        force = strutils.bool_from_string(evacuate.get('force', False), strict=True)
        password = evacuate.get('adminPass')
        on_shared_storage = False
        if not _supported(req, '2.14'):
            on_shared_storage = strutils.bool_from_string(evacuate['onSharedStorage'],
                                                          strict=True)
            if on_shared_storage and password:
                raise webob.exc.HTTPBadRequest(
                    explanation=_("admin password can't be changed on existing disk"))
            if not on_shared_storage and not password:
                password = servers.generate_password()
        elif not password:
            password = servers.generate_password()
        if host is not None and host == instance.host:
            raise webob.exc.HTTPBadRequest(
                explanation=_("The target host can't be the same one."))
        try:
            # From 2.95 an evacuated server is stopped at its destination.
            with action_base.answers('evacuate', id):
                self.compute_api.evacuate(
                    context, instance, host, admin_password=password,
                    force=force and bool(host),
                    target_state='stopped' if _supported(req, '2.95') else None)
        except exception.ComputeHostNotFound:
            raise webob.exc.HTTPNotFound(
                explanation=_('Compute host %s not found.') % host)
        except exception.ComputeServiceStillInUse as exc:
            raise _bad_request(exc)
        if (not _supported(req, '2.14') and CONF.api.enable_instance_password and
                not on_shared_storage):
            return {'adminPass': password}
        return None
