"""The registry of known extra specs, and the check the API runs from microversion 2.86.

A key matching a known spec must have a value that spec accepts. A key in a namespace
nova knows (the part before the first ':') but matching no spec is refused, since it is
most likely a typo. Keys without a namespace, or in a namespace nova does not know, pass:
they may be meant for an out-of-tree scheduler filter or driver.
"""

import importlib
import re

from nova import exception

NAMESPACE_MODULES = (
    'accel', 'aggregate_instance_extra_specs', 'capabilities', 'hw', 'hw_rng', 'hw_video',
    'null', 'os', 'pci_passthrough', 'quota', 'resources', 'traits',
)


def _load():
    exact, parametrized, namespaces = {}, [], []
    for module_name in NAMESPACE_MODULES:
        module = importlib.import_module('%s.%s' % (__package__, module_name))
        for spec in module.SPECS:
            if spec.is_parametrized:
                parametrized.append(spec)
            else:
                exact[spec.name] = spec
            namespace = spec.namespace_regex
            if namespace is not None and namespace not in namespaces:
                namespaces.append(namespace)
    return exact, parametrized, [re.compile(namespace) for namespace in namespaces]


EXACT, PARAMETRIZED, NAMESPACES = _load()


def find(key):
    """The known spec covering ``key``, or None."""
    spec = EXACT.get(key)
    if spec is not None:
        return spec
    return next((spec for spec in PARAMETRIZED if spec.matches(key)), None)


def in_known_namespace(key):
    if ':' not in key:
        return False
    prefix = key.split(':', 1)[0]
    return any(namespace.fullmatch(prefix) for namespace in NAMESPACES)


def validate(key, value):
    """Raise ValidationError (400) if ``key``/``value`` is not an acceptable extra spec."""
    spec = find(key)
    if spec is not None:
        spec.check_value(key, value)
    elif in_known_namespace(key):
        raise exception.ValidationError(
            detail="Validation failed; extra spec '%s' does not appear to be a valid "
                   "extra spec." % key)
