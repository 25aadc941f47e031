"""Server side of the conductor RPC API: runs object methods against the database."""

import logging

import oslo_messaging as messaging

from nova import exception
from nova import manager
from nova.conductor import server_listing
from nova.conductor import tasks
from nova.objects import base as objects_base

LOG = logging.getLogger(__name__)


class ConductorManager(manager.Manager):
    """Object indirection for every service that may not touch the database; build
    orchestration in the 'compute_task' namespace (nova.conductor.tasks)."""

    target = messaging.Target(version='1.2')
    service_name = 'conductor'

    def __init__(self, host=None):
        super().__init__(host=host)
        self.additional_endpoints = [tasks.ComputeTaskManager()]

    @messaging.expected_exceptions(exception.NovaException)
    def object_class_action_versions(self, context, objname, objmethod, object_versions,
                                     args, kwargs):
        """Run a remotable classmethod; answer in the caller's object versions."""
        objclass = objects_base.NovaObject.obj_class_from_name(
            objname, object_versions[objname])
        result = getattr(objclass, objmethod)(context, *args, **kwargs)
        if isinstance(result, objects_base.NovaObject):
            return result.obj_to_primitive(target_version=object_versions[objname],
                                           version_manifest=object_versions)
        return result

    @messaging.expected_exceptions(exception.NovaException)
    def object_action(self, context, objinst, objmethod, args, kwargs):
        """Run a remotable method on ``objinst``; return (field updates, result).

        The caller applies the updates to its own copy, so fields the method set (ids,
        timestamps) arrive without a second round trip.
        """
        objinst._context = context  # instance methods take their context from the object
        before = objinst.obj_clone()
        result = getattr(objinst, objmethod)(*args, **kwargs)
        updates = {}
        for name, field in objinst.fields.items():
            if not objinst.obj_attr_is_set(name):
                continue
            value = getattr(objinst, name)
            if not before.obj_attr_is_set(name) or getattr(before, name) != value:
                updates[name] = field.to_primitive(objinst, name, value)
        updates['obj_what_changed'] = sorted(objinst.obj_what_changed())
        return updates, result

    @messaging.expected_exceptions(exception.NovaException)
    def list_servers(self, context, filters, limit=None, marker=None, sort_keys=None,
                     sort_dirs=None, detail=True, extras=()):
        """A page of the Compute API's server list as JSON text (1.1; the
        'server_groups' extra since 1.2)."""
        return server_listing.list_servers(context, filters, limit=limit, marker=marker,
                                           sort_keys=sort_keys, sort_dirs=sort_dirs,
                                           detail=detail, extras=extras)

    def object_backport_versions(self, context, objinst, object_versions):
        target = object_versions[objinst.obj_name()]
        LOG.debug('Backporting %s to %s', objinst.obj_name(), target)
        return objinst.obj_to_primitive(target_version=target, version_manifest=object_versions)
