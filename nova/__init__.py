"""Nova for Open Edge Robotics: an OpenStack-Nova-compatible compute control plane.

Concurrency is threads. oslo.service picks its backend the first time anything imports
oslo_messaging or oslo_service.service, so the threading backend is chosen here, before any
nova module can import them. Libraries still import eventlet to probe for it (never to
monkey-patch); its deprecation warning on import is noise for us.
"""

import warnings

warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')

from oslo_service import backend as _service_backend  # noqa: E402

try:
    _service_backend.init_backend(_service_backend.BackendType.THREADING)
except _service_backend.exceptions.BackendAlreadySelected:
    pass
