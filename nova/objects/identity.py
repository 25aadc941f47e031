"""Remotable access to the built-in identity service's tables (API database).

nova-api has no database: these methods run in conductor (or in-process in nova-all and
nova-manage) and return the plain dicts nova/db/api/identity.py describes, as Quotas does.
One class per area keeps the RPC surface easy to see; each method is one transaction and one
round trip, and token validation is one call (IdentityToken.get_context).
"""

from nova.db.api import identity as db
from nova.objects import base


@base.NovaObjectRegistry.register
class IdentityResource(base.NovaObject):
    """Domains and projects."""

    VERSION = '1.0'
    fields = {}

    @classmethod
    @base.remotable
    def create_domain(cls, context, values):
        return db.domain_create(context, values)

    @classmethod
    @base.remotable
    def get_domain(cls, context, domain_id):
        return db.domain_get(context, domain_id)

    @classmethod
    @base.remotable
    def get_domain_by_name(cls, context, name):
        return db.domain_get_by_name(context, name)

    @classmethod
    @base.remotable
    def list_domains(cls, context, filters=None):
        return db.domain_get_all(context, filters)

    @classmethod
    @base.remotable
    def update_domain(cls, context, domain_id, values):
        return db.domain_update(context, domain_id, values)

    @classmethod
    @base.remotable
    def delete_domain(cls, context, domain_id):
        db.domain_destroy(context, domain_id)

    @classmethod
    @base.remotable
    def create_project(cls, context, values):
        return db.project_create(context, values)

    @classmethod
    @base.remotable
    def get_project(cls, context, project_id):
        return db.project_get(context, project_id)

    @classmethod
    @base.remotable
    def get_project_by_name(cls, context, domain_id, name):
        return db.project_get_by_name(context, domain_id, name)

    @classmethod
    @base.remotable
    def list_projects(cls, context, filters=None):
        return db.project_get_all(context, filters)

    @classmethod
    @base.remotable
    def update_project(cls, context, project_id, values):
        return db.project_update(context, project_id, values)

    @classmethod
    @base.remotable
    def delete_project(cls, context, project_id):
        db.project_destroy(context, project_id)


@base.NovaObjectRegistry.register
class IdentityUser(base.NovaObject):
    """Users. Their dicts include the password hash, which the views never show."""

    VERSION = '1.0'
    fields = {}

    @classmethod
    @base.remotable
    def create_user(cls, context, values):
        return db.user_create(context, values)

    @classmethod
    @base.remotable
    def get_user(cls, context, user_id):
        return db.user_get(context, user_id)

    @classmethod
    @base.remotable
    def get_user_by_name(cls, context, domain_id, name):
        return db.user_get_by_name(context, domain_id, name)

    @classmethod
    @base.remotable
    def list_users(cls, context, filters=None):
        return db.user_get_all(context, filters)

    @classmethod
    @base.remotable
    def update_user(cls, context, user_id, values):
        return db.user_update(context, user_id, values)

    @classmethod
    @base.remotable
    def delete_user(cls, context, user_id):
        db.user_destroy(context, user_id)


@base.NovaObjectRegistry.register
class IdentityAssignment(base.NovaObject):
    """Roles and the role assignments of users on projects and domains."""

    VERSION = '1.0'
    fields = {}

    @classmethod
    @base.remotable
    def create_role(cls, context, values):
        return db.role_create(context, values)

    @classmethod
    @base.remotable
    def get_role(cls, context, role_id):
        return db.role_get(context, role_id)

    @classmethod
    @base.remotable
    def get_role_by_name(cls, context, name):
        return db.role_get_by_name(context, name)

    @classmethod
    @base.remotable
    def list_roles(cls, context, filters=None):
        return db.role_get_all(context, filters)

    @classmethod
    @base.remotable
    def update_role(cls, context, role_id, values):
        return db.role_update(context, role_id, values)

    @classmethod
    @base.remotable
    def delete_role(cls, context, role_id):
        db.role_destroy(context, role_id)

    @classmethod
    @base.remotable
    def grant(cls, context, type, user_id, target_id, role_id):
        return db.assignment_create(context, type, user_id, target_id, role_id)

    @classmethod
    @base.remotable
    def check(cls, context, type, user_id, target_id, role_id):
        return db.assignment_get(context, type, user_id, target_id, role_id)

    @classmethod
    @base.remotable
    def revoke(cls, context, type, user_id, target_id, role_id):
        db.assignment_destroy(context, type, user_id, target_id, role_id)

    @classmethod
    @base.remotable
    def list_assignments(cls, context, filters=None):
        return db.assignment_get_all(context, filters)

    @classmethod
    @base.remotable
    def effective_roles(cls, context, user_id, type, target_id):
        return db.effective_roles(context, user_id, type, target_id)


