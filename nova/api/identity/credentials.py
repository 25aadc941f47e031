"""A user's application credentials and EC2 credentials.

An application credential delegates some of the roles its creator holds on the project of
the creating token; its secret is shown once, at creation, and stored hashed. An EC2
credential is an access/secret pair for one project the user holds a role on.
"""

import uuid

from nova import exception
from nova.api.identity import policy
from nova.api.identity import schemas
from nova.api.identity import views
from nova.api.identity import wsgi
from nova.db.api import identity as db_identity
from nova.i18n import _
from nova.identity import auth
from nova.identity import passwords
from nova.objects import identity as identity_obj

Credentials = identity_obj.IdentityCredential


# -- application credentials -----------------------------------------------------------------

def _delegated_roles(caller, requested):
    """The role ids the new credential gets: those requested, all held by the caller's
    token (its roles when none are requested)."""
    held = caller.data['roles']
    if not requested:
        return [role['id'] for role in held]
    by_id = {role['id']: role for role in held}
    by_name = {role['name']: role for role in held}
    role_ids = []
    for ref in requested:
        role = by_id.get(ref['id']) if 'id' in ref else by_name.get(ref['name'])
        if role is None:
            raise exception.IdentityForbidden(action=_(
                'delegating role %s, which the token does not carry')
                % (ref.get('id') or ref.get('name')))
        role_ids.append(role['id'])
    return list(dict.fromkeys(role_ids))


def create_application_credential(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:create_application_credential', {'user_id': user_id})
    body = wsgi.read_json(req, schemas.APPLICATION_CREDENTIAL_CREATE)['application_credential']
    if caller.project_id is None:
        raise exception.ValidationError(detail=_(
            'Application credentials must be created with a project-scoped token.'))
    if caller.payload.app_cred_id is not None:
        raise exception.IdentityForbidden(action=_(
            'creating an application credential with an application credential'))
    expires_at = None
    if body.get('expires_at') is not None:
        expires_at = auth.application_credential_expiry(body['expires_at']).isoformat()
    secret = body.get('secret') or passwords.generate_secret(64)
    values = {'name': body['name'], 'description': body.get('description'),
              'user_id': user_id, 'project_id': caller.project_id,
              'secret_hash': passwords.hash_password(secret), 'expires_at': expires_at,
              'unrestricted': bool(body.get('unrestricted'))}
    app_cred = Credentials.create_application_credential(
        caller.context, values, _delegated_roles(caller, body.get('roles')))
    return wsgi.json_response({'application_credential': views.application_credential(
        req, app_cred, secret=secret)}, status=201)


def list_application_credentials(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:list_application_credentials', {'user_id': user_id})
    found = Credentials.list_application_credentials(caller.context, user_id,
                                                     req.GET.get('name'))
    return wsgi.json_response(views.collection(
        req, 'application_credentials',
        [views.application_credential(req, a) for a in found]))


def show_application_credential(req, user_id, app_cred_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:get_application_credential', {'user_id': user_id})
    app_cred = Credentials.get_application_credential(caller.context, app_cred_id, user_id)
    return wsgi.json_response({'application_credential': views.application_credential(
        req, app_cred)})


def delete_application_credential(req, user_id, app_cred_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:delete_application_credential', {'user_id': user_id})
    Credentials.delete_application_credential(caller.context, app_cred_id, user_id)
    return wsgi.no_content()


# -- EC2 credentials ---------------------------------------------------------------------------

def create_ec2(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:ec2_create_credential', {'user_id': user_id})
    project_id = wsgi.read_json(req, schemas.EC2_CREATE)['tenant_id']
    identity_obj.IdentityUser.get_user(caller.context, user_id)
    identity_obj.IdentityResource.get_project(caller.context, project_id)
    if not identity_obj.IdentityAssignment.effective_roles(
            caller.context, user_id, db_identity.USER_PROJECT, project_id):
        raise exception.IdentityForbidden(action=_(
            'creating EC2 credentials for a project the user has no role on'))
    credential = Credentials.create_ec2(caller.context, {
        'user_id': user_id, 'project_id': project_id, 'access': uuid.uuid4().hex,
        'secret': uuid.uuid4().hex})
    return wsgi.json_response({'credential': views.ec2_credential(req, credential)},
                              status=201)


def list_ec2(req, user_id):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:ec2_list_credentials', {'user_id': user_id})
    identity_obj.IdentityUser.get_user(caller.context, user_id)
    found = Credentials.list_ec2(caller.context, user_id)
    return wsgi.json_response(views.collection(
        req, 'credentials', [views.ec2_credential(req, c) for c in found]))


def show_ec2(req, user_id, access):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:ec2_get_credential', {'user_id': user_id})
    return wsgi.json_response({'credential': views.ec2_credential(
        req, Credentials.get_ec2(caller.context, access, user_id))})


def delete_ec2(req, user_id, access):
    caller = wsgi.caller(req)
    policy.enforce(caller, 'identity:ec2_delete_credential', {'user_id': user_id})
    Credentials.delete_ec2(caller.context, access, user_id)
    return wsgi.no_content()
