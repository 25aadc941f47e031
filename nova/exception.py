"""Nova's one exception tree.

Each exception carries the HTTP status the API answers with (``code``) and the EC2 error code
(``ec2_code``), so handlers never translate by hand. Messages are formatted from ``msg_fmt``
with the keyword arguments given; a bad format falls back to the bare template rather than
hiding the original error behind a KeyError.
"""

import logging

from nova.i18n import _

LOG = logging.getLogger(__name__)


class NovaException(Exception):
    msg_fmt = _('An unknown exception occurred.')
    code = 500
    ec2_code = 'InternalError'
    headers = {}
    safe = False  # True: the message may be shown to API users as it is

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        self.kwargs.setdefault('code', self.code)
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                LOG.exception('Exception in string format operation: %s', kwargs)
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.args[0] if self.args else self.message


# -- 4xx families --------------------------------------------------------------------------

class Invalid(NovaException):
    msg_fmt = _('Bad Request - Invalid Parameters')
    code = 400
    ec2_code = 'InvalidParameterValue'
    safe = True


class ValidationError(Invalid):
    msg_fmt = _('%(detail)s')


class InvalidInput(Invalid):
    msg_fmt = _('Invalid input received: %(reason)s')


class InvalidSortKey(Invalid):
    msg_fmt = _('Sort key supplied was not valid.')


class MarkerNotFound(Invalid):
    msg_fmt = _('Marker %(marker)s could not be found.')


class NotAuthorized(NovaException):
    msg_fmt = _('Not authorized.')
    code = 403
    ec2_code = 'UnauthorizedOperation'
    safe = True


class Forbidden(NotAuthorized):
    msg_fmt = _('Forbidden.')


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = _("Policy doesn't allow %(action)s to be performed.")


class AdminRequired(NotAuthorized):
    msg_fmt = _('User does not have admin privileges')


class NotFound(NovaException):
    msg_fmt = _('Resource could not be found.')
    code = 404
    ec2_code = 'InvalidParameterValue'
    safe = True


class Conflict(NovaException):
    msg_fmt = _('Conflict updating resource.')
    code = 409
    ec2_code = 'IncorrectState'
    safe = True


class OverQuota(NovaException):
    msg_fmt = _('Quota exceeded for resources: %(overs)s')
    code = 403
    ec2_code = 'ResourceLimitExceeded'
    safe = True


class NotImplementedYet(NovaException):
    msg_fmt = _('%(what)s is not implemented by this deployment.')
    code = 501
    safe = True


# -- services and hosts --------------------------------------------------------------------

class ServiceNotFound(NotFound):
    msg_fmt = _('Service %(service_id)s could not be found.')


class HostBinaryNotFound(NotFound):
    msg_fmt = _('Could not find binary %(binary)s on host %(host)s.')


class HostTopicNotFound(NotFound):
    msg_fmt = _('Could not find topic %(topic)s on host %(host)s.')


class ServiceBinaryExists(Conflict):
    msg_fmt = _('Service with host %(host)s binary %(binary)s exists.')


class ServiceTopicExists(Conflict):
    msg_fmt = _('Service with host %(host)s topic %(topic)s exists.')


class ServiceTooOld(Invalid):
    msg_fmt = _('This service is older (v%(thisver)i) than the minimum (v%(minver)i) '
                'version of the rest of the deployment. Unable to continue.')


class ServiceNotUnique(Invalid):
    msg_fmt = _('More than one possible service found.')


class ComputeHostNotFound(NotFound):
    msg_fmt = _('Compute host %(host)s could not be found.')


class ComputeHostNotCreated(NotFound):
    msg_fmt = _('Compute host %(name)s needs to be created first before updating.')


class ComputeHostInUse(Conflict):
    msg_fmt = _('Compute host %(host)s still has instances and cannot be deleted.')


class HostMappingNotFound(NotFound):
    msg_fmt = _('Host %(name)s is not mapped to any cell')


class HostMappingExists(Conflict):
    msg_fmt = _('Host %(name)s has already been mapped to a cell')


class CellMappingNotFound(NotFound):
    msg_fmt = _('Cell %(uuid)s has no mapping.')


# -- instances and their parts ------------------------------------------------------------

