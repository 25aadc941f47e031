"""The route table of the built-in identity API (paths below /identity) and its paste app."""

from nova.api.identity import catalog
from nova.api.identity import credentials
from nova.api.identity import resources
from nova.api.identity import roles
from nova.api.identity import tokens
from nova.api.identity import users
from nova.api.identity import versions
from nova.api.identity import wsgi

_GRANTS = '/v3/{target_kind:projects|domains}/{target_id}/users/{user_id}/roles'


def route_table():
    return (
        ('', {'GET': versions.index}),
        ('/', {'GET': versions.index}),
        ('/v3', {'GET': versions.show}),
        ('/v3/', {'GET': versions.show}),
        ('/v3/auth/tokens', {'POST': tokens.issue, 'GET': tokens.validate,
                             'HEAD': tokens.check, 'DELETE': tokens.revoke}),
        ('/v3/auth/catalog', {'GET': tokens.auth_catalog}),
        ('/v3/auth/projects', {'GET': tokens.auth_projects}),
        ('/v3/auth/domains', {'GET': tokens.auth_domains}),
        ('/v3/domains', {'GET': resources.list_domains, 'POST': resources.create_domain}),
        ('/v3/domains/{domain_id}', {'GET': resources.show_domain,
                                     'PATCH': resources.update_domain,
                                     'DELETE': resources.delete_domain}),
        ('/v3/projects', {'GET': resources.list_projects, 'POST': resources.create_project}),
        ('/v3/projects/{project_id}', {'GET': resources.show_project,
                                       'PATCH': resources.update_project,
                                       'DELETE': resources.delete_project}),
        ('/v3/users', {'GET': users.list_users, 'POST': users.create_user}),
        ('/v3/users/{user_id}', {'GET': users.show_user, 'PATCH': users.update_user,
                                 'DELETE': users.delete_user}),
        ('/v3/users/{user_id}/password', {'POST': users.change_password}),
        ('/v3/users/{user_id}/projects', {'GET': resources.list_user_projects}),
        ('/v3/users/{user_id}/application_credentials', {
            'GET': credentials.list_application_credentials,
            'POST': credentials.create_application_credential}),
        ('/v3/users/{user_id}/application_credentials/{app_cred_id}', {
            'GET': credentials.show_application_credential,
            'DELETE': credentials.delete_application_credential}),
        ('/v3/users/{user_id}/credentials/OS-EC2', {'GET': credentials.list_ec2,
                                                    'POST': credentials.create_ec2}),
        ('/v3/users/{user_id}/credentials/OS-EC2/{access}', {
            'GET': credentials.show_ec2, 'DELETE': credentials.delete_ec2}),
        ('/v3/roles', {'GET': roles.list_roles, 'POST': roles.create_role}),
        ('/v3/roles/{role_id}', {'GET': roles.show_role, 'PATCH': roles.update_role,
                                 'DELETE': roles.delete_role}),
        (_GRANTS, {'GET': roles.list_grants}),
        (_GRANTS + '/{role_id}', {'PUT': roles.grant, 'GET': roles.check_grant,
                                  'HEAD': roles.check_grant, 'DELETE': roles.revoke_grant}),
        ('/v3/role_assignments', {'GET': roles.list_role_assignments}),
        ('/v3/services', {'GET': catalog.list_services, 'POST': catalog.create_service}),
        ('/v3/services/{service_id}', {'GET': catalog.show_service,
                                       'PATCH': catalog.update_service,
                                       'DELETE': catalog.delete_service}),
        ('/v3/endpoints', {'GET': catalog.list_endpoints, 'POST': catalog.create_endpoint}),
        ('/v3/endpoints/{endpoint_id}', {'GET': catalog.show_endpoint,
                                         'PATCH': catalog.update_endpoint,
                                         'DELETE': catalog.delete_endpoint}),
    )


def app_factory(global_config, **local_config):
    """paste.app_factory of ``identity_app``."""
    return wsgi.Router(route_table())
