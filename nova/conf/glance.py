"""[glance] options: reaching a Glance v2 image API over HTTP.

Upstream's option names, so an operator's file carries over. The API may be an external
Glance or the built-in /image API of the host running nova-api.
"""

from oslo_config import cfg

glance_group = cfg.OptGroup('glance', title='Glance options',
                            help='How services without the local image store reach the '
                                 'image API.')

glance_opts = [
    cfg.ListOpt('api_servers',
                default=[],
                help='Base URLs of the Glance v2 image API, tried in random order, e.g. '
                     'http://controller1:8774/image or https://glance.example.org:9292 '
                     '(requests go to <url>/v2/...). When set, services that do not serve '
                     'the built-in image API themselves (nova-compute on its own host) '
                     'use it; nova-api and nova-all keep their local store unless '
                     '[image] backend is glance.'),
    cfg.IntOpt('num_retries',
               default=3, min=0,
               help='How many more times a read (GET) is tried, on the next server, after '
                    'a connection failure or timeout.'),
    cfg.FloatOpt('timeout',
                 default=60.0, min=0.1,
                 help='Seconds to wait for the image API to connect or send the next '
                      'bytes of an answer.'),
    cfg.StrOpt('cafile',
               help='PEM bundle of the certificate authorities to trust for https '
                    'api_servers; unset: the system bundle.'),
    cfg.BoolOpt('insecure',
                default=False,
                help='Do not verify the certificate of https api_servers (tests only).'),
]


def register_opts(conf):
    conf.register_group(glance_group)
    conf.register_opts(glance_opts, group=glance_group)


def list_opts():
    return {glance_group.name: glance_opts}
