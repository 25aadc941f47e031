"""nova's HTTP APIs: the Compute API (``openstack/compute``) and its paste pipeline.

``loader.load_app('osapi_compute')`` builds the WSGI app from api-paste.ini; the middlewares
of the pipeline (request id, fault wrapper, auth, legacy v2) live beside it.
"""
