"""Images: the interface nova code calls (api.py) and the backends behind it (local.py)."""
