"""Compute API microversions: parsing, comparison and the supported range.

A microversion is "MAJOR.MINOR" (``2.1`` .. ``2.104``). Clients ask for one with
``OpenStack-API-Version: compute 2.53`` (or the older ``X-OpenStack-Nova-API-Version: 2.53``);
without a header they get the minimum, ``2.1``. The history of what each version changed
is in the api-ref of upstream Nova; the handlers mark their ranges with ``api_version``.
"""

import functools
import re

from nova import exception

MIN_API_VERSION = '2.1'
MAX_API_VERSION = '2.104'
DEFAULT_API_VERSION = MIN_API_VERSION

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


@functools.total_ordering
class APIVersionRequest:
    """A microversion, or the null version (no version: matches anything as a bound)."""

    def __init__(self, version_string=None):
        self.ver_major = 0
        self.ver_minor = 0
        if version_string is None:
            return
        match = _VERSION_RE.match(version_string)
        if match is None:
            raise exception.InvalidAPIVersionString(version=version_string)
        self.ver_major = int(match.group(1))
        self.ver_minor = int(match.group(2))

    def is_null(self):
        return self.ver_major == 0 and self.ver_minor == 0

    def _as_tuple(self):
        return (self.ver_major, self.ver_minor)

    def __eq__(self, other):
        if not isinstance(other, APIVersionRequest):
            return NotImplemented
        return self._as_tuple() == other._as_tuple()

    def __lt__(self, other):
        if not isinstance(other, APIVersionRequest):
            return NotImplemented
        return self._as_tuple() < other._as_tuple()

    def __hash__(self):
        return hash(self._as_tuple())

    def matches(self, min_version, max_version=None):
        """Is this version within [min_version, max_version]? A null bound is open."""
        min_version = as_version(min_version)
        max_version = as_version(max_version)
        if self.is_null():
            raise ValueError('A null version matches no range')
        if not min_version.is_null() and self < min_version:
            return False
        if not max_version.is_null() and self > max_version:
            return False
        return True

    def get_string(self):
        if self.is_null():
            raise ValueError('The null version has no string form')
        return '%d.%d' % self._as_tuple()

    __str__ = get_string

    def __repr__(self):
        if self.is_null():
            return '<APIVersionRequest null>'
        return '<APIVersionRequest %s>' % self.get_string()


def as_version(value):
    """An APIVersionRequest from a string, None (null) or an APIVersionRequest."""
    if isinstance(value, APIVersionRequest):
        return value
    return _parsed(value)


@functools.lru_cache(maxsize=256)
def _parsed(value):
    # Views ask is_supported(req, '2.x') dozens of times per server of a list; the
    # handful of version strings in the code are parsed once. Versions are never changed.
    return APIVersionRequest(value)


def min_api_version():
    return APIVersionRequest(MIN_API_VERSION)


def max_api_version():
    return APIVersionRequest(MAX_API_VERSION)


def from_header_value(value):
    """The version a client asked for: a version string or 'latest'; checks the range."""
    if value is None:
        return APIVersionRequest(DEFAULT_API_VERSION)
    if value.strip().lower() == 'latest':
        return max_api_version()
    version = APIVersionRequest(value.strip())
    if not version.matches(min_api_version(), max_api_version()):
        raise exception.InvalidGlobalAPIVersion(
            req_ver=version.get_string(), min_ver=MIN_API_VERSION, max_ver=MAX_API_VERSION)
    return version


def is_supported(req, min_version, max_version=None):
    """Is the request's microversion within [min_version, max_version]?"""
    return req.api_version_request.matches(min_version, max_version)
