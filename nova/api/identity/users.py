"""/v3/users, and a user's own password change (POST /v3/users/{id}/password).

Passwords are hashed before they leave this process and never appear in a response or a
log line. Changing a password or disabling a user revokes the user's tokens.
"""

import logging

from nova import exception
from nova.api.identity import common
from nova.api.identity import policy
from nova.api.identity import schemas
from nova.api.identity import views
from nova.api.identity import wsgi
import nova.conf
from nova.i18n import _
from nova.identity import auth
from nova.identity import passwords
from nova.objects import identity as identity_obj

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

USER_FIELDS = ('name', 'domain_id', 'enabled', 'default_project_id')
IGNORED = ('options', 'password')

Users = identity_obj.IdentityUser


def _password_hash(password):
    if len(password) > CONF.identity.max_password_length:
        raise exception.ValidationError(detail=_(
            "Invalid input for field 'password': longer than %d characters.")
            % CONF.identity.max_password_length)
    return passwords.hash_password(password)


def _values(body):
    core, extra = common.split_extra(body, USER_FIELDS + IGNORED)
    core.pop('options', None)
    if 'password' in core:
        password = core.pop('password')
        core['password_hash'] = _password_hash(password) if password is not None else None
    core['extra'] = extra
    return core


def _check_default_project(context, values):
    if values.get('default_project_id'):
        identity_obj.IdentityResource.get_project(context, values['default_project_id'])


def list_users(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_users')
    users = Users.list_users(caller.context, common.filters(req, ('name', 'domain_id'),
                                                            ('enabled',)))
    return wsgi.json_response(views.collection(req, 'users',
                                               [views.user(req, u) for u in users]))


def create_user(req):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_user')
    values = _values(wsgi.read_json(req, schemas.USER_CREATE)['user'])
    values.setdefault('domain_id', common.default_domain_id(caller))
    _check_default_project(caller.context, values)
    user = Users.create_user(caller.context, values)
    return wsgi.json_response({'user': views.user(req, user)}, status=201)


def show_user(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_user', {'user_id': user_id})
    return wsgi.json_response({'user': views.user(req, Users.get_user(caller.context,
                                                                      user_id))})


def update_user(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:update_user', {'user_id': user_id})
    body = wsgi.read_json(req, schemas.USER_UPDATE)['user']
    current = Users.get_user(caller.context, user_id)
    if 'domain_id' in body and body['domain_id'] != current['domain_id']:
        raise exception.ValidationError(detail=_('Cannot change the domain of a user.'))
    values = _values(body)
    values['extra'] = dict(current['extra'], **values['extra'])
    _check_default_project(caller.context, values)
    user = Users.update_user(caller.context, user_id, values)
    if 'password_hash' in values or (current['enabled'] and not user['enabled']):
        auth.revoke_user_tokens(caller.context, user_id)
    return wsgi.json_response({'user': views.user(req, user)})


def delete_user(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:delete_user', {'user_id': user_id})
    Users.delete_user(caller.context, user_id)
    auth.revoke_user_tokens(caller.context, user_id)
    return wsgi.no_content()


def change_password(req, user_id):
    """POST /v3/users/{id}/password: the user proves the old password; no token needed
    (as in Keystone, so that an expired password can still be changed)."""
    body = wsgi.read_json(req, schemas.PASSWORD_CHANGE)['user']
    context = wsgi.request_context(req)
    try:
        user = Users.get_user(context, user_id)
    except exception.IdentityNotFound:
        raise exception.IdentityAuthenticationFailed()
    if not user['enabled'] or not passwords.verify_password(body['original_password'],
                                                            user['password_hash']):
        LOG.info('Password change for user %s refused: wrong original password or '
                 'disabled user', user_id)
        raise exception.IdentityAuthenticationFailed()
    Users.update_user(context, user_id, {'password_hash': _password_hash(body['password'])})
    auth.revoke_user_tokens(context, user_id)
    return wsgi.no_content()
