"""/servers/{server_id}/migrations: a server's in-progress live migrations (2.23), forcing
one to complete (2.22) and aborting one (2.24; 2.65 also while queued or preparing).
Administrators only."""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import action_base
from nova.api.openstack.compute import servers
from nova.api.openstack.compute.views import migrations as views

RULE = 'os_compute_api:servers:migrations:%s'

force_complete_schema = {
    # tempest sends the string 'null'; the value carries nothing.
    'type': 'object', 'properties': {'force_complete': {}},
    'required': ['force_complete'], 'additionalProperties': False,
}


class ServerMigrationsController(action_base.ActionController):

    @wsgi.api_version('2.23')
    @wsgi.expected_errors((403, 404))
    def index(self, req, server_id):
        context, instance = self.instance(req, server_id, RULE % 'index')
        migrations = self.compute_api.get_migrations_in_progress_by_instance(
            context, instance.uuid, 'live-migration')
        return {'migrations': [views.live_migration(req, m) for m in migrations]}

    @wsgi.api_version('2.23')
    @wsgi.expected_errors((403, 404))
    def show(self, req, server_id, id):
        context, instance = self.instance(req, server_id, RULE % 'show')
        try:
            migration = self.compute_api.get_migration_by_id_and_instance(
                context, id, instance.uuid)
        except exception.MigrationNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        if not migration.is_live_migration or \
                migration.status not in views.IN_PROGRESS_LIVE:
            raise webob.exc.HTTPNotFound(explanation=(
                "In-progress live migration %s is not found for server %s." % (
                    id, server_id)))
        return {'migration': views.live_migration(req, migration)}

    @wsgi.api_version('2.22')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    def action(self, req, server_id, id, body):
        validation.validate(force_complete_schema, body)
        context, instance = self.instance(req, server_id, RULE % 'force_complete')
        self._run(server_id, 'force_complete', self.compute_api.live_migrate_force_complete,
                  context, instance, id)

    @wsgi.api_version('2.24')
    @wsgi.response(202)
    @wsgi.expected_errors((400, 403, 404, 409))
    def delete(self, req, server_id, id):
        context, instance = self.instance(req, server_id, RULE % 'delete')
        self._run(server_id, 'abort live migration', self.compute_api.live_migrate_abort,
                  context, instance, id,
                  allow_queued=api_version_request.is_supported(req, '2.65'))

    @staticmethod
    def _run(server_id, action, call, *args, **kwargs):
        try:
            call(*args, **kwargs)
        except exception.MigrationNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
        except exception.InvalidMigrationState as exc:
            raise webob.exc.HTTPBadRequest(explanation=exc.format_message())
        except exception.InstanceInvalidState as exc:
            servers.conflict_for_state(exc, action, server_id)
