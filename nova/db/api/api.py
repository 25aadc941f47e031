"""Query functions of the API database.

Every function takes a RequestContext first and runs in the API database transaction the
``api_reader``/``api_writer`` decorators open on it (calls nest into one transaction). Rows
come back as model instances with their relationships already loaded, so callers may read
them after the transaction ends. Missing rows and duplicates raise nova exceptions, never
SQLAlchemy or oslo.db ones.
"""

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import utils as sqlalchemyutils
import sqlalchemy as sa

from nova import exception
from nova.db.api import models
from nova.db.engines import api_reader
from nova.db.engines import api_writer
from nova.i18n import _


def _first(context, statement):
    return context.session.execute(statement).unique().scalars().first()


def _all(context, statement):
    return list(context.session.execute(statement).unique().scalars().all())


def _insert(context, row):
    """Add ``row`` and flush now, so a constraint failure surfaces inside this function."""
    context.session.add(row)
    context.session.flush()
    return row


def _update_row(context, row, values):
    row.update(values)
    context.session.flush()
    return row


def _check_limit(limit):
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise exception.InvalidInput(reason=_('limit must be a non-negative integer, not %r')
                                     % (limit,))


def _paginate(statement, model, sort_keys, sort_dir, limit, marker_row):
    if sort_dir not in ('asc', 'desc'):
        raise exception.InvalidInput(reason=_("sort_dir must be 'asc' or 'desc', not %r")
                                     % (sort_dir,))
    _check_limit(limit)
    return sqlalchemyutils.paginate_query(statement, model, limit, sort_keys,
                                          marker=marker_row, sort_dir=sort_dir)


# -- cell mappings -------------------------------------------------------------------------

