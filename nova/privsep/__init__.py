"""The one way nova runs things as root: oslo.privsep contexts.

Code that needs root calls a function decorated with a context's ``entrypoint``; the first
call starts a privileged daemon (``[nova_sys_admin] helper_command``, by default
``sudo privsep-helper``) holding only the context's capabilities, and every call after that
runs there. A process already running as root runs the functions in-process instead
(``run_in_process_if_root``), since a helper daemon would gain nothing.
"""

import os

from oslo_privsep import capabilities
from oslo_privsep import priv_context

sys_admin_pctxt = priv_context.PrivContext(
    'nova',
    cfg_section='nova_sys_admin',
    pypath=__name__ + '.sys_admin_pctxt',
    capabilities=[capabilities.CAP_CHOWN,
                  capabilities.CAP_DAC_OVERRIDE,
                  capabilities.CAP_DAC_READ_SEARCH,
                  capabilities.CAP_FOWNER,
                  capabilities.CAP_NET_ADMIN,
                  capabilities.CAP_SYS_ADMIN],
)


def run_in_process_if_root():
    """Run the entrypoints in this process when it is root already (tests, edge boxes
    running nova-compute as root)."""
    if os.geteuid() == 0:
        sys_admin_pctxt.set_client_mode(False)
