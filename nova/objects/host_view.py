"""SchedulerHostView: what the scheduler reads to build its host states, in one call.

The compute nodes, the nova-compute services (disabled ones too: the filters decide) and
the host aggregates. Read as three lists, these were three conductor round trips for every
scheduling request; a boot storm makes one request per server.
"""

from nova.objects import aggregate as aggregate_obj
from nova.objects import base
from nova.objects import compute_node as compute_node_obj
from nova.objects import fields
from nova.objects import service as service_obj


@base.NovaObjectRegistry.register
class SchedulerHostView(base.NovaObject):
    VERSION = '1.0'

    fields = {
        'compute_nodes': fields.ObjectField('ComputeNodeList'),
        'services': fields.ObjectField('ServiceList'),
        'aggregates': fields.ObjectField('AggregateList'),
    }

    @classmethod
    @base.remotable
    def get(cls, context):
        return cls(context,
                   services=service_obj.ServiceList.get_by_binary(
                       context, 'nova-compute', include_disabled=True),
                   aggregates=aggregate_obj.AggregateList.get_all(context),
                   compute_nodes=compute_node_obj.ComputeNodeList.get_all(context))
