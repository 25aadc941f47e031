"""[conductor] options."""

from oslo_config import cfg

conductor_group = cfg.OptGroup('conductor', title='Conductor options')

conductor_opts = [
    cfg.IntOpt('workers',
               min=1,
               help='Worker processes of nova-conductor, each serving the same queues. '
                    'Unset means one per CPU. nova-all ignores it (one process).'),
]


def register_opts(conf):
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts():
    return {conductor_group.name: conductor_opts}
