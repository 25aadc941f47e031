"""[image] options: the image backend and the local store behind the built-in image API."""

from oslo_config import cfg

image_group = cfg.OptGroup('image', title='Image options',
                           help='Where images are kept and how the built-in, Glance v2 '
                                'compatible image API (/image) serves them.')

image_opts = [
    cfg.StrOpt('backend',
               default='local',
               choices=[('local', 'Images in the API database, data as files under '
                                  'local_store_path, where the built-in image API is '
                                  'served; other services reach it through [glance] '
                                  'api_servers when that is set.'),
                        ('glance', 'Every service uses the Glance v2 API at [glance] '
                                   'api_servers (a site that runs Glance).')],
               help='The image backend nova code reads and writes images through.'),
    cfg.StrOpt('local_store_path',
               default='$state_path/images',
               help='Directory holding the data of the local image store, one file per '
                    'image named by its id.'),
    cfg.IntOpt('max_image_size_mb',
               default=1024 * 1024, min=1,
               help='The largest image upload accepted, in MiB; larger uploads answer '
                    '413 and nothing is kept.'),
    cfg.IntOpt('limit_param_default',
               default=25, min=1,
               help='Images a list returns when the request gives no limit.'),
    cfg.IntOpt('image_member_quota',
               default=128, min=-1,
               help='The most projects one image may be shared with; -1 for no limit. '
                    'Adding one more member answers 413.'),
    cfg.IntOpt('api_limit_max',
               default=1000, min=1,
               help='The most images one list request returns, whatever limit it asks.'),
]


def register_opts(conf):
    conf.register_group(image_group)
    conf.register_opts(image_opts, group=image_group)


def list_opts():
    return {image_group.name: image_opts}
