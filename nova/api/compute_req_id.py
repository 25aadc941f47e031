"""Request ids: oslo.middleware's RequestId, also answering in x-compute-request-id.

Every response carries ``x-openstack-request-id`` and the older ``x-compute-request-id``
(the same id), and the id is in ``environ['openstack.request_id']`` for the context.
"""

from oslo_middleware import request_id

HTTP_RESP_HEADER_REQUEST_ID = 'x-compute-request-id'


class ComputeReqIdMiddleware(request_id.RequestId):
    compat_headers = [HTTP_RESP_HEADER_REQUEST_ID]
