"""The identity tables through the remotable objects, as nova-api reaches them: every
argument and result crosses a JSON round trip (the loopback conductor)."""

import datetime

from oslo_utils import timeutils
import pytest

from nova import exception
from nova.db.api import identity as db
from nova.objects import identity as identity_obj
from tests.unit.api_objects.test_remote import conductor  # noqa: F401  (fixture)

Resource = identity_obj.IdentityResource
Users = identity_obj.IdentityUser
Assignments = identity_obj.IdentityAssignment
Catalog = identity_obj.IdentityCatalog
Credentials = identity_obj.IdentityCredential
Token = identity_obj.IdentityToken


@pytest.fixture
def world(conductor, admin_ctx):  # noqa: F811
    """A domain with a project, a user holding "member" there, and the default roles."""
    domain = Resource.create_domain(admin_ctx, {'id': 'default', 'name': 'Default'})
    project = Resource.create_project(admin_ctx, {'name': 'p1', 'domain_id': 'default'})
    user = Users.create_user(admin_ctx, {'name': 'alice', 'domain_id': 'default',
                                         'extra': {'email': 'a@example.org'}})
    roles = {name: Assignments.create_role(admin_ctx, {'name': name})
             for name in ('admin', 'member', 'reader', 'other')}
    Assignments.grant(admin_ctx, db.USER_PROJECT, user['id'], project['id'],
                      roles['member']['id'])
    return {'domain': domain, 'project': project, 'user': user, 'roles': roles}


def test_records_are_plain_json(world, admin_ctx, conductor):  # noqa: F811
    user = Users.get_user(admin_ctx, world['user']['id'])
    assert user['extra'] == {'email': 'a@example.org'} and user['password_hash'] is None
    assert Users.get_user_by_name(admin_ctx, 'default', 'alice')['id'] == user['id']
    assert [p['name'] for p in Resource.list_projects(admin_ctx, {'user_id': user['id']})] \
        == ['p1']
    assert Resource.list_projects(admin_ctx, {'user_id': user['id'], 'enabled': False}) == []
    assert 'IdentityUser.get_user' in conductor.calls


def test_not_found_and_conflicts(world, admin_ctx):
    with pytest.raises(exception.IdentityNotFound, match='Could not find user: nope.'):
        Users.get_user(admin_ctx, 'nope')
    with pytest.raises(exception.IdentityConflict, match='name alice at domain ID default'):
        Users.create_user(admin_ctx, {'name': 'alice', 'domain_id': 'default'})
    with pytest.raises(exception.IdentityNotFound, match='domain'):
        Resource.create_project(admin_ctx, {'name': 'x', 'domain_id': 'nope'})
    other = Resource.create_project(admin_ctx, {'name': 'p2', 'domain_id': 'default'})
    with pytest.raises(exception.IdentityConflict):
        Resource.update_project(admin_ctx, other['id'], {'name': 'p1'})
    assert Resource.get_project(admin_ctx, other['id'])['name'] == 'p2'


def test_effective_roles_follow_the_implied_chain(world, admin_ctx):
    user, project, roles = world['user'], world['project'], world['roles']
    names = [r['name'] for r in Assignments.effective_roles(admin_ctx, user['id'],
                                                             db.USER_PROJECT, project['id'])]
    assert names == ['member', 'reader']
    Assignments.grant(admin_ctx, db.USER_PROJECT, user['id'], project['id'],
                      roles['admin']['id'])
    names = [r['name'] for r in Assignments.effective_roles(admin_ctx, user['id'],
                                                             db.USER_PROJECT, project['id'])]
    assert names == ['admin', 'member', 'reader']
    assert Assignments.effective_roles(admin_ctx, user['id'], db.USER_DOMAIN, 'default') == []


def test_token_context(world, admin_ctx):
    user, project = world['user'], world['project']
    data = Token.get_context(admin_ctx, user['id'], project_id=project['id'])
    assert data['user'] == {'id': user['id'], 'name': 'alice',
                            'domain': {'id': 'default', 'name': 'Default'}}
    assert data['project']['domain'] == {'id': 'default', 'name': 'Default'}
    assert [r['name'] for r in data['roles']] == ['member', 'reader']
    assert data['catalog'] == []
    unscoped = Token.get_context(admin_ctx, user['id'])
    assert (unscoped['project'], unscoped['roles'], unscoped['catalog']) == (None, [], None)
    with pytest.raises(exception.IdentityAuthenticationFailed, match='no access'):
        Token.get_context(admin_ctx, user['id'], domain_id='default')
    Resource.update_project(admin_ctx, project['id'], {'enabled': False})
    with pytest.raises(exception.IdentityAuthenticationFailed, match='disabled'):
        Token.get_context(admin_ctx, user['id'], project_id=project['id'])
    Resource.update_domain(admin_ctx, 'default', {'enabled': False})
    with pytest.raises(exception.IdentityAuthenticationFailed, match='domain of the user'):
        Token.get_context(admin_ctx, user['id'])


def _issued(seconds_ago=0):
    return (timeutils.utcnow() - datetime.timedelta(seconds=seconds_ago)).strftime(
        '%Y-%m-%dT%H:%M:%S.%fZ')