class InstanceNotFound(NotFound):
    msg_fmt = _('Instance %(instance_id)s could not be found.')
    ec2_code = 'InvalidInstanceID.NotFound'


class InstanceExists(Conflict):
    msg_fmt = _('Instance %(name)s already exists.')


class InstanceInvalidState(Invalid):
    msg_fmt = _('Instance %(instance_uuid)s in %(attr)s %(state)s. Cannot %(method)s '
                'while the instance is in this state.')


class InstanceIsLocked(InstanceInvalidState):
    """A locked instance refuses actions from anyone but an administrator (409)."""
    msg_fmt = _('Instance %(instance_uuid)s is locked')


class InstanceNotRescuable(Invalid):
    msg_fmt = _('Instance %(instance_id)s cannot be rescued: %(reason)s')


class InstancePasswordSetFailed(NovaException):
    msg_fmt = _('Failed to set admin password on %(instance)s because %(reason)s')
    safe = True


class SetAdminPasswdNotSupported(Invalid):
    msg_fmt = _('Set admin password is not supported')


class TriggerCrashDumpNotSupported(Invalid):
    msg_fmt = _('Triggering crash dump is not supported')


class ConsoleNotAvailable(NotFound):
    msg_fmt = _('Guest does not have a console available.')


class InstanceNotReady(Invalid):
    """The instance has no host yet: nothing on a hypervisor to ask (the API answers 409)."""
    msg_fmt = _('Instance %(instance_id)s is not ready')


class UnexpectedTaskStateError(Conflict):
    msg_fmt = _('Conflict updating instance %(instance_uuid)s. Expected: %(expected)s. '
                'Actual: %(actual)s')


class UnexpectedDeletingTaskStateError(UnexpectedTaskStateError):
    pass


class InstanceMappingNotFound(NotFound):
    msg_fmt = _('Instance %(uuid)s has no mapping to a cell.')


class BuildRequestNotFound(NotFound):
    msg_fmt = _('BuildRequest not found for instance %(uuid)s')


class RequestSpecNotFound(NotFound):
    msg_fmt = _('RequestSpec not found for instance %(instance_uuid)s')


class InstanceActionNotFound(NotFound):
    msg_fmt = _('Action for request_id %(request_id)s on instance %(instance_uuid)s '
                'not found')


class InstanceActionEventNotFound(NotFound):
    msg_fmt = _('Event %(event)s not found for action id %(action_id)s')


class InstanceFaultNotFound(NotFound):
    msg_fmt = _('No fault recorded for instance %(instance_uuid)s.')


class BlockDeviceMappingNotFound(NotFound):
    msg_fmt = _('Block device mapping %(id)s could not be found.')


class FlavorNotFound(NotFound):
    msg_fmt = _('Flavor %(flavor_id)s could not be found.')


class FlavorNotFoundByName(FlavorNotFound):
    msg_fmt = _('Flavor with name %(flavor_name)s could not be found.')


class FlavorExists(Conflict):
    msg_fmt = _('Flavor with name %(name)s already exists.')


class FlavorIdExists(Conflict):
    msg_fmt = _('Flavor with ID %(flavor_id)s already exists.')


class FlavorExtraSpecsNotFound(NotFound):
    msg_fmt = _('Flavor %(flavor_id)s has no extra specs with key %(extra_specs_key)s.')


class FlavorAccessExists(Conflict):
    msg_fmt = _('Flavor access already exists for flavor %(flavor_id)s and project '
                '%(project_id)s combination.')


class FlavorAccessNotFound(NotFound):
    msg_fmt = _('Flavor access not found for %(flavor_id)s / %(project_id)s combination.')


class KeypairNotFound(NotFound):
    msg_fmt = _('Keypair %(name)s not found for user %(user_id)s')
    ec2_code = 'InvalidKeyPair.NotFound'


class KeyPairExists(Conflict):
    msg_fmt = _("Key pair '%(key_name)s' already exists.")
    ec2_code = 'InvalidKeyPair.Duplicate'


class QuotaNotFound(NotFound):
    msg_fmt = _('Quota could not be found')


class ProjectQuotaNotFound(QuotaNotFound):
    msg_fmt = _('Quota for project %(project_id)s could not be found.')


