"""tempest.lib authentication for nova's noauth2 strategy."""

from tempest.lib import auth


class NoAuth2Provider(auth.AuthProvider):
    """tempest.lib auth for noauth2: a fixed 'user:project' token and a fixed base URL."""

    def __init__(self, base_url, token='admin:admin'):
        super().__init__(auth.KeystoneV3Credentials(
            username='admin', password='unused', project_name='admin',
            user_domain_name='Default', project_domain_name='Default'))
        self._base_url, self._token = base_url, token

    def _decorate_request(self, filters, method, url, headers=None, body=None,
                          auth_data=None):
        headers = dict(headers or {}, **{'X-Auth-Token': self._token})
        return '%s/%s' % (self._base_url, url.lstrip('/')) if url else self._base_url, \
            headers, body

    def _get_auth(self):
        return self._token, {}

    def get_token(self):
        return self._token

    def _fill_credentials(self, auth_data_body):
        pass

    def base_url(self, filters, auth_data=None):
        return self._base_url

    def is_expired(self, auth_data):
        return False
