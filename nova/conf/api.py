"""Options of the Compute REST API: [api] and the deprecated-upstream [osapi_v21] group."""

from oslo_config import cfg

api_group = cfg.OptGroup('api', title='API options',
                         help='Options for the Compute REST API (nova-api).')

api_opts = [
    cfg.StrOpt('auth_strategy',
               default='noauth2',
               choices=[('noauth2', 'No authentication: the X-Auth-Token header '
                                    '"user:project" is trusted as given. The user '
                                    '"admin" is an administrator. For tests and '
                                    'trusted single-box deployments only.'),
                        ('local', 'Tokens of the built-in identity service (/identity), '
                                  'validated in this process against its key '
                                  'repository and the API database.'),
                        ('keystone', 'Tokens of a Keystone, validated by '
                                     'keystonemiddleware auth_token (configured in '
                                     '[keystone_authtoken]).')],
               help='How API requests are authenticated; selects the pipeline of the '
                    'same name in api-paste.ini.'),
    cfg.StrOpt('compute_link_prefix',
               help='Scheme, host and optional path that replace those of the request '
                    'URL in links the Compute API returns (for example when it is '
                    'reached through a proxy): "https://cloud.example.com/compute".'),
    cfg.IntOpt('max_limit',
               default=1000, min=0,
               help='The most items a single collection response returns; clients page '
                    'on with the "marker" parameter.'),
    cfg.BoolOpt('enable_instance_password',
                default=True,
                help='Return the generated or given admin password (adminPass) when a '
                     'server is created or rebuilt.'),
    cfg.BoolOpt('use_forwarded_for',
                default=False,
                help='Take the client address from the X-Forwarded-For header. Only '
                     'enable behind a proxy that sets it.'),
]

osapi_v21_group = cfg.OptGroup('osapi_v21', title='Compute API v2.1 routing options')

osapi_v21_opts = [
    cfg.StrOpt('project_id_regex',
               help='Regular expression a project id in a request URL '
                    '(/v2.1/{project_id}/...) must match. Unset means "[0-9a-f\\-]+", '
                    'the form of Keystone project ids.'),
]


def register_opts(conf):
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)
    conf.register_group(osapi_v21_group)
    conf.register_opts(osapi_v21_opts, group=osapi_v21_group)


def list_opts():
    return {api_group.name: api_opts, osapi_v21_group.name: osapi_v21_opts}
