"""Servers of a list page as nova-api reads them: light, read-only records.

nova-conductor answers a server list with JSON text (nova.conductor.server_listing);
these records read like the Instance objects the server view also takes (attributes,
``obj_attr_is_set``, ``name``, ``flavor``, ``info_cache``, ``fault``), without the cost of
versioned objects, which a read-only list has no use for.
"""

import datetime

import orjson

import nova.conf
from nova.objects import instance as instance_obj

CONF = nova.conf.CONF

_TIMES = ('launched_at', 'terminated_at', 'created_at', 'updated_at')
_SERVICE_TIMES = ('last_seen_up', 'created_at')


class Record:
    """Fields by attribute (plain instance attributes: the view reads dozens per server);
    a field the answer did not carry is not set."""

    def __init__(self, fields):
        self.__dict__.update(fields)

    def obj_attr_is_set(self, name):
        return name in self.__dict__ and not name.startswith('_')

    def __eq__(self, other):
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self.__dict__)


class ServerRecord(Record):
    """One server: instance columns, ``flavor``, ``info_cache``, ``metadata``,
    ``system_metadata`` and what the page was asked to add (``fault``, ``volumes``,
    ``security_groups``, ``tags``, ``pinned_availability_zone``, ``scheduler_hints``)."""

    @property
    def name(self):
        return instance_obj.guest_name(self.id, self.uuid, self._name_template)


def _time(value):
    return datetime.datetime.fromisoformat(value) if value is not None else None


def _server(columns, row, name_template):
    fields = dict(zip(columns, row), _name_template=name_template)
    for name in _TIMES:
        if name in fields:
            fields[name] = _time(fields[name])
    if 'network_info' in fields:
        fields['info_cache'] = Record({'network_info': fields.pop('network_info')})
    if fields.get('flavor') is not None:
        fields['flavor'] = Record(fields['flavor'])
    fault = fields.get('fault')
    if fault is not None:
        fault['created_at'] = _time(fault.get('created_at'))
        fields['fault'] = Record(fault)
    return ServerRecord(fields)


def _service(fields):
    for name in _SERVICE_TIMES:
        fields[name] = _time(fields.get(name))
    return Record(fields)


def read_page(text):
    """(servers, {host: service}) of conductor's answer: ServerRecords in page order and
    Records of the hosts' compute services (for the host status)."""
    page = orjson.loads(text)
    columns = page['columns']
    name_template = CONF.instance_name_template  # read once, not once per server
    servers = [_server(columns, row, name_template) for row in page['rows']]
    services = {host: _service(fields) for host, fields in page['services'].items()}
    return servers, services
