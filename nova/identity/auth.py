"""Authentication: turning credentials into tokens, and tokens back into who and what.

``authenticate`` takes the ``auth`` object of ``POST /v3/auth/tokens`` (already checked
against its JSON schema) and runs each listed method: ``password`` (user by id, or by name
and domain), ``token`` (rescoping: the new token keeps the old one's expiry and audit
chain) and ``application_credential`` (by id, or by name and user, with its secret; the
token is scoped to the credential's project). All methods must name the same user.

Every failure to authenticate answers the same 401 whatever the cause (no such user, wrong
password, disabled, no role on the scope) so that callers cannot probe for accounts; the
cause is logged.
"""

import datetime
import logging

from oslo_utils import timeutils

from nova import exception
import nova.conf
from nova.i18n import _
from nova.identity import passwords
from nova.identity import tokens
from nova.objects import identity as identity_obj

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

METHODS = ('password', 'token', 'application_credential')


class AuthResult:
    """The outcome of authenticating: the new token, its payload and what it shows."""

    def __init__(self, token_id, payload, data):
        self.token_id, self.payload, self.data = token_id, payload, data


_DUMMY_HASH = []


def _dummy_hash():
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(passwords.hash_password(passwords.generate_secret()))
    return _DUMMY_HASH[0]


def _fail(reason, *args):
    LOG.info('Authentication failed: ' + reason, *args)
    return exception.IdentityAuthenticationFailed()


def _domain_id(context, domain_ref):
    """The id of a ``{"id": ..}`` or ``{"name": ..}`` domain reference."""
    if 'id' in domain_ref:
        return domain_ref['id']
    try:
        return identity_obj.IdentityResource.get_domain_by_name(context,
                                                                domain_ref['name'])['id']
    except exception.IdentityNotFound:
        raise _fail('no domain named %s', domain_ref['name'])


def _find_user(context, user_ref):
    """The user of a ``{"id"}`` or ``{"name", "domain"}`` reference (401 when unknown)."""
    try:
        if 'id' in user_ref:
            return identity_obj.IdentityUser.get_user(context, user_ref['id'])
        if 'domain' not in user_ref:
            raise exception.ValidationError(detail=_(
                'Expecting to find domain in user. The server could not comply with the '
                'request since it is either malformed or otherwise incorrect. The client is '
                'assumed to be in error.'))
        return identity_obj.IdentityUser.get_user_by_name(
            context, _domain_id(context, user_ref['domain']), user_ref['name'])
    except exception.IdentityNotFound:
        raise _fail('no such user %s', user_ref.get('id') or user_ref.get('name'))


def _password_method(context, password_ref):
    try:
        user = _find_user(context, password_ref['user'])
    except exception.IdentityAuthenticationFailed:
        # Spend the time a wrong password costs, so timing does not tell who exists.
        passwords.verify_password(password_ref['user'].get('password') or '', _dummy_hash())
        raise
    if not passwords.verify_password(password_ref['user'].get('password'),
                                     user['password_hash']):
        raise _fail('wrong password for user %s', user['id'])
    if not user['enabled']:
        raise _fail('user %s is disabled', user['id'])
    return user


def _token_method(context, token_ref):
    try:
        parent = tokens.decode(token_ref['id'])
    except exception.IdentityTokenInvalid:
        raise _fail('the token to rescope is invalid')
    if parent.app_cred_id:
        raise exception.IdentityForbidden(
            action=_('rescoping a token made from an application credential'))
    _check_token_still_valid(context, parent)
    return parent


def _app_cred_method(context, app_cred_ref):
    try:
        if 'id' in app_cred_ref:
            app_cred = identity_obj.IdentityCredential.get_application_credential(
                context, app_cred_ref['id'])
        else:
            if 'user' not in app_cred_ref:
                raise exception.ValidationError(detail=_(
                    'Expecting to find user in application_credential.'))
            user = _find_user(context, app_cred_ref['user'])
            app_cred = identity_obj.IdentityCredential.get_application_credential_by_name(
                context, user['id'], app_cred_ref['name'])
    except exception.IdentityNotFound:
        raise _fail('no such application credential')
    if not passwords.verify_password(app_cred_ref['secret'], app_cred['secret_hash']):
        raise _fail('wrong secret for application credential %s', app_cred['id'])
    if app_cred['expires_at'] is not None and \
            tokens.parse_time(app_cred['expires_at']) <= timeutils.utcnow():
        raise _fail('application credential %s has expired', app_cred['id'])
    return app_cred


def _resolve_scope(context, scope):
    """(project_id, domain_id) of a requested scope; 401 when it does not exist."""
    if 'system' in scope:
        raise exception.ValidationError(detail=_('System scope is not supported.'))
    try:
        if 'project' in scope:
            project = scope['project']
            if 'id' in project:
                return project['id'], None
            if 'domain' not in project:
                raise exception.ValidationError(detail=_(
                    'Expecting to find domain in project. The server could not comply with '
                    'the request since it is either malformed or otherwise incorrect. The '
                    'client is assumed to be in error.'))
            found = identity_obj.IdentityResource.get_project_by_name(
                context, _domain_id(context, project['domain']), project['name'])
            return found['id'], None
        if 'domain' in scope:
            return None, _domain_id(context, scope['domain'])
    except exception.IdentityNotFound as error:
        raise _fail('scope not found: %s', error)
    return None, None


