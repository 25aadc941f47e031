"""The Compute API v2.1: one module per resource, their schemas in ``schemas/``, response
shapes shared between resources in ``views/``, the route table in ``routes.py``."""