class ProjectUserQuotaNotFound(QuotaNotFound):
    msg_fmt = _('Quota for user %(user_id)s in project %(project_id)s could not be found.')


class QuotaClassNotFound(QuotaNotFound):
    msg_fmt = _('Quota class %(class_name)s could not be found.')


class QuotaExists(Conflict):
    msg_fmt = _('Quota exists for project %(project_id)s, resource %(resource)s')


class SecurityGroupNotFound(NotFound):
    msg_fmt = _('Security group %(security_group_id)s not found.')
    ec2_code = 'InvalidGroup.NotFound'


class SecurityGroupNotFoundForProject(SecurityGroupNotFound):
    msg_fmt = _('Security group %(security_group_id)s not found for project '
                '%(project_id)s.')


class SecurityGroupExists(Conflict):
    msg_fmt = _('Security group %(security_group_name)s already exists for project '
                '%(project_id)s.')
    ec2_code = 'InvalidGroup.Duplicate'


class SecurityGroupRuleNotFound(NotFound):
    msg_fmt = _('Security group rule %(rule_id)s not found.')


class NetworkNotFound(NotFound):
    msg_fmt = _('Network %(network_id)s could not be found.')


class FixedIpNotFound(NotFound):
    msg_fmt = _('No fixed IP associated with id %(id)s.')


class FixedIpNotFoundForAddress(FixedIpNotFound):
    msg_fmt = _('Fixed IP not found for address %(address)s.')


class FloatingIpNotFound(NotFound):
    msg_fmt = _('Floating IP not found for ID %(id)s.')


class FloatingIpNotFoundForAddress(FloatingIpNotFound):
    msg_fmt = _('Floating IP not found for address %(address)s.')


class VirtualInterfaceNotFound(NotFound):
    msg_fmt = _('Virtual interface %(id)s could not be found.')


class MigrationNotFound(NotFound):
    msg_fmt = _('Migration %(migration_id)s could not be found.')


# -- objects, RPC and the database ---------------------------------------------------------

class ObjectActionError(NovaException):
    msg_fmt = _('Object action %(action)s failed because: %(reason)s')


class OrphanedObjectError(NovaException):
    msg_fmt = _('Cannot call %(method)s on orphaned %(objtype)s object')


class IncompatibleObjectVersion(NovaException):
    msg_fmt = _('Version %(objver)s of %(objname)s is not supported')


class DBNotAllowed(NovaException):
    msg_fmt = _('%(binary)s attempted direct database access, which is not allowed: '
                'only nova-conductor, nova-manage and nova-all talk to the database.')


class DBNotConfigured(NovaException):
    msg_fmt = _('No %(group)s connection is configured ([%(group)s]/connection).')


class DatabaseAtOldVersion(NovaException):
    msg_fmt = _('The %(database)s database schema is at %(current)s, not at the code\'s '
                'head %(head)s: run "nova-manage %(command)s sync".')


class ConfigNotFound(NovaException):
    msg_fmt = _('Could not find config at %(path)s')


class PasteAppNotFound(NovaException):
    msg_fmt = _("Could not load paste app '%(name)s' from %(path)s")


class NoValidHost(NovaException):
    msg_fmt = _('No valid host was found. %(reason)s')


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = _('Exceeded maximum number of retries. %(reason)s')


class VirtDriverNotFound(NovaException):
    msg_fmt = _('Could not load virt driver %(name)s: %(reason)s')


# -- the REST API framework ----------------------------------------------------------------

class InvalidAPIVersionString(Invalid):
    msg_fmt = _('API Version String %(version)s is of invalid format. Must be of format '
                'MajorNum.MinorNum.')


class InvalidGlobalAPIVersion(Invalid):
    msg_fmt = _('Version %(req_ver)s is not supported by the API. Minimum is %(min_ver)s '
                'and maximum is %(max_ver)s.')
    code = 406


class VersionNotFoundForAPIMethod(NotFound):
    msg_fmt = _('API version %(version)s is not supported on this method.')


class MalformedRequestBody(Invalid):
    msg_fmt = _('Malformed message body: %(reason)s')


class InvalidContentType(Invalid):
    msg_fmt = _('Invalid content type %(content_type)s.')
    code = 415


