"""The route table of the Compute API v2.1: ``(path, {METHOD: (Controller, action)})``.

Every path is also reachable under ``/{project_id}``. Keep the table sorted by resource.
"""

from nova.api.openstack import router
from nova.api.openstack import wsgi
from nova.api.openstack.compute import admin_actions
from nova.api.openstack.compute import admin_password
from nova.api.openstack.compute import availability_zone
from nova.api.openstack.compute import console_output
from nova.api.openstack.compute import deferred_delete
from nova.api.openstack.compute import flavor_access
from nova.api.openstack.compute import flavors
from nova.api.openstack.compute import flavors_extraspecs
from nova.api.openstack.compute import hypervisors
from nova.api.openstack.compute import images
from nova.api.openstack.compute import instance_actions
from nova.api.openstack.compute import keypairs
from nova.api.openstack.compute import limits
from nova.api.openstack.compute import lock_server
from nova.api.openstack.compute import pause_server
from nova.api.openstack.compute import rescue
from nova.api.openstack.compute import server_diagnostics
from nova.api.openstack.compute import server_metadata
from nova.api.openstack.compute import server_network_actions
from nova.api.openstack.compute import server_power
from nova.api.openstack.compute import server_tags
from nova.api.openstack.compute import servers
from nova.api.openstack.compute import services
from nova.api.openstack.compute import suspend_server
from nova.api.openstack.compute import versions


class ServerActionsController(wsgi.ActionDispatcher):
    """POST /servers/{id}/action: every server action, by its body key. Keep it sorted."""

    ACTIONS = {
        'addFloatingIp': (server_network_actions.ServerNetworkActionsController,
                          'add_floating_ip'),
        'addSecurityGroup': (server_network_actions.ServerNetworkActionsController,
                             'add_security_group'),
        'changePassword': (admin_password.AdminPasswordController, 'change_password'),
        'forceDelete': (servers.ServersController, 'force_delete'),
        'injectNetworkInfo': (admin_actions.AdminActionsController, 'inject_network_info'),
        'lock': (lock_server.LockServerController, 'lock'),
        'os-getConsoleOutput': (console_output.ConsoleOutputController,
                                'get_console_output'),
        'os-resetState': (admin_actions.AdminActionsController, 'reset_state'),
        'os-start': (server_power.ServerPowerController, 'start'),
        'os-stop': (server_power.ServerPowerController, 'stop'),
        'pause': (pause_server.PauseServerController, 'pause'),
        'reboot': (server_power.ServerPowerController, 'reboot'),
        'removeFloatingIp': (server_network_actions.ServerNetworkActionsController,
                             'remove_floating_ip'),
        'removeSecurityGroup': (server_network_actions.ServerNetworkActionsController,
                                'remove_security_group'),
        'rescue': (rescue.RescueController, 'rescue'),
        'resetNetwork': (admin_actions.AdminActionsController, 'reset_network'),
        'restore': (deferred_delete.DeferredDeleteController, 'restore'),
        'resume': (suspend_server.SuspendServerController, 'resume'),
        'suspend': (suspend_server.SuspendServerController, 'suspend'),
        'trigger_crash_dump': (server_power.ServerPowerController, 'trigger_crash_dump'),
        'unlock': (lock_server.LockServerController, 'unlock'),
        'unpause': (pause_server.PauseServerController, 'unpause'),
        'unrescue': (rescue.RescueController, 'unrescue'),
    }


