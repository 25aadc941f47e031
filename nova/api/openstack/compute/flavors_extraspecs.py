"""/flavors/{flavor_id}/os-extra_specs: read for everyone, written by admins.

From 2.86 keys and values are checked against the extra specs nova knows
(nova.api.validation.extra_specs); before that any key the schema allows is stored.
Create, update and delete answer 200, as upstream does.
"""

import webob.exc

from nova import exception
from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute import flavors
from nova.api.openstack.compute.schemas import flavors_extraspecs as schemas
from nova.api.validation.extra_specs import validators
from nova.i18n import _
from nova.policy import authorize

RULE = 'os_compute_api:os-flavor-extra-specs:%s'
VALIDATION_MIN_VERSION = '2.86'
_MAX_VALUE_LENGTH = 255


def _no_such_key(flavor_id, key):
    return webob.exc.HTTPNotFound(explanation=_(
        'Flavor %(flavor_id)s has no extra specs with key %(key)s.')
        % {'flavor_id': flavor_id, 'key': key})


class FlavorExtraSpecsController:

    def _check_values(self, req, specs):
        """Numbers become strings (the schema only limits the length of strings), and from
        2.86 every key and value must suit the extra spec nova knows by that name."""
        validate = api_version_request.is_supported(req, VALIDATION_MIN_VERSION)
        checked = {}
        for key, value in specs.items():
            if isinstance(value, (int, float)):
                value = str(value)
                if len(value) > _MAX_VALUE_LENGTH:
                    raise exception.InvalidInput(
                        reason=_('extra_specs value has more than %d characters.')
                        % _MAX_VALUE_LENGTH)
            if validate:
                validators.validate(key, value)
            checked[key] = value
        return checked

    @staticmethod
    def _store(context, flavor_id, specs):
        flavor = flavors.get_flavor(context, flavor_id)
        try:
            flavor.save_extra_specs(to_add=specs)
        except exception.FlavorNotFound as exc:  # deleted meanwhile
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())

    # Reading is open to every caller, as upstream's default policy has it (a non-admin
    # still only finds flavors it may see).

    @wsgi.expected_errors(404)
    def index(self, req, flavor_id):
        authorize(req.environ['nova.context'], RULE % 'index')
        flavor = flavors.get_flavor(req.environ['nova.context'], flavor_id)
        return {'extra_specs': dict(flavor.extra_specs)}

    @wsgi.expected_errors(404)
    def show(self, req, flavor_id, id):
        authorize(req.environ['nova.context'], RULE % 'show')
        flavor = flavors.get_flavor(req.environ['nova.context'], flavor_id)
        if id not in flavor.extra_specs:
            raise _no_such_key(flavor_id, id)
        return {id: flavor.extra_specs[id]}

    @wsgi.expected_errors((400, 404, 409))
    @validation.schema(schemas.create)
    def create(self, req, flavor_id, body):
        context = req.environ['nova.context']
        authorize(context, RULE % 'create')
        specs = self._check_values(req, body['extra_specs'])
        self._store(context, flavor_id, specs)
        return body

    @wsgi.expected_errors((400, 404, 409))
    @validation.schema(schemas.update)
    def update(self, req, flavor_id, id, body):
        context = req.environ['nova.context']
        authorize(context, RULE % 'update')
        specs = self._check_values(req, body)
        if id not in body:
            raise webob.exc.HTTPBadRequest(explanation=_('Request body and URI mismatch'))
        self._store(context, flavor_id, specs)
        return body

    @wsgi.expected_errors(404)
    def delete(self, req, flavor_id, id):
        context = req.environ['nova.context']
        authorize(context, RULE % 'delete')
        flavor = flavors.get_flavor(context, flavor_id)
        try:
            flavor.delete_extra_spec(id)
        except exception.FlavorExtraSpecsNotFound:
            raise _no_such_key(flavor_id, id)
        except exception.FlavorNotFound as exc:
            raise webob.exc.HTTPNotFound(explanation=exc.format_message())
