"""Where the API services listen and which paste file builds their WSGI apps."""

from oslo_config import cfg

wsgi_group = cfg.OptGroup('wsgi', title='WSGI options',
                          help='Options for the WSGI servers of the API services.')

wsgi_opts = [
    cfg.StrOpt('api_paste_config',
               default='api-paste.ini',
               help='The PasteDeploy file describing the API pipelines. An absolute path '
                    'is used as it is; a relative name is looked up beside the '
                    'configuration files (oslo.config find_file) and otherwise the copy '
                    'shipped inside the nova package is used.'),
]

listen_opts = [
    cfg.HostAddressOpt('osapi_compute_listen',
                       default='0.0.0.0',
                       help='Address the Compute API (osapi_compute) listens on.'),
    cfg.PortOpt('osapi_compute_listen_port',
                default=8774,
                help='Port the Compute API listens on.'),
    cfg.IntOpt('osapi_compute_workers',
               min=1,
               help='Worker threads serving the Compute API. Unset means the server '
                    'default.'),
]


def register_opts(conf):
    conf.register_group(wsgi_group)
    conf.register_opts(wsgi_opts, group=wsgi_group)
    conf.register_opts(listen_opts)


def list_opts():
    return {wsgi_group.name: wsgi_opts, 'DEFAULT': listen_opts}
