"""The first admin and the catalog, as ``keystone-manage bootstrap`` makes them.

Idempotent: what exists is kept (and reported as such), what is missing is created. As with
keystone-manage, running it again re-enables the admin user and resets its password to the
one given, which is how an operator recovers a lost admin password.
"""

import logging

from nova import exception
import nova.conf
from nova.db.api import identity as db_identity
from nova.identity import catalog
from nova.identity import passwords
from nova.identity import roles
from nova.objects import identity as identity_obj

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

DEFAULT_DOMAIN_NAME = 'Default'


class Bootstrap:
    """One bootstrap run; ``report`` lists what it created or changed."""

    def __init__(self, context):
        self.context = context
        self.report = []

    def _note(self, message, *args):
        self.report.append(message % args)
        LOG.info(message, *args)

    def _domain(self):
        domain_id = CONF.identity.default_domain_id
        try:
            return identity_obj.IdentityResource.get_domain(self.context, domain_id)
        except exception.IdentityNotFound:
            self._note('Created domain %s (%s)', DEFAULT_DOMAIN_NAME, domain_id)
            return identity_obj.IdentityResource.create_domain(self.context, {
                'id': domain_id, 'name': DEFAULT_DOMAIN_NAME, 'enabled': True,
                'description': 'The default domain'})

    def _project(self, domain_id, name):
        try:
            return identity_obj.IdentityResource.get_project_by_name(self.context, domain_id,
                                                                     name)
        except exception.IdentityNotFound:
            self._note('Created project %s', name)
            return identity_obj.IdentityResource.create_project(self.context, {
                'name': name, 'domain_id': domain_id, 'enabled': True,
                'description': 'Bootstrap project for initializing the cloud.'})

    def _user(self, domain_id, name, password, project_id):
        try:
            user = identity_obj.IdentityUser.get_user_by_name(self.context, domain_id, name)
        except exception.IdentityNotFound:
            self._note('Created user %s', name)
            return identity_obj.IdentityUser.create_user(self.context, {
                'name': name, 'domain_id': domain_id, 'enabled': True,
                'password_hash': passwords.hash_password(password),
                'default_project_id': project_id})
        changes = {}
        if not user['enabled']:
            changes['enabled'] = True
        if not passwords.verify_password(password, user['password_hash']):
            changes['password_hash'] = passwords.hash_password(password)
        if changes:
            self._note('Updated user %s (%s)', name, ', '.join(
                'enabled' if key == 'enabled' else 'password reset' for key in changes))
            user = identity_obj.IdentityUser.update_user(self.context, user['id'], changes)
        return user

    def _role(self, name):
        try:
            return identity_obj.IdentityAssignment.get_role_by_name(self.context, name)
        except exception.IdentityNotFound:
            self._note('Created role %s', name)
            return identity_obj.IdentityAssignment.create_role(self.context, {'name': name})

    def _grant(self, user, project, role):
        try:
            identity_obj.IdentityAssignment.check(self.context, db_identity.USER_PROJECT,
                                                  user['id'], project['id'], role['id'])
        except exception.IdentityNotFound:
            identity_obj.IdentityAssignment.grant(self.context, db_identity.USER_PROJECT,
                                                  user['id'], project['id'], role['id'])
            self._note('Granted role %s on project %s to user %s', role['name'],
                       project['name'], user['name'])

    def _service(self, service_type, name):
        found = identity_obj.IdentityCatalog.list_services(self.context,
                                                           {'type': service_type})
        if found:
            return found[0]
        self._note('Created %s service %s', service_type, name)
        return identity_obj.IdentityCatalog.create_service(self.context, {
            'type': service_type, 'name': name, 'enabled': True})

    def _endpoint(self, service, interface, region_id, url):
        found = identity_obj.IdentityCatalog.list_endpoints(self.context, {
            'service_id': service['id'], 'interface': interface, 'region_id': region_id})
        if found:
            if found[0]['url'] != url:
                identity_obj.IdentityCatalog.update_endpoint(self.context, found[0]['id'],
                                                             {'url': url})
                self._note('Updated %s %s endpoint: %s', service['type'], interface, url)
            return
        identity_obj.IdentityCatalog.create_endpoint(self.context, {
            'service_id': service['id'], 'interface': interface, 'region_id': region_id,
            'url': url, 'enabled': True})
        self._note('Created %s %s endpoint in %s: %s', service['type'], interface,
                   region_id, url)

    def run(self, password, username='admin', project_name='admin', role_name='admin',
            region_id='RegionOne', public_url=None, internal_url=None, admin_url=None,
            extra_urls=None):
        """Make everything; ``*_url`` are base URLs of nova-api (the catalog's compute,
        image and identity endpoints are below them); ``extra_urls`` maps other service
        types (network, ec2) to their public URL."""
        domain = self._domain()
        project = self._project(domain['id'], project_name)
        user = self._user(domain['id'], username, password, project['id'])
        made = {name: self._role(name) for name in dict.fromkeys(
            (role_name,) + roles.DEFAULT_ROLES)}
        self._grant(user, project, made[role_name])
        base_urls = {'public': public_url, 'internal': internal_url, 'admin': admin_url}
        for service_type, (name, _path) in catalog.SERVICES.items():
            service = self._service(service_type, name)
            for interface, base_url in base_urls.items():
                if base_url:
                    self._endpoint(service, interface, region_id,
                                   catalog.service_urls(base_url)[service_type])
        for service_type, url in (extra_urls or {}).items():
            if url:
                service = self._service(service_type, catalog.OPTIONAL_SERVICES[service_type])
                self._endpoint(service, 'public', region_id, url)
        return {'domain': domain, 'project': project, 'user': user, 'roles': made}
