"""A small cloud in the database: compute services with nodes, and unplaced instances."""

from nova import objects
from tests.unit.scheduler import fakes


def add_compute(ctx, host, node=None, memory_mb=4096, vcpus=4, local_gb=40,
                memory_mb_used=0, **kwargs):
    if not objects.ServiceList.get_by_binary(ctx, 'nova-compute', include_disabled=True) or \
            host not in {s.host for s in objects.ServiceList.get_by_binary(
                ctx, 'nova-compute', include_disabled=True)}:
        objects.Service(context=ctx, host=host, binary='nova-compute',
                        topic='compute').create()
    values = dict(host=host, hypervisor_hostname=node or host, vcpus=vcpus,
                  memory_mb=memory_mb, local_gb=local_gb, vcpus_used=0,
                  memory_mb_used=memory_mb_used, local_gb_used=0,
                  free_ram_mb=memory_mb - memory_mb_used, free_disk_gb=local_gb,
                  running_vms=0, hypervisor_type='fake', hypervisor_version=1000,
                  cpu_info='{"arch": "x86_64"}', cpu_allocation_ratio=1.0,
                  ram_allocation_ratio=1.0, disk_allocation_ratio=1.0)
    values.update(kwargs)
    node = objects.ComputeNode(context=ctx, **values)
    node.create()
    return node


def add_instance(ctx, flavor=None, **kwargs):
    flavor = flavor or fakes.flavor()
    values = dict(project_id='p1', user_id='u1', vm_state='building',
                  task_state='scheduling', vcpus=flavor.vcpus, memory_mb=flavor.memory_mb,
                  root_gb=flavor.root_gb, ephemeral_gb=flavor.ephemeral_gb,
                  display_name='vm', host=None, node=None, flavor=flavor)
    values.update(kwargs)
    instance = objects.Instance(context=ctx, **values)
    instance.create()
    return instance