def _context_for(context, user_id, project_id=None, domain_id=None, app_cred_id=None,
                 with_catalog=True, payload=None):
    kwargs = {}
    if payload is not None:
        kwargs = {'issued_at': tokens.format_time(payload.issued_at),
                  'audit_ids': payload.audit_ids[:1]}
    return identity_obj.IdentityToken.get_context(
        context, user_id, project_id=project_id, domain_id=domain_id,
        app_cred_id=app_cred_id, with_catalog=with_catalog, **kwargs)


def _check_token_still_valid(context, payload):
    try:
        _context_for(context, payload.user_id, payload.project_id, payload.domain_id,
                     payload.app_cred_id, with_catalog=False, payload=payload)
    except exception.IdentityAuthenticationFailed as error:
        raise _fail('the token to rescope is no longer valid: %s', error.format_message())


def authenticate(context, auth, with_catalog=True):
    """A new token for the ``auth`` object of a token request (see the module doc)."""
    identity = auth['identity']
    methods = list(dict.fromkeys(identity['methods']))
    user, parent, app_cred, token_methods = None, None, None, []
    user_id = None
    for method in methods:
        if method not in METHODS:
            raise _fail('unsupported method %s', method)
        if method not in identity:
            raise exception.ValidationError(detail=_(
                'Expecting to find %s in identity.') % method)
        if method == 'password':
            user = _password_method(context, identity['password'])
            method_user_id = user['id']
        elif method == 'token':
            parent = _token_method(context, identity['token'])
            method_user_id = parent.user_id
        else:
            app_cred = _app_cred_method(context, identity['application_credential'])
            method_user_id = app_cred['user_id']
        if user_id is not None and method_user_id != user_id:
            raise _fail('the methods name different users')
        user_id = method_user_id
        token_methods.append(method)
    if parent is not None:
        token_methods += [m for m in parent.methods if m not in token_methods]

    scope = auth.get('scope')
    explicitly_unscoped = scope == 'unscoped'
    if explicitly_unscoped:
        scope = None
    project_id = domain_id = expires_at = None
    if app_cred is not None:
        if scope:
            raise _fail('an application credential cannot request a scope')
        project_id = app_cred['project_id']
        if app_cred['expires_at'] is not None:
            expires_at = tokens.parse_time(app_cred['expires_at'])
    elif scope:
        project_id, domain_id = _resolve_scope(context, scope)

    data = None
    if not scope and not explicitly_unscoped and app_cred is None and user is not None \
            and user['default_project_id']:
        # Keystone scopes a request without scope to the user's default project when the
        # user has a role there, and issues an unscoped token otherwise.
        try:
            data = _context_for(context, user_id, user['default_project_id'],
                                with_catalog=with_catalog)
            project_id = user['default_project_id']
        except exception.IdentityAuthenticationFailed:
            data = None
    if data is None:
        try:
            data = _context_for(context, user_id, project_id, domain_id,
                                app_cred['id'] if app_cred else None, with_catalog)
        except exception.IdentityAuthenticationFailed as error:
            raise _fail('%s', error.format_message())
    payload = tokens.new_payload(user_id, token_methods, project_id=project_id,
                                 domain_id=domain_id,
                                 app_cred_id=app_cred['id'] if app_cred else None,
                                 parent=parent, expires_at=expires_at)
    return AuthResult(tokens.issue(payload), payload, data)


def validate(context, token_id, with_catalog=True):
    """(payload, what it shows now) of a valid token; IdentityTokenInvalid otherwise."""
    payload = tokens.decode(token_id)
    try:
        data = _context_for(context, payload.user_id, payload.project_id, payload.domain_id,
                            payload.app_cred_id, with_catalog=with_catalog, payload=payload)
    except exception.IdentityAuthenticationFailed as error:
        LOG.debug('Token of user %s rejected: %s', payload.user_id, error.format_message())
        raise exception.IdentityTokenInvalid()
    return payload, data


def _revoke(context, **values):
    identity_obj.IdentityToken.revoke(context, values, CONF.identity.token_expiration)


def revoke_token(context, payload):
    """Revoke one token (the one with this audit id) from now on."""
    _revoke(context, audit_id=payload.audit_ids[0])


def revoke_user_tokens(context, user_id, project_id=None):
    """Revoke the user's tokens issued until now (those scoped to ``project_id`` only, when
    given): after a password change, a disabled user, a removed role."""
    _revoke(context, user_id=user_id, project_id=project_id)


def revoke_project_tokens(context, project_id):
    _revoke(context, project_id=project_id)


def application_credential_expiry(expires_at):
    """A naive UTC datetime of an ISO 8601 ``expires_at``; ValidationError if in the past."""
    try:
        value = timeutils.normalize_time(timeutils.parse_isotime(expires_at))
    except ValueError:
        raise exception.ValidationError(detail=_('Invalid expires_at: %s') % expires_at)
    if value <= timeutils.utcnow() + datetime.timedelta(seconds=1):
        raise exception.ValidationError(detail=_(
            'The expiration time of an application credential must be in the future.'))
    return value
