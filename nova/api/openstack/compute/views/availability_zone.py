"""Availability zones as /os-availability-zone shows them."""

from nova import servicegroup


def zone(name, available, hosts=None):
    return {'zoneName': name, 'zoneState': {'available': available}, 'hosts': hosts}


def host_services(services):
    """{binary: {available, active, updated_at}} of one host's services in a zone."""
    return {service.binary: {'available': servicegroup.service_is_up(service),
                             'active': not service.disabled,
                             'updated_at': service.updated_at}
            for service in services}
