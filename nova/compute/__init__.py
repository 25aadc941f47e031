"""nova-compute: runs instances through a virt driver.

``manager`` is the service endpoint, ``resource_tracker`` keeps the host's compute node
records true, ``api`` is what the REST API calls.
"""
