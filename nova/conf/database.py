"""[database] (the main/cell database) and [api_database] (the API database).

Both groups carry oslo.db's full option set (connection, pool sizes, retries, ...), so
operators' files from upstream Nova carry over. Only nova-conductor, nova-manage and nova-all
read them: every other daemon runs with both unset.
"""

import copy

from oslo_config import cfg
from oslo_db import options as oslo_db_options

database_group = cfg.OptGroup('database', title='Main (cell) database options')
api_database_group = cfg.OptGroup('api_database', title='API database options')


def _api_db_opts():
    # Same option set, own copies: oslo.config opts must not be shared between groups.
    return [copy.deepcopy(opt) for opt in oslo_db_options.database_opts]


api_db_opts = _api_db_opts()


def register_opts(conf):
    oslo_db_options.set_defaults(conf)
    conf.register_group(api_database_group)
    conf.register_opts(api_db_opts, group=api_database_group)


def list_opts():
    return {
        database_group.name: oslo_db_options.database_opts,
        api_database_group.name: api_db_opts,
    }
