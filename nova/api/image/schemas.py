"""Glance's schema documents (GET /v2/schemas/image[s], member[s]) and create validation."""

import copy

from nova.image import local

READ_ONLY = ('status', 'created_at', 'updated_at', 'size', 'virtual_size', 'checksum',
             'os_hash_algo', 'os_hash_value', 'self', 'file', 'schema', 'direct_url',
             'locations')
RESERVED = ('deleted', 'deleted_at', 'location')

_uuid_pattern = ('^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}'
                 '-([0-9a-fA-F]){12}$')
_nullable_string = {'type': ['null', 'string'], 'maxLength': 255}

IMAGE_PROPERTIES = {
    'id': {'type': 'string', 'pattern': _uuid_pattern,
           'description': 'An identifier for the image'},
    'name': dict(_nullable_string, description='Descriptive name for the image'),
    'status': {'type': 'string', 'readOnly': True,
               'enum': ['queued', 'saving', 'active', 'killed', 'deleted', 'uploading',
                        'importing', 'pending_delete', 'deactivated'],
               'description': 'Status of the image'},
    'visibility': {'type': 'string', 'enum': list(local.VISIBILITIES),
                   'description': 'Scope of image accessibility'},
    'protected': {'type': 'boolean',
                  'description': 'If true, image will not be deletable.'},
    'os_hidden': {'type': 'boolean',
                  'description': 'If true, image will not appear in default image list '
                                 'response.'},
    'checksum': {'type': ['null', 'string'], 'readOnly': True, 'maxLength': 32,
                 'description': 'md5 hash of image contents.'},
    'os_hash_algo': {'type': ['null', 'string'], 'readOnly': True, 'maxLength': 64,
                     'description': 'Algorithm to calculate the os_hash_value'},
    'os_hash_value': {'type': ['null', 'string'], 'readOnly': True, 'maxLength': 128,
                      'description': 'Hexdigest of the image contents using the algorithm '
                                     'specified by the os_hash_algo'},
    'owner': dict(_nullable_string, description='Owner of the image'),
    'size': {'type': ['null', 'integer'], 'readOnly': True,
             'description': 'Size of image file in bytes'},
    'virtual_size': {'type': ['null', 'integer'], 'readOnly': True,
                     'description': 'Virtual size of image in bytes'},
    'container_format': {'type': ['null', 'string'],
                         'enum': [None] + list(local.CONTAINER_FORMATS),
                         'description': 'Format of the container'},
    'disk_format': {'type': ['null', 'string'], 'enum': [None] + list(local.DISK_FORMATS),
                    'description': 'Format of the disk'},
    'created_at': {'type': 'string', 'readOnly': True,
                   'description': 'Date and time of image registration'},
    'updated_at': {'type': 'string', 'readOnly': True,
                   'description': 'Date and time of the last image modification'},
    'tags': {'type': 'array', 'items': {'type': 'string', 'maxLength': 255},
             'description': 'List of strings related to the image'},
    'direct_url': {'type': 'string', 'readOnly': True,
                   'description': 'URL to access the image file kept in external store'},
    'min_ram': {'type': 'integer', 'minimum': 0,
                'description': 'Amount of ram (in MB) required to boot image.'},
    'min_disk': {'type': 'integer', 'minimum': 0,
                 'description': 'Amount of disk space (in GB) required to boot image.'},
    'self': {'type': 'string', 'readOnly': True,
             'description': 'An image self url'},
    'file': {'type': 'string', 'readOnly': True,
             'description': 'An image file url'},
    'schema': {'type': 'string', 'readOnly': True,
               'description': 'An image schema url'},
    'locations': {'type': 'array', 'items': {'type': 'object'},
                  'description': 'A set of URLs to access the image file kept in external '
                                 'store'},
    # Well-known extra properties clients look for.
    'kernel_id': {'type': ['null', 'string'], 'pattern': _uuid_pattern,
                  'description': 'ID of image stored in Glance that should be used as the '
                                 'kernel when booting an AMI-style image.',
                  'is_base': False},
    'ramdisk_id': {'type': ['null', 'string'], 'pattern': _uuid_pattern,
                   'description': 'ID of image stored in Glance that should be used as the '
                                  'ramdisk when booting an AMI-style image.',
                   'is_base': False},
    'instance_uuid': {'type': 'string',
                      'description': 'Metadata which can be used to record which instance '
                                     'this image is associated with. (Informational only, '
                                     'does not create an instance snapshot.)',
                      'is_base': False},
    'architecture': {'type': 'string', 'is_base': False,
                     'description': 'Operating system architecture'},
    'os_distro': {'type': 'string', 'is_base': False,
                  'description': 'Common name of operating system distribution'},
    'os_version': {'type': 'string', 'is_base': False,
                   'description': 'Operating system version as specified by the '
                                  'distributor'},
}

LINKS = [
    {'rel': 'self', 'href': '{self}'},
    {'rel': 'enclosure', 'href': '{file}'},
    {'rel': 'describedby', 'href': '{schema}'},
]

IMAGE_SCHEMA = {
    'name': 'image',
    'properties': IMAGE_PROPERTIES,
    'additionalProperties': {'type': 'string'},
    'links': LINKS,
}

IMAGES_SCHEMA = {
    'name': 'images',
    'properties': {
        'images': {'type': 'array', 'items': copy.deepcopy(IMAGE_SCHEMA)},
        'schema': {'type': 'string'},
        'first': {'type': 'string'},
        'next': {'type': 'string'},
    },
    'links': [
        {'rel': 'first', 'href': '{first}'},
        {'rel': 'next', 'href': '{next}'},
        {'rel': 'describedby', 'href': '{schema}'},
    ],
}

# What a create body or a patched image is checked against: the writable attributes,
# extra properties as strings.
WRITABLE_IMAGE = {
    'type': 'object',
    'properties': {name: {k: v for k, v in spec.items() if k not in ('description',
                                                                      'is_base')}
                   for name, spec in IMAGE_PROPERTIES.items()
                   if name in ('id', 'name', 'visibility', 'protected', 'os_hidden', 'owner',
                               'container_format', 'disk_format', 'tags', 'min_ram',
                               'min_disk')},
    'additionalProperties': {'type': 'string'},
}
WRITABLE_IMAGE['properties']['tags']['uniqueItems'] = False

MEMBER_SCHEMA = {
    'name': 'member',
    'properties': {
        'member_id': {'type': 'string',
                      'description': 'An identifier for the image member (tenantId)'},
        'image_id': {'type': 'string', 'pattern': _uuid_pattern,
                     'description': 'An identifier for the image'},
        'created_at': {'type': 'string',
                       'description': 'Date and time of image member creation'},
        'updated_at': {'type': 'string',
                       'description': 'Date and time of last modification of image member'},
        'status': {'type': 'string', 'enum': ['pending', 'accepted', 'rejected'],
                   'description': 'The status of this image member'},
        'schema': {'type': 'string', 'readOnly': True},
    },
    'additionalProperties': False,
}

MEMBERS_SCHEMA = {
    'name': 'members',
    'properties': {
        'members': {'type': 'array', 'items': copy.deepcopy(MEMBER_SCHEMA)},
        'schema': {'type': 'string'},
        'first': {'type': 'string'},
        'next': {'type': 'string'},
    },
    'links': [
        {'rel': 'first', 'href': '{first}'},
        {'rel': 'next', 'href': '{next}'},
        {'rel': 'describedby', 'href': '{schema}'},
    ],
}
