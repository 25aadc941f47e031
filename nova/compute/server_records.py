"""Servers of a list page as nova-api reads them: light, read-only records.

nova-conductor answers a server list with JSON text (nova.conductor.server_listing);
these records read like the Instance objects the server view also takes (attributes,
``obj_attr_is_set``, ``name``, ``flavor``, ``info_cache``, ``fault``), without the cost of
versioned objects, which a read-only list has no use for.
"""

import datetime

from oslo_serialization import jsonutils

from nova.objects import instance as instance_obj

_TIMES = ('launched_at', 'terminated_at', 'created_at', 'updated_at')
_SERVICE_TIMES = ('last_seen_up', 'created_at')


class Record(dict):
    """Fields by attribute; a field the answer did not carry is not set."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def obj_attr_is_set(self, name):
        return name in self


class ServerRecord(Record):
    """One server: instance columns, ``flavor``, ``info_cache``, ``metadata``,
    ``system_metadata`` and what the page was asked to add (``fault``, ``volumes``,
    ``security_groups``, ``tags``, ``pinned_availability_zone``, ``scheduler_hints``)."""

    __slots__ = ()

    @property
    def name(self):
        return instance_obj.guest_name(self['id'], self['uuid'])


def _time(value):
    return datetime.datetime.fromisoformat(value) if value is not None else None


def _server(columns, row):
    server = ServerRecord(zip(columns, row))
    for name in _TIMES:
        if name in server:
            server[name] = _time(server[name])
    if 'network_info' in server:
        server['info_cache'] = Record(network_info=server.pop('network_info'))
    if server.get('flavor') is not None:
        server['flavor'] = Record(server['flavor'])
    fault = server.get('fault')
    if fault is not None:
        fault['created_at'] = _time(fault.get('created_at'))
        server['fault'] = Record(fault)
    return server


def _service(columns):
    service = Record(columns)
    for name in _SERVICE_TIMES:
        service[name] = _time(service.get(name))
    return service


def read_page(text):
    """(servers, {host: service}) of conductor's answer: ServerRecords in page order and
    Records of the hosts' compute services (for the host status)."""
    page = jsonutils.loads(text)
    columns = page['columns']
    servers = [_server(columns, row) for row in page['rows']]
    services = {host: _service(columns) for host, columns in page['services'].items()}
    return servers, services