class ComputeNodeExists(Conflict):
    msg_fmt = _('Compute node %(node)s already exists on host %(host)s.')


class CellMappingExists(Conflict):
    msg_fmt = _('Cell %(uuid)s is already mapped.')


class CellMappingInUse(Conflict):
    msg_fmt = _('Cell %(uuid)s still has host or instance mappings.')


class InstanceMappingExists(Conflict):
    msg_fmt = _('Instance %(uuid)s is already mapped.')


class BuildRequestExists(Conflict):
    msg_fmt = _('BuildRequest for instance %(uuid)s already exists.')


class RequestSpecExists(Conflict):
    msg_fmt = _('RequestSpec for instance %(instance_uuid)s already exists.')


class ComputeServiceInUse(Conflict):
    msg_fmt = _('Unable to delete compute service that is hosting instances. Migrate or '
                'delete the instances first.')


class UnexpectedVMStateError(Conflict):
    msg_fmt = _('Conflict updating instance %(instance_uuid)s. Expected vm_state: '
                '%(expected)s. Actual: %(actual)s')


class DuplicateVlan(Conflict):
    msg_fmt = _('Detected existing vlan with id %(vlan)d')


class NetworkInUse(Conflict):
    msg_fmt = _('Network %(network_id)s is still in use.')


class NoMoreFixedIps(NovaException):
    msg_fmt = _('No fixed IP addresses available for network: %(net)s')


class FixedIpAlreadyInUse(Conflict):
    msg_fmt = _('Fixed IP address %(address)s is already in use on instance '
                '%(instance_uuid)s.')


class FixedIpExists(Conflict):
    msg_fmt = _('Fixed IP %(address)s already exists.')


class NoMoreFloatingIps(FloatingIpNotFound):
    msg_fmt = _('Zero floating IPs available.')


class FloatingIpExists(Conflict):
    msg_fmt = _('Floating IP %(address)s already exists.')


class FloatingIpAssociated(Conflict):
    msg_fmt = _('Floating IP %(address)s is associated.')


class FloatingIpNotAssociated(Conflict):
    msg_fmt = _('Floating IP %(address)s is not associated.')


class VirtualInterfaceMacAddressException(Conflict):
    msg_fmt = _('MAC address %(address)s is already in use.')


class BlockDeviceMappingExists(Conflict):
    msg_fmt = _('Block device mapping %(uuid)s already exists.')


class SecurityGroupInUse(Conflict):
    msg_fmt = _('Security group %(security_group_id)s is in use.')


class SecurityGroupExistsForInstance(Conflict):
    msg_fmt = _('Security group %(security_group_id)s is already associated with the '
                'instance %(instance_id)s')


class SecurityGroupNotExistsForInstance(Invalid):
    msg_fmt = _('Security group %(security_group_id)s is not associated with the '
                'instance %(instance_id)s')


class MigrationNotFoundByStatus(MigrationNotFound):
    msg_fmt = _('Migration not found for instance %(instance_id)s with status %(status)s.')


# -- images --------------------------------------------------------------------------------

class ImageNotFound(NotFound):
    msg_fmt = _('Image %(image_id)s could not be found.')


class ImageExists(Conflict):
    msg_fmt = _('An image with id %(image_id)s already exists.')


class ImageStatusConflict(Conflict):
    msg_fmt = _('Image %(image_id)s is %(status)s; %(action)s needs it %(expected)s.')


class ImageNotAuthorized(Forbidden):
    msg_fmt = _('Not allowed to %(action)s image %(image_id)s.')


class ImageProtected(Forbidden):
    msg_fmt = _('Image %(image_id)s is protected and cannot be deleted.')


class ImageTooLarge(NovaException):
    msg_fmt = _('Image data exceeds the limit of %(limit)d bytes.')
    code = 413
    safe = True


class ImageUploadIncomplete(Invalid):
    msg_fmt = _('Image upload incomplete: received %(received)d of %(expected)d bytes.')


class ImageUploadFailed(Invalid):
    msg_fmt = _('Image upload failed: %(reason)s')


class InvalidImageProperty(Invalid):
    msg_fmt = _('Invalid image property: %(reason)s')


