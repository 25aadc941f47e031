"""Key pairs belong to a user: the user, or an administrator naming the user."""

from nova.policies import base
from nova.policies.base import ADMIN_OR_KEYPAIR_OWNER

K = 'os_compute_api:os-keypairs:%s'


def list_rules():
    return [
        base.rule(K % 'index', ADMIN_OR_KEYPAIR_OWNER, 'List key pairs.',
                  ('GET', '/os-keypairs')),
        base.rule(K % 'create', ADMIN_OR_KEYPAIR_OWNER, 'Create or import a key pair.',
                  ('POST', '/os-keypairs')),
        base.rule(K % 'show', ADMIN_OR_KEYPAIR_OWNER, 'Show a key pair.',
                  ('GET', '/os-keypairs/{keypair_name}')),
        base.rule(K % 'delete', ADMIN_OR_KEYPAIR_OWNER, 'Delete a key pair.',
                  ('DELETE', '/os-keypairs/{keypair_name}')),
    ]