ROUTE_LIST = (
    ('', {'GET': (versions.VersionsController, 'show')}),
    ('/', {'GET': (versions.VersionsController, 'show')}),
    # detail before {id}: routes match in order.
    ('/flavors', {'GET': (flavors.FlavorsController, 'index'),
                  'POST': (flavors.FlavorsController, 'create')}),
    ('/flavors/detail', {'GET': (flavors.FlavorsController, 'detail')}),
    ('/flavors/{flavor_id}/os-extra_specs', {
        'GET': (flavors_extraspecs.FlavorExtraSpecsController, 'index'),
        'POST': (flavors_extraspecs.FlavorExtraSpecsController, 'create')}),
    ('/flavors/{flavor_id}/os-extra_specs/{id}', {
        'GET': (flavors_extraspecs.FlavorExtraSpecsController, 'show'),
        'PUT': (flavors_extraspecs.FlavorExtraSpecsController, 'update'),
        'DELETE': (flavors_extraspecs.FlavorExtraSpecsController, 'delete')}),
    ('/flavors/{flavor_id}/os-flavor-access', {
        'GET': (flavor_access.FlavorAccessController, 'index')}),
    ('/flavors/{id}', {'GET': (flavors.FlavorsController, 'show'),
                       'PUT': (flavors.FlavorsController, 'update'),
                       'DELETE': (flavors.FlavorsController, 'delete')}),
    ('/flavors/{id}/action', {'POST': (flavor_access.FlavorActionController, 'action')}),
    ('/images', {'GET': (images.ImagesController, 'index')}),
    ('/images/detail', {'GET': (images.ImagesController, 'detail')}),
    ('/images/{id}', {'GET': (images.ImagesController, 'show'),
                      'DELETE': (images.ImagesController, 'delete')}),
    ('/images/{image_id}/metadata', {
        'GET': (images.ImageMetadataController, 'index'),
        'POST': (images.ImageMetadataController, 'create'),
        'PUT': (images.ImageMetadataController, 'update_all')}),
    ('/images/{image_id}/metadata/{id}', {
        'GET': (images.ImageMetadataController, 'show'),
        'PUT': (images.ImageMetadataController, 'update'),
        'DELETE': (images.ImageMetadataController, 'delete')}),
    ('/limits', {'GET': (limits.LimitsController, 'index')}),
    ('/os-availability-zone', {'GET': (availability_zone.AvailabilityZoneController,
                                       'index')}),
    ('/os-availability-zone/detail', {'GET': (availability_zone.AvailabilityZoneController,
                                              'detail')}),
    # detail and statistics before {id}: routes match in order.
    ('/os-hypervisors', {'GET': (hypervisors.HypervisorsController, 'index')}),
    ('/os-hypervisors/detail', {'GET': (hypervisors.HypervisorsController, 'detail')}),
    ('/os-hypervisors/statistics', {'GET': (hypervisors.HypervisorsController,
                                            'statistics')}),
    ('/os-hypervisors/{id}', {'GET': (hypervisors.HypervisorsController, 'show')}),
    ('/os-hypervisors/{id}/search', {'GET': (hypervisors.HypervisorsController, 'search')}),
    ('/os-hypervisors/{id}/servers', {'GET': (hypervisors.HypervisorsController,
                                              'servers')}),
    ('/os-hypervisors/{id}/uptime', {'GET': (hypervisors.HypervisorsController, 'uptime')}),
    ('/os-keypairs', {'GET': (keypairs.KeypairController, 'index'),
                      'POST': (keypairs.KeypairController, 'create')}),
    ('/os-keypairs/{id}', {'GET': (keypairs.KeypairController, 'show'),
                           'DELETE': (keypairs.KeypairController, 'delete')}),
    ('/os-services', {'GET': (services.ServiceController, 'index')}),
    ('/os-services/{id}', {'PUT': (services.ServiceController, 'update'),
                           'DELETE': (services.ServiceController, 'delete')}),
    # detail before {id}: routes match in order.
    ('/servers', {'GET': (servers.ServersController, 'index'),
                  'POST': (servers.ServersController, 'create')}),
    ('/servers/detail', {'GET': (servers.ServersController, 'detail')}),
    ('/servers/{id}', {'GET': (servers.ServersController, 'show'),
                       'PUT': (servers.ServersController, 'update'),
                       'DELETE': (servers.ServersController, 'delete')}),
    ('/servers/{id}/action', {'POST': (ServerActionsController, 'action')}),
    ('/servers/{server_id}/diagnostics', {
        'GET': (server_diagnostics.ServerDiagnosticsController, 'index')}),
    ('/servers/{server_id}/metadata', {
        'GET': (server_metadata.ServerMetadataController, 'index'),
        'POST': (server_metadata.ServerMetadataController, 'create'),
        'PUT': (server_metadata.ServerMetadataController, 'update_all')}),
    ('/servers/{server_id}/metadata/{id}', {
        'GET': (server_metadata.ServerMetadataController, 'show'),
        'PUT': (server_metadata.ServerMetadataController, 'update'),
        'DELETE': (server_metadata.ServerMetadataController, 'delete')}),
    ('/servers/{server_id}/os-instance-actions', {
        'GET': (instance_actions.InstanceActionsController, 'index')}),
    ('/servers/{server_id}/os-instance-actions/{id}', {
        'GET': (instance_actions.InstanceActionsController, 'show')}),
    ('/servers/{server_id}/tags', {
        'GET': (server_tags.ServerTagsController, 'index'),
        'PUT': (server_tags.ServerTagsController, 'update_all'),
        'DELETE': (server_tags.ServerTagsController, 'delete_all')}),
    ('/servers/{server_id}/tags/{id}', {
        'GET': (server_tags.ServerTagsController, 'show'),
        'PUT': (server_tags.ServerTagsController, 'update'),
        'DELETE': (server_tags.ServerTagsController, 'delete')}),
)


class APIRouterV21(router.APIRouter):
    """The paste app ``osapi_compute_app_v21``."""

    def __init__(self):
        super().__init__(ROUTE_LIST)
