"""Client side of the compute RPC API: the only place messages to nova-compute are built.

Version history:
    1.0 - initial: get_host_uptime, build_and_run_instance, terminate_instance
    1.1 - get_diagnostics, get_instance_diagnostics
    1.2 - reboot_instance, stop_instance, start_instance, pause_instance, unpause_instance,
          suspend_instance, resume_instance, rescue_instance, unrescue_instance,
          set_admin_password, inject_network_info, trigger_crash_dump, get_console_output,
          soft_delete_instance, restore_instance
"""

import oslo_messaging as messaging

from nova import rpc

TOPIC = 'compute'


class ComputeAPI:
    VERSION = '1.2'

    def __init__(self):
        self.client = rpc.get_client(messaging.Target(topic=TOPIC, version=self.VERSION))

    def get_host_uptime(self, ctxt, host):
        """The `uptime` line of the nova-compute service on ``host``."""
        return self.client.prepare(server=host, version='1.0').call(ctxt, 'get_host_uptime')

    def build_and_run_instance(self, ctxt, instance, host, node, request_spec, image,
                               admin_password, requested_networks, block_device_mapping,
                               retry):
        """Cast: build the instance the scheduler placed on ``host``/``node``."""
        self.client.prepare(server=host, version='1.0').cast(
            ctxt, 'build_and_run_instance', instance=instance, node=node,
            request_spec=request_spec, image=image, admin_password=admin_password,
            requested_networks=requested_networks, block_device_mapping=block_device_mapping,
            retry=retry)

    def terminate_instance(self, ctxt, instance, host):
        """Cast: destroy the instance's guest on ``host`` and delete the instance."""
        self.client.prepare(server=host, version='1.0').cast(
            ctxt, 'terminate_instance', instance=instance)

    def get_diagnostics(self, ctxt, instance):
        """The guest's diagnostics in its driver's own shape (a dict), from its host."""
        return self.client.prepare(server=instance.host, version='1.1').call(
            ctxt, 'get_diagnostics', instance=instance)

    def get_instance_diagnostics(self, ctxt, instance):
        """The guest's standardized diagnostics (Diagnostics.to_dict()), from its host."""
        return self.client.prepare(server=instance.host, version='1.1').call(
            ctxt, 'get_instance_diagnostics', instance=instance)

    # -- 1.2: the simple server actions; all go to the instance's host ---------------------

    def _cast(self, ctxt, instance, method, **kwargs):
        self.client.prepare(server=instance.host, version='1.2').cast(
            ctxt, method, instance=instance, **kwargs)

    def reboot_instance(self, ctxt, instance, reboot_type):
        """Cast: reboot the guest, 'SOFT' or 'HARD'."""
        self._cast(ctxt, instance, 'reboot_instance', reboot_type=reboot_type)

    def stop_instance(self, ctxt, instance, clean_shutdown=True):
        self._cast(ctxt, instance, 'stop_instance', clean_shutdown=clean_shutdown)

    def start_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'start_instance')

    def pause_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'pause_instance')

    def unpause_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'unpause_instance')

    def suspend_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'suspend_instance')

    def resume_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'resume_instance')

    def rescue_instance(self, ctxt, instance, rescue_password, rescue_image_ref=None):
        self._cast(ctxt, instance, 'rescue_instance', rescue_password=rescue_password,
                   rescue_image_ref=rescue_image_ref)

    def unrescue_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'unrescue_instance')

    def set_admin_password(self, ctxt, instance, new_pass):
        """Call: set the guest's admin password; the driver's refusal comes back."""
        return self.client.prepare(server=instance.host, version='1.2').call(
            ctxt, 'set_admin_password', instance=instance, new_pass=new_pass)

    def inject_network_info(self, ctxt, instance):
        self._cast(ctxt, instance, 'inject_network_info')

    def trigger_crash_dump(self, ctxt, instance):
        self._cast(ctxt, instance, 'trigger_crash_dump')

    def get_console_output(self, ctxt, instance, tail_length=None):
        """Call: the guest's console log, its last ``tail_length`` lines if given."""
        return self.client.prepare(server=instance.host, version='1.2').call(
            ctxt, 'get_console_output', instance=instance, tail_length=tail_length)

    def soft_delete_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'soft_delete_instance')

    def restore_instance(self, ctxt, instance):
        self._cast(ctxt, instance, 'restore_instance')
