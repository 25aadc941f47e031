"""A standalone edge box's identity: bootstrapped on first start, with a ready CLI profile.

``nova-all`` with ``[identity] auto_bootstrap`` calls :func:`prepare` before it serves: the
first time, it makes the admin project, user, roles and catalog (as ``nova-manage identity
bootstrap`` does) with a random password and writes a clouds.yaml for that user, so the
unmodified ``openstack`` CLI works at once. Later starts find the admin user and change
nothing; an operator who lost the password resets it with nova-manage.
"""

import logging
import os
import secrets

import yaml

from nova import context as nova_context
from nova import exception
import nova.conf
from nova.identity import bootstrap as identity_bootstrap
from nova.objects import identity as identity_obj

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

CLOUD_NAME = 'edge'
ADMIN = 'admin'


def public_endpoint():
    return (CONF.identity.public_endpoint or
            'http://%s:%d' % (CONF.my_ip, CONF.osapi_compute_listen_port)).rstrip('/')


def _admin_exists(context):
    try:
        identity_obj.IdentityUser.get_user_by_name(context, CONF.identity.default_domain_id,
                                                   ADMIN)
    except exception.IdentityNotFound:
        return False
    return True


def clouds_yaml(auth_url, password, region_id='RegionOne'):
    """The clouds.yaml text of the admin user (the openstack CLI's profile)."""
    return yaml.safe_dump({'clouds': {CLOUD_NAME: {
        'auth': {'auth_url': auth_url, 'username': ADMIN, 'password': password,
                 'project_name': ADMIN, 'user_domain_name': 'Default',
                 'project_domain_name': 'Default'},
        'region_name': region_id, 'interface': 'public', 'identity_api_version': 3,
    }}}, default_flow_style=False)


def _write_private(path, text):
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(text)


def prepare():
    """Bootstrap on first start; return the clouds.yaml path when it was written now."""
    if not CONF.identity.auto_bootstrap or CONF.api.auth_strategy != 'local':
        return None
    context = nova_context.get_admin_context()
    path = CONF.identity.clouds_yaml
    if _admin_exists(context):
        if not os.path.exists(path):
            LOG.warning('The identity has an admin user but %s is gone; reset the password '
                        'with "nova-manage identity bootstrap --bootstrap-password ..." '
                        'to write a new profile by hand.', path)
        return None
    password = secrets.token_urlsafe(18)
    base_url = public_endpoint()
    identity_bootstrap.Bootstrap(context).run(password, public_url=base_url)
    _write_private(path, clouds_yaml(base_url + '/identity', password))
    return path
