"""[identity] options: the built-in, Keystone v3 compatible identity service (/identity)."""

from oslo_config import cfg

identity_group = cfg.OptGroup('identity', title='Identity options',
                              help='The built-in identity service nova-api serves under '
                                   '/identity: tokens, password hashing, its key '
                                   'repository.')

identity_opts = [
    cfg.IntOpt('token_expiration',
               default=3600, min=60,
               help='Seconds a token stays valid after it is issued.'),
    cfg.StrOpt('key_repository',
               default='$state_path/fernet-keys',
               help='Directory of the Fernet keys that sign and encrypt tokens, as '
                    'keystone-manage fernet_setup lays it out: "0" is the staged key, the '
                    'highest number the primary. Create it with "nova-manage identity '
                    'fernet_setup", rotate with "nova-manage identity fernet_rotate", and '
                    'copy it to every host serving the API.'),
    cfg.IntOpt('max_active_keys',
               default=3, min=2,
               help='Keys kept in the repository by rotation (staged, primary and '
                    'secondaries). A token stays readable while the key that made it is '
                    'kept, so this times the rotation interval must exceed '
                    'token_expiration.'),
    cfg.StrOpt('password_hash_algorithm',
               default='scrypt',
               choices=[('scrypt', 'scrypt (memory-hard) from the cryptography library'),
                        ('pbkdf2_sha512', 'PBKDF2 with HMAC-SHA512')],
               help='Key derivation function new password hashes use. Hashes made with '
                    'another algorithm or cost keep verifying.'),
    cfg.IntOpt('password_hash_rounds',
               min=1,
               help='Cost of the password hash: log2 of the scrypt work factor N '
                    '(default 15, 32 MiB of memory per hash) or the PBKDF2 iteration '
                    'count (default 600000).'),
    cfg.IntOpt('max_password_length',
               default=4096, min=1,
               help='Longest password accepted, in characters.'),
    cfg.BoolOpt('auto_bootstrap',
                default=False,
                help='nova-all only: on start, when the built-in identity has no admin user '
                     'yet, bootstrap it as "nova-manage identity bootstrap" does, with a '
                     'random admin password, and write an openstack CLI profile to '
                     'clouds_yaml. Later starts keep the existing users. The edge '
                     'configuration turns this on.'),
    cfg.StrOpt('clouds_yaml',
               default='$state_path/clouds.yaml',
               help='Where auto_bootstrap writes the clouds.yaml profile (mode 0600) of the '
                    'admin user, as the cloud "edge": "export OS_CLIENT_CONFIG_FILE=<this '
                    'file> OS_CLOUD=edge" and the openstack CLI is ready.'),
    cfg.URIOpt('public_endpoint',
               help='Base URL of nova-api that auto_bootstrap puts in the catalog (the '
                    'compute, image and identity endpoints are below it); default '
                    'http://<my_ip>:<osapi_compute_listen_port>.'),
    cfg.StrOpt('default_domain_id',
               default='default',
               help='Domain of users and projects created without one, and the id '
                    '"nova-manage identity bootstrap" gives the Default domain.'),
]


def register_opts(conf):
    conf.register_group(identity_group)
    conf.register_opts(identity_opts, group=identity_group)


def list_opts():
    return {identity_group.name: identity_opts}
