"""A page of servers for the Compute API's lists, in one conductor call.

A server list used to cost nova-conductor an InstanceList (every field, flavors rebuilt as
objects, all serialized field by field) and then one call per extra (volumes, security
groups, faults, tags, host services, request specs), and nova-api as much again to rebuild
the objects. The list only reads, and shows a fixed subset: here conductor reads exactly
that (nova.db.main.server_listing) and answers with one JSON text, which crosses the bus
as a single string (the object serializer walks every value of a nested answer; a string
it passes as is) and nova-api turns into records (nova.compute.server_records).

The text is ``{"columns": [...], "rows": [[...], ...], "services": {host: {...}}}``:
a row per server with a value per column. Times are ISO 8601 text, naive UTC, with their
microseconds; ``flavor`` is the current flavor's fields (FLAVOR_FIELDS) or null.
"""

import datetime
import operator

import orjson
from oslo_serialization import jsonutils

from nova.db.api import api as api_db
from nova.db.main import server_listing as server_listing_db
from nova.objects import request_spec as request_spec_obj

# What a server body shows of the instance's flavor (views/servers.py).
FLAVOR_FIELDS = ('vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb', 'swap', 'name',
                 'flavorid', 'extra_specs')

# Extras the API database holds rather than the cell database: the request spec's zone and
# hints; the server group the instance is in (``server_groups``: [uuid] or [], since 1.2).
ZONES_AND_HINTS = 'zones_and_hints'
SERVER_GROUPS = 'server_groups'
EXTRAS = server_listing_db.EXTRAS + (ZONES_AND_HINTS, SERVER_GROUPS)


def _flavor(flavors_text):
    """The current flavor's shown fields from the instance's flavors document."""
    if not flavors_text:
        return None
    primitive = jsonutils.loads(flavors_text).get('cur')
    if not primitive:
        return None
    data = primitive.get('nova_object.data', {})
    return {name: data[name] for name in FLAVOR_FIELDS if name in data}


def _json_default(value):
    """JSON of what a page holds beside plain types: datetimes, as ISO 8601 text (naive
    UTC; orjson's own form would keep a zone). The encoder asks only for those values,
    not for each of the page's thousands."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    raise TypeError('%r is not JSON serializable' % (value,))


def list_servers(context, filters, limit=None, marker=None, sort_keys=None, sort_dirs=None,
                 detail=True, extras=()):
    """The JSON text of one page (see the module doc); ``extras`` names what to add to
    each server beside its columns (EXTRAS; the database's page refuses any other)."""
    extras = set(extras or ())
    servers, services = server_listing_db.page(
        context, filters, limit=limit, marker=marker, sort_keys=sort_keys,
        sort_dirs=sort_dirs, detail=detail, extras=extras - {ZONES_AND_HINTS, SERVER_GROUPS})
    if detail:
        # Servers of one flavor carry the same flavors document: parse each text once.
        flavors = {}
        for server in servers:
            text = server.pop('flavors')
            if text not in flavors:
                flavors[text] = _flavor(text)
            server['flavor'] = flavors[text]
    if detail and ZONES_AND_HINTS in extras and servers:
        found = request_spec_obj.RequestSpec.get_zones_and_hints(
            context, [server['uuid'] for server in servers])
        for server in servers:
            zone, hints = found.get(server['uuid'], (None, {}))
            server['pinned_availability_zone'] = zone
            server['scheduler_hints'] = hints
    if SERVER_GROUPS in extras and servers:
        groups = api_db.instance_group_uuids_by_instance(
            context, [server['uuid'] for server in servers])
        for server in servers:
            group = groups.get(server['uuid'])
            server['server_groups'] = [group] if group else []
    columns = list(servers[0]) if servers else []
    row = operator.itemgetter(*columns) if columns else None
    return orjson.dumps({'columns': columns, 'rows': [row(server) for server in servers],
                         'services': services}, default=_json_default,
                        option=orjson.OPT_PASSTHROUGH_DATETIME).decode()
