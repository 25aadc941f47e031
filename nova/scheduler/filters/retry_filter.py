"""RetryFilter: not the hosts earlier attempts of this request already failed on.

The manager always leaves those out; this filter only keeps configurations that name it
(as older releases did by default) loading.
"""

from nova.scheduler import filters
from nova.scheduler import utils


class RetryFilter(filters.BaseHostFilter):
    def host_passes(self, host_state, spec_obj):
        return (host_state.host, host_state.nodename) not in utils.tried_hosts(spec_obj)