# -- guest hardware asked for by image properties and flavor extra specs (upstream's names) --

class InvalidImagePropertyValue(InvalidImageProperty):
    msg_fmt = _('Image property %(name)s has an invalid value %(value)r: %(reason)s')


class InvalidFlavorExtraSpec(Invalid):
    msg_fmt = _('Flavor extra spec %(name)s has an invalid value %(value)r: %(reason)s')


class UnsupportedHardware(Invalid):
    msg_fmt = _('Requested hardware %(model)r is not supported by the %(virt)r virt driver')


class ImageVCPULimitsRangeExceeded(Invalid):
    msg_fmt = _('Image vCPU topology limits (sockets=%(image_sockets)d, '
                'cores=%(image_cores)d, threads=%(image_threads)d) exceed the flavor\'s '
                'limits (sockets=%(flavor_sockets)d, cores=%(flavor_cores)d, '
                'threads=%(flavor_threads)d)')


class ImageVCPUTopologyRangeExceeded(Invalid):
    msg_fmt = _('Image vCPU topology (sockets=%(sockets)d, cores=%(cores)d, '
                'threads=%(threads)d) exceeds the limits (sockets=%(maxsockets)d, '
                'cores=%(maxcores)d, threads=%(maxthreads)d)')


class NoValidCPUTopology(Invalid):
    msg_fmt = _('No CPU topology of %(vcpus)d vCPUs fits the requested limits and '
                'preferences')


class RequestedVRamTooHigh(Invalid):
    msg_fmt = _('The requested amount of video memory %(req_vram)d MiB is higher than '
                'the flavor\'s maximum (hw_video:ram_max_mb) %(max_vram)d MiB.')


class ImageSerialPortNumberInvalid(Invalid):
    msg_fmt = _('Number of serial ports %(num_ports)s specified in %(property)s is '
                'invalid')


class ImageSerialPortNumberExceedFlavorValue(Invalid):
    msg_fmt = _('The image\'s serial port count (hw_serial_port_count) is higher than '
                'the flavor\'s (hw:serial_port_count).')


class UEFINotSupported(Invalid):
    msg_fmt = _('UEFI is not supported on this host: %(reason)s')


class InvalidCPUInfo(Invalid):
    msg_fmt = _('Unacceptable CPU info: %(reason)s')


class ImageMembersNotAllowed(Forbidden):
    msg_fmt = _('Only shared images have members.')


class ImageMemberNotFound(NotFound):
    msg_fmt = _('%(member_id)s not found in the member list of the image %(image_id)s.')


class ImageMemberExists(Conflict):
    msg_fmt = _('Member %(member_id)s is duplicated for image %(image_id)s')


class ImageMemberLimitExceeded(NovaException):
    msg_fmt = _('The limit of %(limit)d members of image %(image_id)s has been reached.')
    code = 413
    safe = True


class InvalidImageMemberStatus(Invalid):
    msg_fmt = _('Status must be "pending", "accepted" or "rejected".')


class ImageDownloadFailed(NovaException):
    """The image data could not be fetched whole and intact; nothing was kept."""
    msg_fmt = _('Failed to download image %(image_id)s: %(reason)s')


class ImageServiceUnavailable(NovaException):
    msg_fmt = _('The image service at %(url)s failed: %(reason)s')
    code = 503
    safe = True


# -- key pairs and hypervisors (appended) ---------------------------------------------------

class InvalidKeypair(Invalid):
    msg_fmt = _('Keypair data is invalid: %(reason)s')
    ec2_code = 'InvalidKeyPair.Format'
    safe = True


class KeypairLimitExceeded(OverQuota):
    msg_fmt = _('Quota exceeded, too many key pairs.')


class ComputeServiceUnavailable(Invalid):
    msg_fmt = _('Compute service of %(host)s is unavailable at this time.')


# -- scheduler (appended) ---------------------------------------------------------------------

class SchedulerHostFilterNotFound(NotFound):
    msg_fmt = _('Scheduler Host Filter %(filter_name)s could not be found.')


class SchedulerHostWeigherNotFound(NotFound):
    msg_fmt = _('Scheduler Host Weigher %(weigher_name)s could not be found.')


# -- the boot path ----------------------------------------------------------------------------

