"""/os-keypairs: a user's SSH keys and X.509 certificates.

2.2 adds the key type (ssh or x509), answers create with 201 and delete with 204. 2.10 lets
admins act on another user's key pairs with ``user_id``. 2.35 pages the list (limit,
marker, keypairs_links). 2.92 stops generating keys (public_key is required) and allows
'@' and '.' in names.
"""

from nova.api import validation
from nova.api.openstack import api_version_request
from nova.api.openstack import wsgi
from nova.api.openstack.compute.schemas import keypairs as schemas
from nova.api.openstack.compute.views import collection_links
from nova.api.openstack.compute.views import keypairs as views
from nova.compute import api as compute_api
import nova.conf
from nova.objects import keypair as keypair_obj
from nova.policy import authorize

CONF = nova.conf.CONF

RULE = 'os_compute_api:os-keypairs:%s'

TYPE_MIN_VERSION = '2.2'
USER_ID_MIN_VERSION = '2.10'
PAGING_MIN_VERSION = '2.35'
NO_GENERATION_MIN_VERSION = '2.92'


def _is_supported(req, version):
    return api_version_request.is_supported(req, version)


class KeypairController:

    def __init__(self):
        self.api = compute_api.KeypairAPI()

    def _owner(self, req, action, requested_user_id=None):
        """The user whose key pairs the request is about (by default policy, only admins
        may name another user, from 2.10)."""
        context = req.environ['nova.context']
        user_id = context.user_id
        if _is_supported(req, USER_ID_MIN_VERSION):
            if requested_user_id is None and 'user_id' in req.GET:
                requested_user_id = req.GET.getall('user_id')[0]
            user_id = requested_user_id or user_id
        authorize(context, RULE % action,
                  target={'user_id': user_id, 'project_id': context.project_id})
        return context, user_id

    # -- POST /os-keypairs -------------------------------------------------------------------

    @wsgi.expected_errors((400, 403, 409))
    @validation.schema(schemas.create, '2.1', '2.1')
    @validation.schema(schemas.create_v22, '2.2', '2.9')
    @validation.schema(schemas.create_v210, '2.10', '2.91')
    @validation.schema(schemas.create_v292, NO_GENERATION_MIN_VERSION)
    def create(self, req, body):
        params = body['keypair']
        context, user_id = self._owner(req, 'create', params.get('user_id'))
        key_type = params.get('type', keypair_obj.KEYPAIR_TYPE_SSH)
        if 'public_key' in params:
            keypair = self.api.import_key_pair(context, user_id, params['name'],
                                               params['public_key'], key_type)
            view = views.created(req, keypair)
        else:
            keypair, private_key = self.api.create_key_pair(context, user_id,
                                                            params['name'], key_type)
            view = views.created(req, keypair, private_key)
        code = 201 if _is_supported(req, TYPE_MIN_VERSION) else 200
        return wsgi.ResponseObject(view, code=code)

    # -- GET /os-keypairs --------------------------------------------------------------------

    @wsgi.expected_errors(400)
    @validation.query_schema(schemas.query, '2.1', '2.9')
    @validation.query_schema(schemas.query_v210, USER_ID_MIN_VERSION, '2.34')
    @validation.query_schema(schemas.index_query_v235, PAGING_MIN_VERSION, '2.74')
    @validation.query_schema(schemas.index_query_v275, '2.75')
    def index(self, req):
        context, user_id = self._owner(req, 'index')
        if not _is_supported(req, PAGING_MIN_VERSION):
            keypairs = self.api.get_key_pairs(context, user_id)
            return {'keypairs': [views.summary(req, keypair) for keypair in keypairs]}
        limit = min(int(req.GET.get('limit', CONF.api.max_limit)), CONF.api.max_limit)
        keypairs = self.api.get_key_pairs(context, user_id, limit=limit,
                                          marker=req.GET.get('marker'))  # MarkerNotFound
        result = {'keypairs': [views.summary(req, keypair) for keypair in keypairs]}
        links = collection_links.next_links(req, list(keypairs), 'os-keypairs',
                                            lambda keypair: keypair.name)
        if links:
            result['keypairs_links'] = links
        return result

    # -- GET /os-keypairs/{name} -------------------------------------------------------------

    @wsgi.expected_errors(404)
    @validation.query_schema(schemas.query, '2.1', '2.9')
    @validation.query_schema(schemas.query_v210, USER_ID_MIN_VERSION, '2.74')
    @validation.query_schema(schemas.query_v275, '2.75')
    def show(self, req, id):
        context, user_id = self._owner(req, 'show')
        return views.detail(req, self.api.get_key_pair(context, user_id, id))

    # -- DELETE /os-keypairs/{name} ----------------------------------------------------------

    @wsgi.expected_errors(404)
    @validation.query_schema(schemas.query, '2.1', '2.9')
    @validation.query_schema(schemas.query_v210, USER_ID_MIN_VERSION, '2.74')
    @validation.query_schema(schemas.query_v275, '2.75')
    def delete(self, req, id):
        context, user_id = self._owner(req, 'delete')
        self.api.delete_key_pair(context, user_id, id)  # KeypairNotFound: 404
        return wsgi.ResponseObject(None, code=204 if _is_supported(req, TYPE_MIN_VERSION)
                                   else 202)
