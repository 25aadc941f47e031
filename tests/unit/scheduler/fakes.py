"""HostState and RequestSpec fixtures for scheduler unit tests (no database)."""

from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import objects
from nova.scheduler import host_manager

_NODE_DEFAULTS = dict(vcpus=8, memory_mb=8192, local_gb=100, vcpus_used=0,
                      memory_mb_used=512, local_gb_used=0, hypervisor_type='QEMU',
                      hypervisor_version=8000000, running_vms=0,
                      cpu_info='{"arch": "x86_64", "model": "Haswell"}', stats={},
                      cpu_allocation_ratio=4.0, ram_allocation_ratio=1.0,
                      disk_allocation_ratio=1.0, host_ip=None, updated_at=None)


def compute_node(host='host1', node=None, **kwargs):
    values = dict(_NODE_DEFAULTS, id=abs(hash((host, node))) % 100000,
                  uuid=uuidutils.generate_uuid(), host=host,
                  hypervisor_hostname=node or host)
    values.update(kwargs)
    return objects.ComputeNode(**values)


def service(host='host1', disabled=False, up=True, **kwargs):
    seen = timeutils.utcnow() if up else timeutils.utcnow().replace(year=2000)
    values = dict(host=host, binary='nova-compute', disabled=disabled, forced_down=False,
                  report_count=1, last_seen_up=seen)
    values.update(kwargs)
    return objects.Service(**values)


def host_state(host='host1', node=None, disabled=False, up=True, aggregates=None,
               instances=None, **node_values):
    return host_manager.HostState(compute_node(host, node, **node_values),
                                  service(host, disabled=disabled, up=up),
                                  aggregates=aggregates, instances=instances)


def flavor(vcpus=1, memory_mb=512, root_gb=10, ephemeral_gb=0, extra_specs=None):
    return objects.Flavor(id=1, name='m1', flavorid='1', vcpus=vcpus, memory_mb=memory_mb,
                          root_gb=root_gb, ephemeral_gb=ephemeral_gb, swap=0,
                          disabled=False, is_public=True, extra_specs=extra_specs or {},
                          projects=[])


def request_spec(num_instances=1, **kwargs):
    values = dict(instance_uuid=uuidutils.generate_uuid(), project_id='p1', user_id='u1',
                  num_instances=num_instances)
    if 'flavor' not in kwargs:
        values['flavor'] = flavor()
    values.update(kwargs)
    spec = objects.RequestSpec(**values)
    spec.obj_set_defaults()
    return spec