class AvailabilityZoneNotAvailable(Invalid):
    msg_fmt = _('The requested availability zone is not available')


class TooManyInstances(OverQuota):
    msg_fmt = _('Quota exceeded for %(overs)s: Requested %(req)s, but already used '
                '%(used)s of %(allowed)s %(overs)s')


class MetadataLimitExceeded(OverQuota):
    msg_fmt = _('Maximum number of metadata items exceeds %(allowed)d')


class ImageNotActive(Invalid):
    msg_fmt = _('Image %(image_id)s is not active.')


class FlavorMemoryTooSmall(Invalid):
    msg_fmt = _("Flavor's memory is too small for requested image.")


class FlavorDiskSmallerThanMinDisk(Invalid):
    msg_fmt = _('Flavor\'s disk is smaller than the minimum size specified in image '
                'metadata. Flavor disk is %(flavor_size)i bytes, minimum size is '
                '%(image_min_disk)i bytes.')


class OnsetFileLimitExceeded(OverQuota):
    msg_fmt = _('Personality file limit exceeded')


class UnshelveInstanceInvalidState(InstanceInvalidState):
    msg_fmt = _('Specifying an availability zone or a host when unshelving server '
                '"%(instance_uuid)s" with status "%(state)s" is not supported. The server '
                'status must be SHELVED_OFFLOADED.')
    code = 409


class UnshelveHostNotInAZ(Invalid):
    msg_fmt = _('Host "%(host)s" is not in the availability zone "%(availability_zone)s".')
    code = 409
class FlavorDiskSmallerThanImage(Invalid):
    msg_fmt = _('Flavor\'s disk is too small for requested image. Flavor disk is '
                '%(flavor_size)i bytes, image is %(image_size)i bytes.')


class ConsoleTypeUnavailable(Invalid):
    msg_fmt = _('Unavailable console type %(console_type)s.')


class InstanceUserDataTooLarge(Invalid):
    msg_fmt = _('User data too large. User data must be no larger than %(maxsize)s bytes '
                'once base64 encoded. Your data is %(length)d bytes')


# -- server tags -----------------------------------------------------------------------------

class TagNotFound(NotFound):
    msg_fmt = _('Tag %(tag)s does not exist for the resource %(resource_id)s.')


class InvalidTag(Invalid):
    msg_fmt = _("Tag '%(tag)s' is invalid. It must be a non empty string of at most "
                "%(max_length)d characters without '/' and ','.")


class TooManyTags(Invalid):
    msg_fmt = _('The number of tags exceeded the per-server limit %(limit)d.')


# -- the built-in identity service -----------------------------------------------------------
# Messages are Keystone's, which clients show to users as they are.

class IdentityAuthenticationFailed(NovaException):
    msg_fmt = _('The request you have made requires authentication.')
    code = 401
    ec2_code = 'AuthFailure'
    safe = True


class IdentityTokenInvalid(IdentityAuthenticationFailed):
    """A token that is forged, tampered with, expired, revoked or no longer backed."""


class IdentityForbidden(Forbidden):
    msg_fmt = _('You are not authorized to perform the requested action: %(action)s.')


class IdentityNotFound(NotFound):
    msg_fmt = _('Could not find %(kind)s: %(id)s.')


class IdentityConflict(Conflict):
    msg_fmt = _('Conflict occurred attempting to store %(kind)s - %(detail)s.')


class IdentityKeyRepositoryError(NovaException):
    msg_fmt = _('The Fernet key repository %(path)s cannot be used: %(reason)s')


# -- server groups and host aggregates (upstream's messages) --------------------------------

class InstanceGroupNotFound(NotFound):
    msg_fmt = _('Instance group %(group_uuid)s could not be found.')


class InstanceGroupIdExists(Conflict):
    msg_fmt = _('Instance group %(group_uuid)s already exists.')


class InstanceGroupMemberNotFound(NotFound):
    msg_fmt = _('Instance group %(group_uuid)s has no member with id %(instance_id)s.')


class AggregateNotFound(NotFound):
    msg_fmt = _('Aggregate %(aggregate_id)s could not be found.')


class AggregateNameExists(Conflict):
    msg_fmt = _('Aggregate %(aggregate_name)s already exists.')


