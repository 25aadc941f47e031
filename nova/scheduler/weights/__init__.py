"""Host weighers: a raw score per host, normalised to 0..1 across the candidate hosts,
times the weigher's configured multiplier, summed over weighers. Highest total wins.

Each weigher is one small class in its own module; ``all_weighers`` (the default of
[filter_scheduler] weight_classes) lists every one shipped here.
"""

from nova.scheduler import loadables

_MODULES = ('affinity', 'cpu', 'disk', 'ram')


class WeighedHost:
    def __init__(self, host_state, weight=0.0):
        self.obj = host_state
        self.weight = weight

    def __repr__(self):
        return 'WeighedHost [host: %r, weight: %s]' % (self.obj, self.weight)


class BaseHostWeigher:
    """Subclasses return a raw score from ``_weigh_object`` and the multiplier from
    ``weight_multiplier``."""

    def weight_multiplier(self, host_state):
        return 1.0

    def _weigh_object(self, host_state, spec_obj):
        raise NotImplementedError()

    def weigh_objects(self, host_states, spec_obj):
        return [self._weigh_object(host, spec_obj) for host in host_states]


def normalize(values):
    """Scale ``values`` linearly onto 0..1 (all 0 when they are all equal)."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [0.0] * len(values)
    return [(value - low) / (high - low) for value in values]


def weigh(weighers, host_states, spec_obj):
    """WeighedHosts for ``host_states``, best first (stable for equal weights)."""
    weighed = [WeighedHost(host) for host in host_states]
    for weigher in weighers:
        raw = weigher.weigh_objects(host_states, spec_obj)
        for entry, value in zip(weighed, normalize(raw)):
            entry.weight += weigher.weight_multiplier(entry.obj) * value
    return sorted(weighed, key=lambda entry: entry.weight, reverse=True)


def all_weighers():
    """Every weigher class shipped in nova.scheduler.weights."""
    return loadables.classes_in_modules(__name__, _MODULES, BaseHostWeigher)
