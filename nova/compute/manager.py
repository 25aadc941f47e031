"""nova-compute's RPC endpoint and periodic tasks.

Version history:
    1.0 - initial (the instance lifecycle calls arrive with the boot path)
"""

import logging

import oslo_messaging as messaging

from nova import manager
from nova.compute import resource_tracker
import nova.conf
from nova.virt import driver as virt_driver

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)


class ComputeManager(manager.Manager):
    target = messaging.Target(version='1.0')
    service_name = 'compute'

    def __init__(self, host=None, compute_driver=None):
        super().__init__(host=host)
        self.driver = virt_driver.load_compute_driver(compute_driver=compute_driver)
        self.rt = resource_tracker.ResourceTracker(self.host, self.driver)
        self.service_ref = None

    def init_host(self):
        self.driver.init_host(host=self.host)

    def pre_start_hook(self, service_ref):
        # Report the compute node before taking requests: the scheduler can place
        # instances here as soon as the service shows up.
        self.service_ref = service_ref
        self.rt.update_available_resource(service_ref._context, service_ref.id)

    def cleanup_host(self):
        self.driver.cleanup_host(host=self.host)

    @manager.periodic_task(spacing_option='update_resources_interval')
    def update_available_resource(self, context):
        self.rt.update_available_resource(context, self.service_ref.id)