class AggregateHostNotFound(NotFound):
    msg_fmt = _('Aggregate %(aggregate_id)s has no host %(host)s.')


class AggregateHostExists(Conflict):
    msg_fmt = _('Aggregate %(aggregate_id)s already has host %(host)s.')


class AggregateMetadataNotFound(NotFound):
    msg_fmt = _('Aggregate %(aggregate_id)s has no metadata with key %(metadata_key)s.')


class InvalidAggregateAction(Invalid):
    msg_fmt = _('Unacceptable parameters.')


class InvalidAggregateActionAdd(InvalidAggregateAction):
    msg_fmt = _('Cannot add host to aggregate %(aggregate_id)s. Reason: %(reason)s.')


class InvalidAggregateActionDelete(InvalidAggregateAction):
    msg_fmt = _('Cannot remove host from aggregate %(aggregate_id)s. Reason: %(reason)s.')


class InvalidAggregateActionUpdate(InvalidAggregateAction):
    msg_fmt = _('Cannot update aggregate %(aggregate_id)s. Reason: %(reason)s.')


class InvalidAggregateActionUpdateMeta(InvalidAggregateAction):
    msg_fmt = _('Cannot update metadata of aggregate %(aggregate_id)s. Reason: %(reason)s.')


class ServerGroupLimitExceeded(OverQuota):
    msg_fmt = _('Quota exceeded, too many server groups.')


class ServerGroupMemberLimitExceeded(OverQuota):
    msg_fmt = _('Quota exceeded, too many servers in group')


class TaskAlreadyRunning(NovaException):
    msg_fmt = _('Task %(task_name)s is already running on host %(host)s')


class TaskNotRunning(NovaException):
    msg_fmt = _('Task %(task_name)s is not running on host %(host)s')
# -- moving servers between hosts (resize, migrations, evacuation) ---------------------------

class CannotResizeToSameFlavor(Invalid):
    msg_fmt = _('When resizing, instances must change flavor!')


class CannotResizeDisk(Invalid):
    msg_fmt = _('Server disk was unable to be resized because: %(reason)s')


class ResizeError(Invalid):
    msg_fmt = _('Resize error: %(reason)s')


class InstanceFaultRollback(NovaException):
    """A move failed before it changed anything: the instance goes back to how it was
    (not ERROR), with ``inner_exception`` as its fault (upstream's wrapper)."""

    def __init__(self, inner_exception=None):
        message = _('Instance rollback performed due to: %s') % inner_exception
        self.inner_exception = inner_exception
        super().__init__(message)


class UnableToMigrateToSelf(Invalid):
    msg_fmt = _('Unable to migrate instance (%(instance_id)s) to current host (%(host)s).')


class ComputeServiceStillInUse(Invalid):
    """An evacuation whose source compute service is still up."""
    msg_fmt = _('Compute service of %(host)s is still in use.')


class MigrationNotFoundForInstance(MigrationNotFound):
    msg_fmt = _('Migration %(migration_id)s not found for instance %(instance_id)s')


class InvalidMigrationState(Invalid):
    msg_fmt = _('Migration %(migration_id)s state of instance %(instance_uuid)s is '
                '%(state)s. Cannot %(method)s while the migration is in this state.')


class NoActiveMigrationForInstance(NotFound):
    msg_fmt = _('Active live migration for instance %(instance_id)s not found')


class LiveMigrationAborted(NovaException):
    msg_fmt = _('Live migration of instance %(instance_uuid)s was aborted.')


class DestinationDiskExists(Invalid):
    msg_fmt = _('The supplied disk path (%(path)s) already exists, it is expected not to '
                'exist.')


class MigrationPreCheckError(Invalid):
    msg_fmt = _('Migration pre-check error: %(reason)s')


class InvalidLocalStorage(Invalid):
    msg_fmt = _('%(path)s is not on local storage: %(reason)s')


class InvalidSharedStorage(Invalid):
    msg_fmt = _('%(path)s is not on shared storage: %(reason)s')


class LiveMigrationTimedOut(NovaException):
    msg_fmt = _('Live migration of instance %(instance_uuid)s did not complete in '
                '%(timeout)d s and was aborted.')
