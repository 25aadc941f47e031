"""The entry point oslo-config-generator uses (namespace ``nova.conf``)."""

import collections

import nova.conf


def list_opts():
    """Return [(group, [opts])] for every option nova defines, grouped as registered."""
    grouped = collections.defaultdict(list)
    for module in nova.conf.ALL_MODULES:
        for group, opts in module.list_opts().items():
            grouped[group].extend(opts)
    return [(group, sorted(opts, key=lambda o: o.name)) for group, opts in sorted(grouped.items())]
