"""[upgrade_levels] options: RPC version caps for rolling upgrades."""

from oslo_config import cfg

upgrade_group = cfg.OptGroup('upgrade_levels', title='RPC version caps',
                             help='While services of an older release still run, cap the '
                                  'RPC versions sent to them so they understand every '
                                  'message; remove the caps once all are upgraded.')

upgrade_levels_opts = [
    cfg.StrOpt('conductor',
               help='The highest conductor RPC API version to send (for example 1.0), '
                    'while older nova-conductor services run. Unset: no cap.'),
]


def register_opts(conf):
    conf.register_group(upgrade_group)
    conf.register_opts(upgrade_levels_opts, group=upgrade_group)


def list_opts():
    return {upgrade_group.name: upgrade_levels_opts}
