"""Response shapes shared by Compute API resources."""
