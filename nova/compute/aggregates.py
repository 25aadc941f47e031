"""Host aggregates as the API sees them, and availability zones derived from them.

A host's availability zone is the ``availability_zone`` metadata of an aggregate it is in,
else [DEFAULT] default_availability_zone. A host may be in one zone only: adding it to an
aggregate of another zone, or giving an aggregate a zone some of its hosts are already in
under another name, is refused with upstream's messages.
"""

import logging

from nova import exception
from nova import objects
from nova.compute import rpcapi as compute_rpcapi
import nova.conf
from nova.i18n import _
from nova.image import api as image_api
from nova.objects import aggregate as aggregate_obj

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

AZ_KEY = aggregate_obj.AZ_KEY

ADD, UPDATE, UPDATE_META, DELETE = 'add', 'update', 'update_meta', 'delete'
_INVALID = {
    ADD: exception.InvalidAggregateActionAdd,
    UPDATE: exception.InvalidAggregateActionUpdate,
    UPDATE_META: exception.InvalidAggregateActionUpdateMeta,
    DELETE: exception.InvalidAggregateActionDelete,
}


def host_availability_zones(context):
    """{host: zone} of every host some aggregate gives a zone."""
    zones = {}
    for aggregate in objects.AggregateList.get_all(context):
        zone = aggregate.availability_zone
        if zone:
            for host in aggregate.hosts:
                zones.setdefault(host, zone)
    return zones


def availability_zone_of_host(context, host):
    for aggregate in objects.AggregateList.get_by_host(context, host):
        if aggregate.availability_zone:
            return aggregate.availability_zone
    return CONF.default_availability_zone


class AggregateAPI:

    def __init__(self):
        self._compute_rpcapi = None

    @property
    def compute_rpcapi(self):
        if self._compute_rpcapi is None:
            self._compute_rpcapi = compute_rpcapi.ComputeAPI()
        return self._compute_rpcapi

    @staticmethod
    def _refuse(action, aggregate_id, reason):
        raise _INVALID[action](aggregate_id=aggregate_id, reason=reason)

    def _check_zone(self, context, metadata, aggregate, action, hosts=None):
        """Refuse an empty zone name, and a zone that puts a host in two zones."""
        if AZ_KEY not in metadata:
            return
        zone = metadata[AZ_KEY]
        if not zone:
            self._refuse(action, aggregate.id, _(
                'Aggregate %s does not support empty named availability zone')
                % aggregate.name)
        conflicting = []
        for host in hosts or aggregate.hosts:
            for other in objects.AggregateList.get_by_host(context, host):
                if (other.id != aggregate.id and other.availability_zone and
                        other.availability_zone != zone):
                    conflicting.append(other.availability_zone)
        if conflicting:
            self._refuse(action, aggregate.id, _(
                'One or more hosts already in availability zone(s) %s') % conflicting)
        if action != ADD and aggregate.hosts and zone != aggregate.availability_zone:
            current = aggregate.availability_zone or CONF.default_availability_zone
            busy = [i for host in aggregate.hosts
                    for i in objects.InstanceList.get_by_host(context, host)
                    if (i.availability_zone or current) != zone]
            if busy:
                self._refuse(action, aggregate.id, _(
                    'One or more hosts contain instances in this zone'))

    def create_aggregate(self, context, name, availability_zone=None):
        aggregate = objects.Aggregate(context, name=name)
        if availability_zone:
            aggregate.metadata = {AZ_KEY: availability_zone}
        aggregate.create()  # AggregateNameExists
        return aggregate

    def get_aggregate(self, context, aggregate_id):
        return objects.Aggregate.get_by_id(context, aggregate_id)

    def get_aggregate_list(self, context):
        return objects.AggregateList.get_all(context)

    def update_aggregate(self, context, aggregate_id, values):
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        values = dict(values)
        metadata = {AZ_KEY: values.pop(AZ_KEY)} if AZ_KEY in values else {}
        self._check_zone(context, metadata, aggregate, UPDATE)
        if 'name' in values:
            aggregate.name = values['name']
            aggregate.save()  # AggregateNameExists
        if metadata:
            aggregate.update_metadata(metadata)
        return aggregate

    def update_aggregate_metadata(self, context, aggregate_id, metadata):
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        self._check_zone(context, metadata, aggregate, UPDATE_META)
        aggregate.update_metadata(metadata)
        return aggregate

    def delete_aggregate(self, context, aggregate_id):
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        if aggregate.hosts:
            self._refuse(DELETE, aggregate_id, _('Host aggregate is not empty'))
        aggregate.destroy()

    def add_host_to_aggregate(self, context, aggregate_id, host):
        objects.Service.get_by_compute_host(context, host)  # ComputeHostNotFound
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        self._check_zone(context, aggregate.metadata, aggregate, ADD, hosts=[host])
        aggregate.add_host(host)  # AggregateHostExists
        return aggregate

    def remove_host_from_aggregate(self, context, aggregate_id, host):
        objects.Service.get_by_compute_host(context, host)  # ComputeHostNotFound
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        aggregate.delete_host(host)  # AggregateHostNotFound
        return aggregate

    def cache_images(self, context, aggregate_id, image_ids):
        """Ask every host of the aggregate to fetch the images into its cache
        (ImageNotFound for an image that is not there, before anything is sent)."""
        aggregate = objects.Aggregate.get_by_id(context, aggregate_id)
        images = image_api.API()
        for image_id in image_ids:
            images.get(context, image_id)
        for host in aggregate.hosts:
            LOG.info('Asking %s to cache images %s', host, ', '.join(image_ids))
            self.compute_rpcapi.cache_images(context, host, list(image_ids))