def test_revocation_events_match_what_they_name(world, admin_ctx):
    user, project = world['user'], world['project']

    def valid(audit_id='a1', issued_at=None, project_id=project['id']):
        try:
            Token.get_context(admin_ctx, user['id'], project_id=project_id,
                              issued_at=issued_at or _issued(5), audit_ids=[audit_id])
            return True
        except exception.IdentityAuthenticationFailed:
            return False

    assert valid()
    Token.revoke(admin_ctx, {'audit_id': 'a1'}, 3600)
    assert not valid('a1') and valid('a2')
    assert valid('a1', issued_at=_issued(-1))  # a token issued after the event
    Token.revoke(admin_ctx, {'user_id': user['id'], 'project_id': 'elsewhere'}, 3600)
    assert valid('a2')
    Token.revoke(admin_ctx, {'user_id': user['id'], 'project_id': project['id']}, 3600)
    assert not valid('a2') and valid('a3', issued_at=_issued(-1))


def test_revocation_events_are_purged_after_the_token_lifetime(world, admin_ctx):
    Token.revoke(admin_ctx, {'audit_id': 'old'}, 3600)
    with pytest.raises(exception.IdentityAuthenticationFailed):
        Token.get_context(admin_ctx, world['user']['id'], issued_at=_issued(5),
                          audit_ids=['old'])
    # An event older than any live token is gone after the next revocation.
    Token.revoke(admin_ctx, {'audit_id': 'new'}, 0)
    Token.get_context(admin_ctx, world['user']['id'], issued_at=_issued(5),
                      audit_ids=['old'])


def test_application_credential_roles_are_bounded_by_the_users(world, admin_ctx):
    user, project, roles = world['user'], world['project'], world['roles']
    app_cred = Credentials.create_application_credential(admin_ctx, {
        'name': 'ci', 'user_id': user['id'], 'project_id': project['id'],
        'secret_hash': 'x', 'expires_at': None}, [roles['member']['id']])
    assert [r['name'] for r in app_cred['roles']] == ['member']
    data = Token.get_context(admin_ctx, user['id'], project_id=project['id'],
                             app_cred_id=app_cred['id'])
    assert [r['name'] for r in data['roles']] == ['member', 'reader']
    assert data['application_credential'] == {'id': app_cred['id'], 'name': 'ci',
                                              'restricted': True}
    Assignments.revoke(admin_ctx, db.USER_PROJECT, user['id'], project['id'],
                       roles['member']['id'])
    Assignments.grant(admin_ctx, db.USER_PROJECT, user['id'], project['id'],
                      roles['reader']['id'])
    with pytest.raises(exception.IdentityAuthenticationFailed, match='no longer holds'):
        Token.get_context(admin_ctx, user['id'], project_id=project['id'],
                          app_cred_id=app_cred['id'])
    expired = Credentials.create_application_credential(admin_ctx, {
        'name': 'expired', 'user_id': user['id'], 'project_id': project['id'],
        'secret_hash': 'x', 'expires_at': _issued(10)}, [roles['reader']['id']])
    assert expired['expires_at'].endswith('Z')
    with pytest.raises(exception.IdentityAuthenticationFailed, match='expired'):
        Token.get_context(admin_ctx, user['id'], project_id=project['id'],
                          app_cred_id=expired['id'])


def test_deletes_cascade(world, admin_ctx):
    user, project, roles = world['user'], world['project'], world['roles']
    Credentials.create_ec2(admin_ctx, {'user_id': user['id'], 'project_id': project['id'],
                                       'access': 'ak', 'secret': 'sk'})
    Credentials.create_application_credential(admin_ctx, {
        'name': 'ci', 'user_id': user['id'], 'project_id': project['id'],
        'secret_hash': 'x'}, [roles['member']['id']])
    Assignments.delete_role(admin_ctx, roles['member']['id'])
    assert Assignments.list_assignments(admin_ctx, {'user_id': user['id']}) == []
    assert Credentials.list_application_credentials(admin_ctx, user['id'])[0]['roles'] == []
    Resource.delete_project(admin_ctx, project['id'])
    assert Credentials.list_ec2(admin_ctx, user['id']) == []
    assert Credentials.list_application_credentials(admin_ctx, user['id']) == []
    with pytest.raises(exception.IdentityForbidden):
        Resource.delete_domain(admin_ctx, 'default')  # still enabled
    Resource.update_domain(admin_ctx, 'default', {'enabled': False})
    Resource.delete_domain(admin_ctx, 'default')
    assert Users.list_users(admin_ctx) == []


def test_catalog(world, admin_ctx):
    compute = Catalog.create_service(admin_ctx, {'type': 'compute', 'name': 'nova'})
    Catalog.create_endpoint(admin_ctx, {'service_id': compute['id'], 'interface': 'public',
                                        'region_id': 'r1', 'url': 'http://c/v2.1'})
    hidden = Catalog.create_endpoint(admin_ctx, {'service_id': compute['id'],
                                                 'interface': 'admin', 'url': 'http://a',
                                                 'enabled': False})
    Catalog.create_service(admin_ctx, {'type': 'image', 'enabled': False})
    [entry] = Catalog.get_catalog(admin_ctx)
    assert entry['type'] == 'compute'
    assert [e['url'] for e in entry['endpoints']] == ['http://c/v2.1']
    with pytest.raises(exception.IdentityNotFound):
        Catalog.create_endpoint(admin_ctx, {'service_id': 'nope', 'interface': 'public',
                                            'url': 'http://x'})
    Catalog.delete_service(admin_ctx, compute['id'])
    with pytest.raises(exception.IdentityNotFound):
        Catalog.get_endpoint(admin_ctx, hidden['id'])
