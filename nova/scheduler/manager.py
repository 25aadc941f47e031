"""nova-scheduler's RPC endpoint.

Version history:
    1.0 - initial (select_destinations arrives with the boot path)
"""

import oslo_messaging as messaging

from nova import manager
from nova.scheduler import host_manager


class SchedulerManager(manager.Manager):
    target = messaging.Target(version='1.0')
    service_name = 'scheduler'

    def __init__(self, host=None):
        super().__init__(host=host)
        self.host_manager = host_manager.HostManager()

    @manager.periodic_task(spacing_option='scheduler.periodic_task_interval',
                           run_immediately=True)
    def refresh_host_states(self, context):
        self.host_manager.refresh(context)