@api_writer
def cell_mapping_create(context, values):
    try:
        return _insert(context, models.CellMapping(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.CellMappingExists(uuid=values.get('uuid'))


@api_reader
def cell_mapping_get_by_uuid(context, uuid):
    row = _first(context, sa.select(models.CellMapping).filter_by(uuid=uuid))
    if row is None:
        raise exception.CellMappingNotFound(uuid=uuid)
    return row


@api_reader
def cell_mapping_get_all(context, disabled=None):
    statement = sa.select(models.CellMapping).order_by(models.CellMapping.id)
    if disabled is not None:
        statement = statement.filter_by(disabled=bool(disabled))
    return _all(context, statement)


@api_writer
def cell_mapping_update(context, uuid, values):
    return _update_row(context, cell_mapping_get_by_uuid(context, uuid), values)


@api_writer
def cell_mapping_destroy(context, uuid):
    row = cell_mapping_get_by_uuid(context, uuid)
    try:
        context.session.delete(row)
        context.session.flush()
    except db_exc.DBReferenceError:
        raise exception.CellMappingInUse(uuid=uuid)


# -- host mappings -------------------------------------------------------------------------

@api_writer
def host_mapping_create(context, values):
    try:
        row = _insert(context, models.HostMapping(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.HostMappingExists(name=values.get('host'))
    except db_exc.DBReferenceError:
        raise exception.CellMappingNotFound(uuid=values.get('cell_id'))
    context.session.refresh(row)  # load cell_mapping while the session is open
    return row


@api_reader
def host_mapping_get_by_host(context, host):
    row = _first(context, sa.select(models.HostMapping).filter_by(host=host))
    if row is None:
        raise exception.HostMappingNotFound(name=host)
    return row


@api_reader
def host_mapping_get_all(context, cell_id=None):
    statement = sa.select(models.HostMapping).order_by(models.HostMapping.id)
    if cell_id is not None:
        statement = statement.filter_by(cell_id=cell_id)
    return _all(context, statement)


@api_writer
def host_mapping_update(context, host, values):
    row = host_mapping_get_by_host(context, host)
    try:
        _update_row(context, row, values)
    except db_exc.DBDuplicateEntry:
        raise exception.HostMappingExists(name=values.get('host'))
    except db_exc.DBReferenceError:
        raise exception.CellMappingNotFound(uuid=values.get('cell_id'))
    context.session.refresh(row)  # reload cell_mapping after a cell_id change
    return row


@api_writer
def host_mapping_destroy(context, host):
    context.session.delete(host_mapping_get_by_host(context, host))


# -- instance mappings ---------------------------------------------------------------------

@api_writer
def instance_mapping_create(context, values):
    try:
        row = _insert(context, models.InstanceMapping(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.InstanceMappingExists(uuid=values.get('instance_uuid'))
    except db_exc.DBReferenceError:
        raise exception.CellMappingNotFound(uuid=values.get('cell_id'))
    context.session.refresh(row)
    return row


@api_reader
def instance_mapping_get_by_instance_uuid(context, instance_uuid):
    row = _first(context, sa.select(models.InstanceMapping).filter_by(
        instance_uuid=instance_uuid))
    if row is None:
        raise exception.InstanceMappingNotFound(uuid=instance_uuid)
    return row


@api_reader
def instance_mapping_get_all(context, project_id=None, cell_id=None, instance_uuids=None):
    statement = sa.select(models.InstanceMapping).order_by(models.InstanceMapping.id)
    if project_id is not None:
        statement = statement.filter_by(project_id=project_id)
    if cell_id is not None:
        statement = statement.filter_by(cell_id=cell_id)
    if instance_uuids is not None:
        statement = statement.where(models.InstanceMapping.instance_uuid.in_(
            list(instance_uuids)))
    return _all(context, statement)


@api_writer
def instance_mapping_update(context, instance_uuid, values):
    row = instance_mapping_get_by_instance_uuid(context, instance_uuid)
    try:
        _update_row(context, row, values)
    except db_exc.DBReferenceError:
        raise exception.CellMappingNotFound(uuid=values.get('cell_id'))
    context.session.refresh(row)
    return row


@api_writer
def instance_mapping_destroy(context, instance_uuid):
    context.session.delete(instance_mapping_get_by_instance_uuid(context, instance_uuid))


# -- flavors -------------------------------------------------------------------------------

FLAVOR_SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id',
                    'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap',
                    'updated_at', 'vcpu_weight', 'vcpus')


def _flavor_select(context):
    """Flavors this context may see: all for admins, else public ones and those shared
    with the context's project."""
    statement = sa.select(models.Flavors)
    if not context.is_admin:
        statement = statement.where(sa.or_(
            models.Flavors.is_public == sa.true(),
            models.Flavors.projects.any(project_id=context.project_id)))
    return statement


def _flavor_duplicate(error, values):
    if 'flavorid' in (error.columns or ()):
        return exception.FlavorIdExists(flavor_id=values.get('flavorid'))
    return exception.FlavorExists(name=values.get('name'))


@api_writer
def flavor_create(context, values, extra_specs=None, projects=None):
    """Create a flavor with its extra specs and access list in one transaction."""
    row = models.Flavors(**values)
    row.extra_specs = [models.FlavorExtraSpecs(key=k, value=v)
                       for k, v in (extra_specs or {}).items()]
    row.projects = [models.FlavorProjects(project_id=p) for p in sorted(set(projects or ()))]
    try:
        return _insert(context, row)
    except db_exc.DBDuplicateEntry as error:
        raise _flavor_duplicate(error, values)


@api_reader
def flavor_get(context, id):
    row = _first(context, _flavor_select(context).filter_by(id=id))
    if row is None:
        raise exception.FlavorNotFound(flavor_id=id)
    return row


@api_reader
def flavor_get_by_flavor_id(context, flavorid):
    row = _first(context, _flavor_select(context).filter_by(flavorid=flavorid))
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return row


@api_reader
def flavor_get_by_name(context, name):
    row = _first(context, _flavor_select(context).filter_by(name=name))
    if row is None:
        raise exception.FlavorNotFoundByName(flavor_name=name)
    return row


@api_reader
def flavor_get_all(context, filters=None, sort_key='flavorid', sort_dir='asc', limit=None,
                   marker=None):
    """Flavors visible to ``context``, filtered, sorted and paged by flavorid ``marker``.

    filters: ``min_memory_mb``, ``min_root_gb``, ``disabled`` and ``is_public`` (True: public
    plus those shared with the context's project; False: private only; None: no filter).
    """
    filters = filters or {}
    unknown = set(filters) - {'min_memory_mb', 'min_root_gb', 'disabled', 'is_public'}
    if unknown:
        raise exception.InvalidInput(reason=_('unknown flavor filters: %s')
                                     % ', '.join(sorted(unknown)))
    if sort_key not in FLAVOR_SORT_KEYS:
        raise exception.InvalidSortKey()
    flavors = models.Flavors
    statement = _flavor_select(context)
    if 'min_memory_mb' in filters:
        statement = statement.where(flavors.memory_mb >= filters['min_memory_mb'])
    if 'min_root_gb' in filters:
        statement = statement.where(flavors.root_gb >= filters['min_root_gb'])
    if 'disabled' in filters:
        statement = statement.where(flavors.disabled == bool(filters['disabled']))
    if filters.get('is_public') is not None:
        visibility = [flavors.is_public == bool(filters['is_public'])]
        if filters['is_public'] and context.project_id is not None:
            visibility.append(flavors.projects.any(project_id=context.project_id))
        statement = statement.where(sa.or_(*visibility))
    marker_row = None
    if marker is not None:
        marker_row = _first(context, _flavor_select(context).filter_by(flavorid=marker))
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    sort_keys = [sort_key] if sort_key == 'id' else [sort_key, 'id']
    return _all(context, _paginate(statement, flavors, sort_keys, sort_dir, limit, marker_row))


def _flavor_row(context, id):
    row = _first(context, sa.select(models.Flavors).filter_by(id=id))
    if row is None:
        raise exception.FlavorNotFound(flavor_id=id)
    return row


@api_writer
def flavor_update(context, id, values):
    row = _flavor_row(context, id)
    try:
        return _update_row(context, row, values)
    except db_exc.DBDuplicateEntry as error:
        raise _flavor_duplicate(error, values)


@api_writer
def flavor_destroy(context, id):
    """Delete a flavor with its extra specs and access list; returns the deleted row."""
    row = _flavor_row(context, id)
    context.session.delete(row)
    context.session.flush()
    return row


@api_writer
def flavor_extra_specs_update(context, id, to_add=None, to_delete=None):
    """Set the keys of ``to_add``, remove those in ``to_delete`` (already gone is fine: a
    concurrent delete won); returns the flavor's extra specs afterwards."""
    row = _flavor_row(context, id)
    specs = {spec.key: spec for spec in row.extra_specs}
    for key in to_delete or ():
        if key in specs:
            row.extra_specs.remove(specs.pop(key))
    # Deletes go first so a key deleted and re-added in one call is not a duplicate.
    context.session.flush()
    for key, value in (to_add or {}).items():
        if key in specs:
            specs[key].value = value
        else:
            specs[key] = models.FlavorExtraSpecs(key=key, value=value)
            row.extra_specs.append(specs[key])
    context.session.flush()
    return {key: spec.value for key, spec in specs.items()}


@api_writer
def flavor_extra_spec_delete(context, id, key):
    """Remove one extra spec; FlavorExtraSpecsNotFound when the flavor has no such key."""
    row = _flavor_row(context, id)
    deleted = context.session.execute(
        sa.delete(models.FlavorExtraSpecs).filter_by(flavor_id=id, key=key))
    if not deleted.rowcount:
        raise exception.FlavorExtraSpecsNotFound(flavor_id=row.flavorid, extra_specs_key=key)
    context.session.refresh(row)
    return {spec.key: spec.value for spec in row.extra_specs}


@api_writer
def flavor_projects_update(context, id, to_add=None, to_remove=None):
    """Share with ``to_add`` and unshare ``to_remove`` (either already done is fine);
    returns the sorted project list afterwards."""
    row = _flavor_row(context, id)
    current = {p.project_id: p for p in row.projects}
    for project_id in to_remove or ():
        if project_id in current:
            row.projects.remove(current.pop(project_id))
    context.session.flush()
    for project_id in to_add or ():
        if project_id not in current:
            current[project_id] = models.FlavorProjects(project_id=project_id)
            row.projects.append(current[project_id])
    context.session.flush()
    return sorted(current)


def _flavor_projects(context, row):
    context.session.refresh(row)
    return sorted(p.project_id for p in row.projects)


@api_writer
def flavor_access_add(context, id, project_id):
    """Share a flavor with a project; FlavorAccessExists when it already is."""
    row = _flavor_row(context, id)
    flavorid = row.flavorid  # a failed flush expires the row
    try:
        _insert(context, models.FlavorProjects(flavor_id=id, project_id=project_id))
    except db_exc.DBDuplicateEntry:
        raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id)
    return _flavor_projects(context, row)


@api_writer
def flavor_access_remove(context, id, project_id):
    """Unshare a flavor; FlavorAccessNotFound when it was not shared with the project."""
    row = _flavor_row(context, id)
    deleted = context.session.execute(
        sa.delete(models.FlavorProjects).filter_by(flavor_id=id, project_id=project_id))
    if not deleted.rowcount:
        raise exception.FlavorAccessNotFound(flavor_id=row.flavorid, project_id=project_id)
    return _flavor_projects(context, row)


# -- key pairs -----------------------------------------------------------------------------

@api_writer
def key_pair_create(context, values):
    try:
        return _insert(context, models.KeyPair(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.KeyPairExists(key_name=values.get('name'))


@api_reader
def key_pair_get(context, user_id, name):
    row = _first(context, sa.select(models.KeyPair).filter_by(user_id=user_id, name=name))
    if row is None:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
    return row


@api_reader
def key_pair_get_all_by_user(context, user_id, limit=None, marker=None):
    """A user's key pairs by name, ``limit`` of them after the one named ``marker``."""
    statement = sa.select(models.KeyPair).filter_by(user_id=user_id)
    marker_row = None
    if marker is not None:
        marker_row = _first(context, sa.select(models.KeyPair).filter_by(
            user_id=user_id, name=marker))
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    return _all(context, _paginate(statement, models.KeyPair, ['name', 'id'], 'asc', limit,
                                   marker_row))


@api_reader
def key_pair_count_by_user(context, user_id):
    return context.session.execute(
        sa.select(sa.func.count(models.KeyPair.id)).filter_by(user_id=user_id)).scalar_one()


@api_writer
def key_pair_destroy(context, user_id, name):
    context.session.delete(key_pair_get(context, user_id, name))


# -- request specs -------------------------------------------------------------------------

@api_writer
def request_spec_create(context, values):
    try:
        return _insert(context, models.RequestSpec(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.RequestSpecExists(instance_uuid=values.get('instance_uuid'))


@api_reader
def request_spec_get_by_instance_uuid(context, instance_uuid):
    row = _first(context, sa.select(models.RequestSpec).filter_by(instance_uuid=instance_uuid))
    if row is None:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)
    return row


@api_reader
def request_spec_get_by_instance_uuids(context, instance_uuids):
    return _all(context, sa.select(models.RequestSpec).where(
        models.RequestSpec.instance_uuid.in_(list(instance_uuids))))


_ZONES_AND_HINTS = sa.select(
    models.RequestSpec.instance_uuid, models.RequestSpec.availability_zone,
    models.RequestSpec.scheduler_hints).where(
    models.RequestSpec.instance_uuid.in_(sa.bindparam('uuids', expanding=True)))


@api_reader
def request_spec_zones_and_hints(context, instance_uuids):
    """[(instance uuid, availability zone, scheduler hints JSON or None)] of the specs of
    those instances that have one: the two columns server lists show, not whole specs."""
    # Through the session's connection: Core rows, without the ORM's execution path.
    return list(context.session.connection().execute(_ZONES_AND_HINTS,
                                                     {'uuids': list(instance_uuids)}))


@api_writer
def request_spec_update(context, instance_uuid, values):
    return _update_row(context, request_spec_get_by_instance_uuid(context, instance_uuid),
                       values)


@api_writer
def request_spec_destroy(context, instance_uuid):
    context.session.delete(request_spec_get_by_instance_uuid(context, instance_uuid))


# -- build requests ------------------------------------------------------------------------

@api_writer
def build_request_create(context, values):
    try:
        return _insert(context, models.BuildRequest(**values))
    except db_exc.DBDuplicateEntry:
        raise exception.BuildRequestExists(uuid=values.get('instance_uuid'))


@api_reader
def build_request_get_by_instance_uuid(context, instance_uuid):
    row = _first(context, sa.select(models.BuildRequest).filter_by(instance_uuid=instance_uuid))
    if row is None:
        raise exception.BuildRequestNotFound(uuid=instance_uuid)
    return row


@api_reader
def build_request_get_all(context, project_id=None):
    statement = sa.select(models.BuildRequest).order_by(models.BuildRequest.id)
    if project_id is not None:
        statement = statement.filter_by(project_id=project_id)
    return _all(context, statement)


@api_writer
def build_request_destroy(context, instance_uuid):
    context.session.delete(build_request_get_by_instance_uuid(context, instance_uuid))


# -- quotas --------------------------------------------------------------------------------

def _quota_select(project_id, resource=None, user_id=None):
    if user_id is None:
        statement = sa.select(models.Quota).filter_by(project_id=project_id)
    else:
        statement = sa.select(models.ProjectUserQuota).filter_by(project_id=project_id,
                                                                 user_id=user_id)
    if resource is not None:
        statement = statement.filter_by(resource=resource)
    return statement


def _quota_not_found(project_id, user_id):
    if user_id is None:
        return exception.ProjectQuotaNotFound(project_id=project_id)
    return exception.ProjectUserQuotaNotFound(project_id=project_id, user_id=user_id)


@api_writer
def quota_create(context, project_id, resource, limit, user_id=None):
    if user_id is None:
        row = models.Quota(project_id=project_id, resource=resource, hard_limit=limit)
    else:
        row = models.ProjectUserQuota(project_id=project_id, user_id=user_id,
                                      resource=resource, hard_limit=limit)
    try:
        return _insert(context, row)
    except db_exc.DBDuplicateEntry:
        raise exception.QuotaExists(project_id=project_id, resource=resource)


@api_reader
def quota_get(context, project_id, resource, user_id=None):
    row = _first(context, _quota_select(project_id, resource, user_id))
    if row is None:
        raise _quota_not_found(project_id, user_id)
    return row


@api_writer
def quota_update(context, project_id, resource, limit, user_id=None):
    return _update_row(context, quota_get(context, project_id, resource, user_id),
                       {'hard_limit': limit})


@api_reader
def quota_get_all_by_project(context, project_id):
    """{'project_id': ..., resource: hard_limit, ...} of a project's own limits."""
    rows = _all(context, _quota_select(project_id))
    result = {'project_id': project_id}
    result.update((row.resource, row.hard_limit) for row in rows)
    return result


@api_reader
def quota_get_all_by_project_and_user(context, project_id, user_id):
    """{'project_id': ..., 'user_id': ..., resource: hard_limit, ...} of one user."""
    rows = _all(context, _quota_select(project_id, user_id=user_id))
    result = {'project_id': project_id, 'user_id': user_id}
    result.update((row.resource, row.hard_limit) for row in rows)
    return result


@api_reader
def quota_get_all_users(context, project_id):
    """Every per-user limit row of a project."""
    return _all(context, sa.select(models.ProjectUserQuota).filter_by(
        project_id=project_id).order_by(models.ProjectUserQuota.id))


@api_writer
def quota_destroy_all_by_project(context, project_id):
    """Delete a project's limits and every per-user limit inside it."""
    for model in (models.Quota, models.ProjectUserQuota):
        context.session.execute(sa.delete(model).filter_by(project_id=project_id))


@api_writer
def quota_destroy_all_by_project_and_user(context, project_id, user_id):
    context.session.execute(sa.delete(models.ProjectUserQuota).filter_by(
        project_id=project_id, user_id=user_id))


@api_reader
def quota_class_get(context, class_name, resource):
    row = _first(context, sa.select(models.QuotaClass).filter_by(
        class_name=class_name, resource=resource).order_by(models.QuotaClass.id))
    if row is None:
        raise exception.QuotaClassNotFound(class_name=class_name)
    return row


@api_reader
def quota_class_get_all_by_name(context, class_name):
    """{'class_name': ..., resource: hard_limit, ...} of one quota class."""
    rows = _all(context, sa.select(models.QuotaClass).filter_by(
        class_name=class_name).order_by(models.QuotaClass.id))
    result = {'class_name': class_name}
    result.update((row.resource, row.hard_limit) for row in rows)
    return result


@api_writer
def quota_class_update(context, class_name, resource, limit):
    """Set one limit of a quota class, creating the row when the class lacks it.

    The table has no unique constraint (as upstream), so every matching row is updated.
    """
    result = context.session.execute(sa.update(models.QuotaClass).filter_by(
        class_name=class_name, resource=resource).values(hard_limit=limit))
    if not result.rowcount:
        _insert(context, models.QuotaClass(class_name=class_name, resource=resource,
                                           hard_limit=limit))
    return quota_class_get(context, class_name, resource)


# -- server groups (instance groups) --------------------------------------------------------

def _instance_group_row(context, group_uuid):
    row = _first(context, sa.select(models.InstanceGroup).filter_by(uuid=group_uuid))
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
    return row


@api_writer
def instance_group_create(context, values, policy, rules=None, members=None):
    """A new group with its one policy (rules: a JSON string or None) and members."""
    row = models.InstanceGroup(**values)
    row.policies = [models.InstanceGroupPolicy(policy=policy, rules=rules)]
    row.members = [models.InstanceGroupMember(instance_uuid=uuid)
                   for uuid in members or ()]
    try:
        return _insert(context, row)
    except db_exc.DBDuplicateEntry:
        raise exception.InstanceGroupIdExists(group_uuid=values.get('uuid'))


@api_reader
def instance_group_get(context, group_uuid):
    return _instance_group_row(context, group_uuid)


@api_reader
def instance_group_get_by_instance(context, instance_uuid):
    """The group an instance is a member of (InstanceGroupNotFound if none)."""
    row = _first(context, sa.select(models.InstanceGroup).join(
        models.InstanceGroupMember).filter(
            models.InstanceGroupMember.instance_uuid == instance_uuid))
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid='')
    return row


_GROUPS = models.InstanceGroup.__table__
_MEMBERS = models.InstanceGroupMember.__table__


@api_reader
def instance_group_uuids_by_instance(context, instance_uuids):
    """{instance uuid: uuid of its server group} of those instances in one (an instance
    is in one group at most)."""
    statement = (sa.select(_MEMBERS.c.instance_uuid, _GROUPS.c.uuid)
                 .join_from(_MEMBERS, _GROUPS, _MEMBERS.c.group_id == _GROUPS.c.id)
                 .where(_MEMBERS.c.instance_uuid.in_(list(instance_uuids))))
    return dict(context.session.connection().execute(statement).all())


@api_reader
def instance_group_get_all(context, project_id=None, user_id=None):
    """Groups by id; of one project (and user) when given."""
    statement = sa.select(models.InstanceGroup).order_by(models.InstanceGroup.id)
    if project_id is not None:
        statement = statement.filter_by(project_id=project_id)
    if user_id is not None:
        statement = statement.filter_by(user_id=user_id)
    return _all(context, statement)


@api_writer
def instance_group_destroy(context, group_uuid):
    context.session.delete(_instance_group_row(context, group_uuid))
    context.session.flush()


@api_writer
def instance_group_members_add(context, group_uuid, instance_uuids):
    """Add members (those already in are left as they are); the new member list."""
    row = _instance_group_row(context, group_uuid)
    present = {m.instance_uuid for m in row.members}
    for uuid in instance_uuids:
        if uuid not in present:
            row.members.append(models.InstanceGroupMember(instance_uuid=uuid))
            present.add(uuid)
    context.session.flush()
    return [m.instance_uuid for m in row.members]


@api_writer
def instance_group_member_delete_by_instance(context, instance_uuid):
    """Take a (deleted) instance out of whatever group it is in."""
    context.session.execute(sa.delete(models.InstanceGroupMember).filter_by(
        instance_uuid=instance_uuid))


# -- host aggregates -------------------------------------------------------------------------

def _aggregate_row(context, aggregate_id):
    row = _first(context, sa.select(models.Aggregate).filter_by(id=aggregate_id))
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return row


@api_writer
def aggregate_create(context, values, metadata=None):
    name = values.get('name')
    if _first(context, sa.select(models.Aggregate).filter_by(name=name)) is not None:
        raise exception.AggregateNameExists(aggregate_name=name)
    row = models.Aggregate(**values)
    row.hosts = []
    row.metadata_items = [models.AggregateMetadata(key=k, value=v)
                          for k, v in (metadata or {}).items()]
    try:
        return _insert(context, row)
    except db_exc.DBDuplicateEntry:
        raise exception.AggregateNameExists(aggregate_name=name)


@api_reader
def aggregate_get(context, aggregate_id):
    return _aggregate_row(context, aggregate_id)


@api_reader
def aggregate_get_by_uuid(context, uuid):
    row = _first(context, sa.select(models.Aggregate).filter_by(uuid=uuid))
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=uuid)
    return row


@api_reader
def aggregate_get_all(context):
    return _all(context, sa.select(models.Aggregate).order_by(models.Aggregate.id))


@api_reader
def aggregate_get_by_host(context, host):
    return _all(context, sa.select(models.Aggregate).join(models.AggregateHost).filter(
        models.AggregateHost.host == host).order_by(models.Aggregate.id))


@api_writer
def aggregate_update(context, aggregate_id, values):
    row = _aggregate_row(context, aggregate_id)
    name = values.get('name')
    if name is not None and name != row.name and _first(
            context, sa.select(models.Aggregate).filter_by(name=name)) is not None:
        raise exception.AggregateNameExists(aggregate_name=name)
    return _update_row(context, row, values)


@api_writer
def aggregate_destroy(context, aggregate_id):
    context.session.delete(_aggregate_row(context, aggregate_id))
    context.session.flush()


@api_writer
def aggregate_host_add(context, aggregate_id, host):
    row = _aggregate_row(context, aggregate_id)
    if any(h.host == host for h in row.hosts):
        raise exception.AggregateHostExists(aggregate_id=aggregate_id, host=host)
    row.hosts.append(models.AggregateHost(host=host))
    context.session.flush()
    return row


@api_writer
def aggregate_host_delete(context, aggregate_id, host):
    row = _aggregate_row(context, aggregate_id)
    found = [h for h in row.hosts if h.host == host]
    if not found:
        raise exception.AggregateHostNotFound(aggregate_id=aggregate_id, host=host)
    row.hosts.remove(found[0])
    context.session.flush()
    return row


@api_writer
def aggregate_metadata_update(context, aggregate_id, metadata):
    """Set keys to values; a None value deletes its key (AggregateMetadataNotFound if the
    key is not there)."""
    row = _aggregate_row(context, aggregate_id)
    items = {item.key: item for item in row.metadata_items}
    for key, value in metadata.items():
        if value is None:
            if key not in items:
                raise exception.AggregateMetadataNotFound(aggregate_id=aggregate_id,
                                                          metadata_key=key)
            row.metadata_items.remove(items.pop(key))
        elif key in items:
            items[key].value = value
        else:
            items[key] = models.AggregateMetadata(key=key, value=value)
            row.metadata_items.append(items[key])
    context.session.flush()
    return row
