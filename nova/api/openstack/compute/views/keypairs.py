"""Key pairs as the Compute API shows them, per microversion."""

from nova.api.openstack import api_version_request

TYPE_MIN_VERSION = '2.2'


def _base(req, keypair):
    view = {'name': keypair.name, 'public_key': keypair.public_key,
            'fingerprint': keypair.fingerprint}
    if api_version_request.is_supported(req, TYPE_MIN_VERSION):
        view['type'] = keypair.type
    return view


def summary(req, keypair):
    """An entry of GET /os-keypairs."""
    return {'keypair': _base(req, keypair)}


def created(req, keypair, private_key=None):
    """The answer to POST /os-keypairs (with the private key when one was generated)."""
    view = dict(_base(req, keypair), user_id=keypair.user_id)
    if private_key is not None:
        view['private_key'] = private_key
    return {'keypair': view}


def detail(req, keypair):
    """GET /os-keypairs/{name}. Key pairs are deleted for good, hence the constant
    deleted fields kept for compatibility."""
    view = dict(_base(req, keypair), user_id=keypair.user_id, id=keypair.id,
                created_at=keypair.created_at, updated_at=keypair.updated_at,
                deleted=False, deleted_at=None)
    return {'keypair': view}
