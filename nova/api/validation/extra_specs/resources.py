"""``resources[GROUP]:RC``: amounts of placement resource classes to request."""

import os_resource_classes

from nova.api.validation.extra_specs.base import integer

GROUP = r'([a-zA-Z0-9_-]{1,64})?'
RESOURCE_CLASS = '|'.join(list(os_resource_classes.STANDARDS) + [r'CUSTOM_[A-Z0-9_]+'])

SPECS = (
    integer('resources{group}:{resource_class}', group=GROUP,
            resource_class=RESOURCE_CLASS),
)
