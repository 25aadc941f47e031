"""Migration bodies of /os-migrations and /servers/{id}/migrations, per microversion.

/os-migrations: 2.1 the record's columns; 2.23 migration_type, and links for in-progress
live migrations; 2.59 uuid; 2.80 user_id and project_id.
/servers/{id}/migrations (2.22+, in-progress live migrations): server_uuid and the memory
and disk progress in bytes; 2.59 uuid; 2.80 user_id and project_id.
"""

from nova.api.openstack import api_version_request
from nova.api.openstack import common
from nova.api.openstack.compute.views import flavors as flavor_views

IN_PROGRESS_LIVE = ('queued', 'preparing', 'running')


def _time(value):
    return value.isoformat() if value is not None else None


def _common(migration):
    return {
        'id': migration.id,
        'status': migration.status,
        'source_node': migration.source_node,
        'source_compute': migration.source_compute,
        'dest_node': migration.dest_node,
        'dest_compute': migration.dest_compute,
        'dest_host': migration.dest_host,
        'created_at': _time(migration.created_at),
        'updated_at': _time(migration.updated_at),
    }


def _owner(req, body, migration):
    if api_version_request.is_supported(req, '2.59'):
        body['uuid'] = migration.uuid
    if api_version_request.is_supported(req, '2.80'):
        body['user_id'] = migration.user_id
        body['project_id'] = migration.project_id


def _links(req, migration):
    path = '%s/servers/%s/migrations/%s' % (flavor_views._project_segment(req),
                                            migration.instance_uuid, migration.id)
    return [
        {'rel': 'self', 'href': common.compute_link(req.application_url + path)},
        {'rel': 'bookmark', 'href': common.compute_link(common.api_root_url(req) + path)},
    ]


def migration(req, migration):
    """One /os-migrations entry."""
    body = _common(migration)
    body.update(instance_uuid=migration.instance_uuid,
                old_instance_type_id=migration.old_instance_type_id,
                new_instance_type_id=migration.new_instance_type_id)
    if api_version_request.is_supported(req, '2.23'):
        body['migration_type'] = migration.migration_type
        if migration.is_live_migration and migration.status in IN_PROGRESS_LIVE:
            body['links'] = _links(req, migration)
    _owner(req, body, migration)
    return body


def live_migration(req, migration):
    """One /servers/{id}/migrations entry."""
    body = _common(migration)
    body.update(server_uuid=migration.instance_uuid,
                memory_total_bytes=migration.memory_total,
                memory_processed_bytes=migration.memory_processed,
                memory_remaining_bytes=migration.memory_remaining,
                disk_total_bytes=migration.disk_total,
                disk_processed_bytes=migration.disk_processed,
                disk_remaining_bytes=migration.disk_remaining)
    _owner(req, body, migration)
    return body
