"""One known extra spec: the keys it covers and the values it accepts."""

import dataclasses
import re

from oslo_utils import strutils

from nova import exception

_PLACEHOLDER = re.compile(r'\{(\w+)\}')


def _fail(message):
    raise exception.ValidationError(detail='Validation failed; ' + message)


@dataclasses.dataclass
class ExtraSpec:
    """A known extra spec.

    ``name`` may contain ``{placeholder}`` parts (``hw:numa_cpus.{id}``); ``params`` maps
    each placeholder to the regular expression it matches. ``kind`` is 'str', 'int' or
    'bool'; strings may be limited by ``enum`` or ``pattern``, integers by ``min``/``max``.
    """

    name: str
    kind: str
    enum: tuple = ()
    pattern: str = None
    min: int = None
    max: int = None
    params: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in ('str', 'int', 'bool'):
            raise ValueError('unknown extra spec kind %r' % self.kind)
        self.key_regex = re.compile(self._name_to_regex())
        self.value_regex = re.compile(self.pattern) if self.pattern else None

    def _name_to_regex(self):
        parts, position = [], 0
        for match in _PLACEHOLDER.finditer(self.name):
            parts.append(re.escape(self.name[position:match.start()]))
            parts.append('(?:%s)' % self.params[match.group(1)])
            position = match.end()
        parts.append(re.escape(self.name[position:]))
        return ''.join(parts)

    @property
    def is_parametrized(self):
        return bool(self.params)

    @property
    def namespace_regex(self):
        """The regex of the part before the first ':' (None for un-namespaced specs)."""
        if ':' not in self.name:
            return None
        prefix = self.name.split(':', 1)[0]
        return ExtraSpec(prefix, 'str', params=self.params).key_regex.pattern

    def matches(self, key):
        return self.key_regex.fullmatch(key) is not None

    def check_value(self, key, value):
        """Raise ValidationError (400) unless ``value`` (a string) suits this spec."""
        if self.kind == 'bool':
            try:
                strutils.bool_from_string(value, strict=True)
            except ValueError:
                _fail("extra spec '%s' must be a boolean-like value, not '%s'."
                      % (key, value))
        elif self.kind == 'int':
            try:
                number = int(value)
            except ValueError:
                _fail("extra spec '%s' must be an integer, not '%s'." % (key, value))
            if self.min is not None and number < self.min:
                _fail("extra spec '%s' must be at least %d, not %d."
                      % (key, self.min, number))
            if self.max is not None and number > self.max:
                _fail("extra spec '%s' must be at most %d, not %d."
                      % (key, self.max, number))
        elif self.enum and value not in self.enum:
            _fail("extra spec '%s' must be one of: %s; not '%s'."
                  % (key, ', '.join(self.enum), value))
        elif self.value_regex is not None and not self.value_regex.fullmatch(value):
            _fail("extra spec '%s' must match '%s', not '%s'."
                  % (key, self.pattern, value))


# The declarative forms the namespace modules use. Keyword arguments other than the
# value limits are the placeholder patterns of the name.

def boolean(name, **params):
    return ExtraSpec(name, 'bool', params=params)


def integer(name, min=None, max=None, **params):
    return ExtraSpec(name, 'int', min=min, max=max, params=params)


def enum(name, *values, **params):
    return ExtraSpec(name, 'str', enum=tuple(values), params=params)


def string(name, pattern=None, **params):
    return ExtraSpec(name, 'str', pattern=pattern, params=params)
