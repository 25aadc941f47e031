"""Request JSON schemas of the Compute API, one module per resource."""
