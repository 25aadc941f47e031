"""JSON-schema validation of request bodies and query strings, per microversion range.

Usage on a controller method (below ``api_version``/``expected_errors``)::

    @validation.schema(schemas.update, '2.1', '2.52')
    @validation.schema(schemas.update_v253, '2.53')
    def update(self, req, id, body): ...

A request whose microversion no decorator covers is not validated by any of them. Errors
answer 400 badRequest with a message naming the field. On the legacy /v2 endpoint unknown
body properties are dropped instead of refused, as the v2.0 API did.
"""

import functools
import re

import jsonschema
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import exception
from nova.i18n import _

_format_checker = jsonschema.FormatChecker()


@_format_checker.checks('uuid')
def _is_uuid(instance):
    if not isinstance(instance, str):
        return True  # formats constrain strings only; 'type' catches the rest
    return uuidutils.is_uuid_like(instance)


@_format_checker.checks('date-time')
def _is_date_time(instance):
    """ISO 8601 as the API takes it (a time zone is optional: UTC is assumed)."""
    if not isinstance(instance, str):
        return True
    try:
        timeutils.parse_isotime(instance)
    except ValueError:
        return False
    return True


_base_additional_properties = jsonschema.Draft4Validator.VALIDATORS['additionalProperties']


def _drop_additional_properties(validator, additional, instance, schema):
    """additionalProperties: false, relaxed: unknown keys are removed, not refused."""
    if additional is not False or not validator.is_type(instance, 'object'):
        yield from _base_additional_properties(validator, additional, instance, schema)
        return
    known = schema.get('properties', {})
    patterns = schema.get('patternProperties', {})
    for key in [k for k in instance if k not in known]:
        if not any(re.search(pattern, key) for pattern in patterns):
            del instance[key]


_StrictValidator = jsonschema.Draft4Validator
_RelaxedValidator = jsonschema.validators.extend(
    jsonschema.Draft4Validator, {'additionalProperties': _drop_additional_properties})


def validate(schema, instance, relax_additional_properties=False, is_query=False):
    """Check ``instance`` against ``schema``; raise ValidationError (400) with a clear message.

    A query string is validated as {name: [values]}: its errors name the parameter (the
    first element of the error's path), a body's the innermost field.
    """
    cls = _RelaxedValidator if relax_additional_properties else _StrictValidator
    validator = cls(schema, format_checker=_format_checker)
    try:
        validator.validate(instance)
    except jsonschema.ValidationError as exc:
        if exc.path and is_query:
            detail = _('Invalid input for query parameters %(path)s. Value: %(value)s. '
                       '%(message)s') % {'path': exc.path[0], 'value': exc.instance,
                                         'message': exc.message}
        elif exc.path:
            detail = _('Invalid input for field/attribute %(path)s. Value: %(value)s. '
                       '%(message)s') % {'path': exc.path[-1], 'value': exc.instance,
                                         'message': exc.message}
        else:
            detail = exc.message
        raise exception.ValidationError(detail=detail)
    except TypeError as exc:  # e.g. a non-string key against patternProperties
        raise exception.ValidationError(detail=str(exc))


def _in_range(req, min_version, max_version):
    if min_version is None and max_version is None:
        return True
    return req.api_version_request.matches(min_version, max_version)


def schema(request_body_schema, min_version=None, max_version=None):
    """Validate the ``body`` argument for requests in [min_version, max_version]."""
    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, req, *args, **kwargs):
            if _in_range(req, min_version, max_version):
                validate(request_body_schema, kwargs.get('body'),
                         relax_additional_properties=req.is_legacy_v2())
            return func(self, req, *args, **kwargs)
        return wrapper
    return decorator


def _strip_unknown_query_parameters(query_schema, req):
    known = query_schema.get('properties', {})
    patterns = query_schema.get('patternProperties', {})
    for param in set(req.GET.keys()):
        if param not in known and not any(re.search(p, param) for p in patterns):
            del req.GET[param]


def query_schema(request_query_schema, min_version=None, max_version=None):
    """Validate the query string (as {name: [values]}) for requests in the range.

    When the schema allows additional properties, unknown parameters are removed from
    ``req.GET`` so handlers see only what they document.
    """
    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, req, *args, **kwargs):
            if _in_range(req, min_version, max_version):
                validate(request_query_schema, req.GET.dict_of_lists(), is_query=True)
                if request_query_schema.get('additionalProperties', True) is not False:
                    _strip_unknown_query_parameters(request_query_schema, req)
            return func(self, req, *args, **kwargs)
        return wrapper
    return decorator