@base.NovaObjectRegistry.register
class IdentityCatalog(base.NovaObject):
    """Services and their endpoints: the service catalog."""

    VERSION = '1.0'
    fields = {}

    @classmethod
    @base.remotable
    def create_service(cls, context, values):
        return db.service_create(context, values)

    @classmethod
    @base.remotable
    def get_service(cls, context, service_id):
        return db.service_get(context, service_id)

    @classmethod
    @base.remotable
    def list_services(cls, context, filters=None):
        return db.service_get_all(context, filters)

    @classmethod
    @base.remotable
    def update_service(cls, context, service_id, values):
        return db.service_update(context, service_id, values)

    @classmethod
    @base.remotable
    def delete_service(cls, context, service_id):
        db.service_destroy(context, service_id)

    @classmethod
    @base.remotable
    def create_endpoint(cls, context, values):
        return db.endpoint_create(context, values)

    @classmethod
    @base.remotable
    def get_endpoint(cls, context, endpoint_id):
        return db.endpoint_get(context, endpoint_id)

    @classmethod
    @base.remotable
    def list_endpoints(cls, context, filters=None):
        return db.endpoint_get_all(context, filters)

    @classmethod
    @base.remotable
    def update_endpoint(cls, context, endpoint_id, values):
        return db.endpoint_update(context, endpoint_id, values)

    @classmethod
    @base.remotable
    def delete_endpoint(cls, context, endpoint_id):
        db.endpoint_destroy(context, endpoint_id)

    @classmethod
    @base.remotable
    def get_catalog(cls, context):
        return db.catalog_get(context)


@base.NovaObjectRegistry.register
class IdentityCredential(base.NovaObject):
    """Application credentials (secret hashed) and EC2 credentials of users."""

    VERSION = '1.0'
    fields = {}

    @classmethod
    @base.remotable
    def create_application_credential(cls, context, values, role_ids):
        return db.application_credential_create(context, values, role_ids)

    @classmethod
    @base.remotable
    def get_application_credential(cls, context, app_cred_id, user_id=None):
        return db.application_credential_get(context, app_cred_id, user_id)

    @classmethod
    @base.remotable
    def get_application_credential_by_name(cls, context, user_id, name):
        return db.application_credential_get_by_name(context, user_id, name)

    @classmethod
    @base.remotable
    def list_application_credentials(cls, context, user_id, name=None):
        return db.application_credential_get_all(context, user_id, name)

    @classmethod
    @base.remotable
    def delete_application_credential(cls, context, app_cred_id, user_id):
        db.application_credential_destroy(context, app_cred_id, user_id)

    @classmethod
    @base.remotable
    def create_ec2(cls, context, values):
        return db.ec2_credential_create(context, values)

    @classmethod
    @base.remotable
    def get_ec2(cls, context, access, user_id=None):
        return db.ec2_credential_get(context, access, user_id)

    @classmethod
    @base.remotable
    def list_ec2(cls, context, user_id):
        return db.ec2_credential_get_all(context, user_id)

    @classmethod
    @base.remotable
    def delete_ec2(cls, context, access, user_id):
        db.ec2_credential_destroy(context, access, user_id)


@base.NovaObjectRegistry.register
class IdentityToken(base.NovaObject):
    """What a token shows now, and token revocation."""

    VERSION = '1.0'
    fields = {}

    @classmethod
    @base.remotable
    def get_context(cls, context, user_id, project_id=None, domain_id=None, app_cred_id=None,
                    issued_at=None, audit_ids=(), with_catalog=True):
        return db.token_context_get(context, user_id, project_id, domain_id, app_cred_id,
                                    issued_at, audit_ids, with_catalog)

    @classmethod
    @base.remotable
    def revoke(cls, context, values, token_lifetime):
        db.revocation_event_create(context, values, token_lifetime)
