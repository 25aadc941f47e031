"""The OpenStack-compatible REST APIs: the framework (``wsgi``, ``router``,
``api_version_request``), the pipeline middlewares (``faults``, ``legacy_v2``) and the
Compute API resources (``compute``)."""
