"""The service catalog: the services and endpoints tokens show, and the ones bootstrap makes.

Clients find every service through it: keystoneauth picks an endpoint by service type,
interface and region, so each entry carries ``type`` and endpoints with ``interface``,
``region``, ``region_id`` and ``url`` (the v3 catalog format).
"""

# type -> (name, path below nova-api's base URL), for the services nova-api serves itself.
# The identity URL is unversioned: clients discover /identity/v3 from it.
SERVICES = {
    'identity': ('keystone', '/identity'),
    'compute': ('nova', '/v2.1'),
    'image': ('glance', '/image'),
}
# Services that live elsewhere (their own port or daemon): bootstrap adds them when given a
# URL for them.
OPTIONAL_SERVICES = {
    'network': 'neutron',
    'ec2': 'ec2',
}


def catalog_view(services):
    """The v3 catalog from IdentityCatalog.get_catalog()'s services (enabled ones only)."""
    catalog = []
    for service in services:
        endpoints = [{'id': endpoint['id'], 'interface': endpoint['interface'],
                      'region': endpoint['region_id'], 'region_id': endpoint['region_id'],
                      'url': endpoint['url']}
                     for endpoint in service['endpoints']]
        catalog.append({'id': service['id'], 'type': service['type'],
                        'name': service['name'] or '', 'endpoints': endpoints})
    return catalog


def service_urls(base_url):
    """{service type: URL} of the services nova-api at ``base_url`` serves."""
    base_url = base_url.rstrip('/')
    return {service_type: base_url + path for service_type, (_name, path) in SERVICES.items()}
