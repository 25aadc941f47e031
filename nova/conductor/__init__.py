"""nova-conductor: the only service that talks to the database.

``rpcapi`` is the client every other service uses (it is also the objects' indirection API);
``manager`` is the endpoint that runs object methods against the database.
"""
