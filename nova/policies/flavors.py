"""Flavors: everyone may read public flavors; administrators manage them."""

from nova.policies import base
from nova.policies.base import ADMIN
from nova.policies.base import PROJECT_READER_OR_ADMIN

MANAGE = 'os_compute_api:os-flavor-manage:%s'
SPECS = 'os_compute_api:os-flavor-extra-specs:%s'
ACCESS = 'os_compute_api:os-flavor-access'
FLAVOR = '/flavors/{flavor_id}'


def list_rules():
    return [
        base.rule(MANAGE % 'create', ADMIN, 'Create a flavor.', ('POST', '/flavors')),
        base.rule(MANAGE % 'update', ADMIN, "Update a flavor's description.",
                  ('PUT', FLAVOR)),
        base.rule(MANAGE % 'delete', ADMIN, 'Delete a flavor.', ('DELETE', FLAVOR)),
        base.rule(SPECS % 'index', PROJECT_READER_OR_ADMIN, "List a flavor's extra specs.",
                  ('GET', FLAVOR + '/os-extra_specs')),
        base.rule(SPECS % 'show', PROJECT_READER_OR_ADMIN, "Show a flavor's extra spec.",
                  ('GET', FLAVOR + '/os-extra_specs/{key}')),
        base.rule(SPECS % 'create', ADMIN, 'Add extra specs to a flavor.',
                  ('POST', FLAVOR + '/os-extra_specs')),
        base.rule(SPECS % 'update', ADMIN, "Set a flavor's extra spec.",
                  ('PUT', FLAVOR + '/os-extra_specs/{key}')),
        base.rule(SPECS % 'delete', ADMIN, "Delete a flavor's extra spec.",
                  ('DELETE', FLAVOR + '/os-extra_specs/{key}')),
        base.rule(ACCESS, ADMIN, 'List the projects with access to a private flavor.',
                  ('GET', FLAVOR + '/os-flavor-access')),
        base.rule(ACCESS + ':add_tenant_access', ADMIN, 'Give a project a private flavor.',
                  ('POST', FLAVOR + '/action (addTenantAccess)')),
        base.rule(ACCESS + ':remove_tenant_access', ADMIN,
                  'Take a private flavor from a project.',
                  ('POST', FLAVOR + '/action (removeTenantAccess)')),
    ]
