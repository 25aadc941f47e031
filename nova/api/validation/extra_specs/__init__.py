"""Validation of flavor extra specs (microversion 2.86 and later).

Each module named after a namespace (``hw``, ``quota``, ...) lists the extra specs nova knows
in it as :class:`base.ExtraSpec` entries; :mod:`validators` collects them and checks a key
and value against them.
"""
