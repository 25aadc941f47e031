"""The built-in image API: Glance v2 compatible, served under /image by the Compute API's
server in standalone (edge) mode, over the local image store."""
