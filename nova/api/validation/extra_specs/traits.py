"""``trait[GROUP]:TRAIT``: placement traits to require or forbid."""

import os_traits

from nova.api.validation.extra_specs.base import enum

GROUP = r'([a-zA-Z0-9_-]{1,64})?'
TRAIT = '|'.join(sorted(os_traits.get_traits(), key=len, reverse=True) +
                 [r'CUSTOM_[A-Z0-9_]+'])

SPECS = (
    enum('trait{group}:{trait}', 'required', 'forbidden', group=GROUP, trait=TRAIT),
)
