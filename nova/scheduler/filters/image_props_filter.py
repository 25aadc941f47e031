"""ImagePropertiesFilter: only hosts that can run the image's architecture, hypervisor
type and vm mode (hw_architecture, img_hv_type, hw_vm_mode), at the hypervisor version it
requires (img_hv_requested_version, e.g. ">=6.0" or ">=2.1, <3")."""

import operator
import re

from oslo_utils import versionutils

from nova.scheduler import filters
from nova.scheduler import utils

_ARCH_ALIASES = {'amd64': 'x86_64', 'x64': 'x86_64', 'i386': 'i686', 'i486': 'i686',
                 'i586': 'i686', 'x86_32': 'i686'}
_HV_TYPE_ALIASES = {'xapi': 'xen'}
_VM_MODE_ALIASES = {'pv': 'xen', 'hv': 'hvm', 'baremetal': 'hvm'}
_COMPARISONS = {'>=': operator.ge, '<=': operator.le, '>': operator.gt, '<': operator.lt,
                '==': operator.eq, '!=': operator.ne, '=': operator.eq}
_REQUIREMENT = re.compile(r'^\s*(>=|<=|==|!=|>|<|=)?\s*([0-9][0-9.]*)\s*$')


def _canonical(value, aliases):
    if not value:
        return None
    value = str(value).lower()
    return aliases.get(value, value)


def _version_tuple(text):
    return tuple(int(part) for part in text.split('.') if part != '')


def version_satisfies(version, requirement):
    """Does ``version`` (dotted string) meet every comma-separated clause? A clause
    without an operator means equality. A malformed requirement matches nothing."""
    have = _version_tuple(version)
    for clause in requirement.split(','):
        found = _REQUIREMENT.match(clause)
        if not found:
            return False
        compare = _COMPARISONS[found.group(1) or '==']
        want = _version_tuple(found.group(2))
        width = max(len(have), len(want))
        if not compare(have + (0,) * (width - len(have)), want + (0,) * (width - len(want))):
            return False
    return True


class ImagePropertiesFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        props = utils.image_properties(spec_obj)
        wanted = (_canonical(props.get('hw_architecture'), _ARCH_ALIASES),
                  _canonical(props.get('img_hv_type'), _HV_TYPE_ALIASES),
                  _canonical(props.get('hw_vm_mode'), _VM_MODE_ALIASES))
        if any(wanted) and not any(
                all(want is None or want == have for want, have in zip(wanted, supported))
                for supported in host_state.supported_instances):
            return False
        required = props.get('img_hv_requested_version')
        if required and host_state.hypervisor_version:
            version = versionutils.convert_version_to_str(host_state.hypervisor_version)
            return version_satisfies(version, str(required))
        return True
