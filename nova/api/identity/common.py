"""Helpers the identity resource handlers share: filters, extras, defaults."""

from oslo_utils import strutils

from nova import exception
import nova.conf
from nova.i18n import _

CONF = nova.conf.CONF


def split_extra(values, known):
    """(known attributes, extra attributes) of a request body's resource."""
    core = {key: value for key, value in values.items() if key in known}
    extra = {key: value for key, value in values.items() if key not in known}
    return core, extra


def bool_filter(req, name):
    value = req.GET.get(name)
    if value is None:
        return None
    if value == '' or value.lower() not in ('true', 'false', '1', '0', 'yes', 'no'):
        raise exception.ValidationError(detail=_(
            "Invalid input for field '%(name)s': %(value)r is not a boolean") % {
                'name': name, 'value': value})
    return strutils.bool_from_string(value)


def flag(req, name):
    """A query flag: present with no value or a true value (``?effective``)."""
    if name not in req.GET:
        return False
    return req.GET[name] == '' or bool_filter(req, name)


def filters(req, names, booleans=()):
    """The query parameters among ``names`` (and boolean ``booleans``) as a filter dict."""
    result = {name: req.GET[name] for name in names if req.GET.get(name) is not None}
    for name in booleans:
        value = bool_filter(req, name)
        if value is not None:
            result[name] = value
    return result


def default_domain_id(caller):
    """The domain of a project or user created without one: the token's domain when it is
    domain-scoped, otherwise [identity] default_domain_id (Keystone's rule)."""
    return caller.domain_id or CONF.identity.default_domain_id

