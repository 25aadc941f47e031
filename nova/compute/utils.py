"""Small pieces the compute path shares: faults, action events and notifications."""

import contextlib
import logging
import sys
import traceback

from nova import exception
from nova import objects
from nova import rpc
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


def add_instance_fault_from_exc(context, instance, fault, exc_info=None, host=None):
    """Record ``fault`` on the instance: what a user sees in the server's "fault"."""
    code = getattr(fault, 'kwargs', {}).get('code', 500)
    if isinstance(fault, exception.NovaException):
        message = fault.format_message()
    else:
        message = fault.__class__.__name__
    details = ''
    if exc_info is not None:
        details = ''.join(traceback.format_exception(*exc_info))
    elif isinstance(fault, exception.NovaException):
        details = message
    objects.InstanceFault(context, instance_uuid=instance.uuid, code=code, message=message,
                          details=details, host=host or CONF.host).create()


@contextlib.contextmanager
def event_reporter(context, instance_uuid, event_name, host=None):
    """Record one event of the current instance action, failed if the body raises."""
    objects.InstanceActionEvent.event_start(context, instance_uuid, event_name,
                                            want_result=False, host=host or CONF.host)
    try:
        yield
    except Exception:
        _type, value, tb = sys.exc_info()
        objects.InstanceActionEvent.event_finish_with_failure(
            context, instance_uuid, event_name, exc_val=value, exc_tb=tb, want_result=False)
        raise
    objects.InstanceActionEvent.event_finish(context, instance_uuid, event_name,
                                             want_result=False)


def finish_event_with_failure(context, instance_uuid, event_name, exc_info):
    """Finish an event of the current action as failed, for a failure already on its way
    up: a failure to record it (the instance is gone) is logged, not raised."""
    _type, value, tb = exc_info
    try:
        objects.InstanceActionEvent.event_finish_with_failure(
            context, instance_uuid, event_name, exc_val=value, exc_tb=tb, want_result=False)
    except Exception:
        LOG.warning('Could not record the failure of %s of instance %s', event_name,
                    instance_uuid, exc_info=True)


def instance_payload(instance, **extra):
    """The legacy (unversioned) notification payload of an instance."""
    payload = {
        'tenant_id': instance.project_id,
        'user_id': instance.user_id,
        'instance_id': instance.uuid,
        'display_name': instance.display_name,
        'reservation_id': instance.reservation_id,
        'hostname': instance.hostname,
        'host': instance.host,
        'node': instance.node,
        'availability_zone': instance.availability_zone,
        'instance_type_id': instance.instance_type_id,
        'memory_mb': instance.memory_mb,
        'vcpus': instance.vcpus,
        'root_gb': instance.root_gb,
        'ephemeral_gb': instance.ephemeral_gb,
        'disk_gb': instance.root_gb + instance.ephemeral_gb,
        'image_ref_url': instance.image_ref,
        'state': instance.vm_state,
        'state_description': instance.task_state or '',
        'created_at': str(instance.created_at) if instance.created_at else '',
        'launched_at': str(instance.launched_at) if instance.launched_at else '',
        'terminated_at': str(instance.terminated_at) if instance.terminated_at else '',
        'metadata': dict(instance.metadata),
    }
    payload.update(extra)
    return payload


def notify_about_instance_usage(context, instance, event_suffix, host=None, **extra):
    """Emit compute.instance.<event_suffix> (e.g. create.start) on the notification bus."""
    if not rpc.initialized():
        return
    notifier = rpc.get_notifier('compute', host or CONF.host)
    notifier.info(context, 'compute.instance.%s' % event_suffix,
                  instance_payload(instance, **extra))
