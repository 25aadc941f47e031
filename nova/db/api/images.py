"""Query functions of the local image store (tables images, image_properties, image_tags).

Images come back as plain dicts (see nova.image.api), read inside the transaction.

Who may see what is decided here, in the query, so a list never loads rows the caller may
not see: admins see every image; others see public images, images their project owns,
community images when they ask for them, and ``shared`` images their project is a member of
with the member status the list asks for (accepted unless told otherwise): Glance's rules.
"""

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import utils as sqlalchemyutils
from oslo_utils import timeutils
import sqlalchemy as sa

from nova import exception
from nova.db.api import models
from nova.db.engines import api_reader
from nova.db.engines import api_writer
from nova.i18n import _

SORT_KEYS = ('name', 'status', 'container_format', 'disk_format', 'size', 'virtual_size',
             'id', 'created_at', 'updated_at', 'min_disk', 'min_ram', 'owner', 'visibility',
             'protected', 'os_hidden')
# Filters whose value is a list of accepted values ("in:a,b" in the API).
LIST_FILTERS = ('id', 'name', 'status', 'disk_format', 'container_format')
VISIBILITIES = ('public', 'private', 'shared', 'community')
MEMBER_STATUSES = ('pending', 'accepted', 'rejected')


def _shared_with(context, member_status):
    """Shared images the caller's project is a member of (in ``member_status``, or any
    status for 'all')."""
    if context.project_id is None:
        return sa.false()
    member = models.ImageMember
    condition = sa.and_(member.image_id == models.Image.id,
                        member.member == context.project_id)
    if member_status != 'all':
        condition = sa.and_(condition, member.status == member_status)
    return sa.and_(models.Image.visibility == 'shared', sa.exists().where(condition))


def _visible_condition(context, visibility=None, member_status='accepted'):
    """The WHERE clause of the images ``context`` may list for a visibility filter."""
    image = models.Image
    if context.is_admin:
        if visibility in (None, 'all'):
            return sa.true()
        return image.visibility == visibility
    owned = image.owner == context.project_id
    shared_with = _shared_with(context, member_status)
    if visibility is None:
        return sa.or_(image.visibility == 'public', owned, shared_with)
    if visibility == 'all':
        return sa.or_(image.visibility.in_(('public', 'community')), owned, shared_with)
    if visibility in ('public', 'community'):
        return image.visibility == visibility
    if visibility == 'shared':
        return sa.and_(image.visibility == 'shared', sa.or_(owned, shared_with))
    return sa.and_(image.visibility == visibility, owned)


CORE_COLUMNS = ('id', 'name', 'status', 'visibility', 'owner', 'protected', 'os_hidden', 'size',
                'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'disk_format',
                'container_format', 'min_disk', 'min_ram', 'created_at', 'updated_at')


def _to_dict(row):
    """The image as nova.image.api describes it (read inside the transaction)."""
    image = {name: getattr(row, name) for name in CORE_COLUMNS}
    image['tags'] = sorted(tag.value for tag in row.tags)
    image['properties'] = {prop.name: prop.value for prop in row.properties}
    return image


def _get_row(context, image_id, for_update=False):
    statement = sa.select(models.Image).filter_by(id=image_id)
    if for_update:
        statement = statement.with_for_update()
    row = context.session.execute(statement).unique().scalars().first()
    if row is None:
        raise exception.ImageNotFound(image_id=image_id)
    return row


def _set_properties(row, properties):
    current = {prop.name: prop for prop in row.properties}
    for name in set(current) - set(properties):
        row.properties.remove(current[name])
    for name, value in properties.items():
        if name in current:
            current[name].value = value
        else:
            row.properties.append(models.ImageProperty(name=name, value=value))


def _set_tags(row, tags):
    current = {tag.value: tag for tag in row.tags}
    for value in set(current) - set(tags):
        row.tags.remove(current[value])
    for value in tags:
        if value not in current:
            row.tags.append(models.ImageTag(value=value))
            current[value] = None


@api_writer
def image_create(context, values, properties=None, tags=None):
    row = models.Image(**values)
    _set_properties(row, properties or {})
    _set_tags(row, tags or [])
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.ImageExists(image_id=values.get('id'))
    return _to_dict(row)


@api_reader
def image_get(context, image_id):
    """The image, whoever owns it (callers check visibility)."""
    return _to_dict(_get_row(context, image_id))


@api_writer
def image_update(context, image_id, values=None, properties=None, tags=None,
                 expected_status=None):
    """Change an image; ``properties``/``tags`` (when given) replace the current ones.

    With ``expected_status`` the change is made only if the image is in that status (or one
    of those statuses), checked under a row lock, so two uploads cannot both start.
    """
    row = _get_row(context, image_id, for_update=True)
    if expected_status is not None:
        allowed = (expected_status,) if isinstance(expected_status, str) else expected_status
        if row.status not in allowed:
            raise exception.ImageStatusConflict(
                image_id=image_id, status=row.status, action=_('this change'),
                expected=' or '.join(allowed))
    if values:
        row.update(values)
    if properties is not None:
        _set_properties(row, properties)
    if tags is not None:
        _set_tags(row, tags)
    # Touch updated_at even when only properties or tags changed.
    row.updated_at = timeutils.utcnow()
    context.session.flush()
    return _to_dict(row)


@api_writer
def image_destroy(context, image_id):
    """Delete the image with its members."""
    row = _get_row(context, image_id, for_update=True)
    context.session.execute(sa.delete(models.ImageMember).where(
        models.ImageMember.image_id == image_id))
    context.session.delete(row)
    context.session.flush()


def _filtered(statement, context, filters):
    image = models.Image
    statement = statement.where(_visible_condition(
        context, filters.get('visibility'), filters.get('member_status') or 'accepted'))
    for name in LIST_FILTERS:
        if filters.get(name) is not None:
            statement = statement.where(getattr(image, name).in_(filters[name]))
    if filters.get('owner') is not None:
        statement = statement.where(image.owner == filters['owner'])
    for name in ('protected', 'os_hidden'):
        if filters.get(name) is not None:
            statement = statement.where(getattr(image, name) == filters[name])
    if filters.get('size_min') is not None:
        statement = statement.where(image.size >= filters['size_min'])
    if filters.get('size_max') is not None:
        statement = statement.where(image.size <= filters['size_max'])
    for name in ('min_ram', 'min_disk'):  # at least this much, as the Compute API filters
        if filters.get(name) is not None:
            statement = statement.where(getattr(image, name) >= filters[name])
    if filters.get('updated_since') is not None:
        statement = statement.where(image.updated_at >= filters['updated_since'])
    for tag in filters.get('tags') or ():
        statement = statement.where(sa.exists().where(
            models.ImageTag.image_id == image.id, models.ImageTag.value == tag))
    for name, value in (filters.get('properties') or {}).items():
        statement = statement.where(sa.exists().where(
            models.ImageProperty.image_id == image.id, models.ImageProperty.name == name,
            models.ImageProperty.value == value))
    return statement


@api_reader
def image_get_all(context, filters=None, sort_keys=('created_at',), sort_dirs=('desc',),
                  limit=None, marker=None):
    """The images ``context`` may see that match ``filters``, one page of them.

    ``marker`` is the id of the last image of the previous page; it must be one the caller
    can see (ImageNotFound otherwise).
    """
    filters = filters or {}
    sort_keys, sort_dirs = list(sort_keys), list(sort_dirs)
    for key in sort_keys:
        if key not in SORT_KEYS:
            raise exception.InvalidInput(reason=_('Unsupported sort key %s') % key)
    for direction in sort_dirs:
        if direction not in ('asc', 'desc'):
            raise exception.InvalidInput(reason=_('Unsupported sort direction %s')
                                         % direction)
    if 'id' not in sort_keys:  # a unique last key makes pages stable
        sort_keys.append('id')
        sort_dirs.append(sort_dirs[-1] if sort_dirs else 'desc')
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or limit < 0):
        raise exception.InvalidInput(reason=_('limit must be a non-negative integer'))
    marker_row = None
    if marker is not None:
        marker_row = context.session.execute(
            _filtered(sa.select(models.Image), context, {
                'visibility': 'all' if not context.is_admin else None,
                'member_status': 'all',
            }).where(models.Image.id == marker)).unique().scalars().first()
        if marker_row is None:
            raise exception.ImageNotFound(image_id=marker)
    statement = _filtered(sa.select(models.Image), context, filters)
    statement = sqlalchemyutils.paginate_query(statement, models.Image, limit, sort_keys,
                                               marker=marker_row, sort_dirs=sort_dirs)
    return [_to_dict(row) for row in context.session.execute(statement).unique().scalars()]


# -- members -------------------------------------------------------------------------------

def _member_dict(row):
    return {'image_id': row.image_id, 'member_id': row.member, 'status': row.status,
            'created_at': row.created_at, 'updated_at': row.updated_at}


def _get_member_row(context, image_id, member):
    row = context.session.execute(sa.select(models.ImageMember).filter_by(
        image_id=image_id, member=member)).scalars().first()
    if row is None:
        raise exception.ImageMemberNotFound(image_id=image_id, member_id=member)
    return row


@api_writer
def image_member_create(context, image_id, member, limit=None):
    """Share the image with project ``member`` (status pending).

    The image row is locked while members are counted, so concurrent adds cannot pass
    ``limit`` (None or negative: no limit).
    """
    _get_row(context, image_id, for_update=True)
    if limit is not None and limit >= 0:
        count = context.session.execute(
            sa.select(sa.func.count()).select_from(models.ImageMember).where(
                models.ImageMember.image_id == image_id)).scalar()
        if count >= limit:
            raise exception.ImageMemberLimitExceeded(limit=limit, image_id=image_id)
    now = timeutils.utcnow()
    row = models.ImageMember(image_id=image_id, member=member, status='pending',
                             created_at=now, updated_at=now)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.ImageMemberExists(image_id=image_id, member_id=member)
    return _member_dict(row)


@api_reader
def image_member_get(context, image_id, member):
    return _member_dict(_get_member_row(context, image_id, member))


@api_reader
def image_member_list(context, image_id):
    """The members of the image, oldest first."""
    rows = context.session.execute(
        sa.select(models.ImageMember).filter_by(image_id=image_id).order_by(
            models.ImageMember.created_at, models.ImageMember.id)).scalars()
    return [_member_dict(row) for row in rows]


@api_writer
def image_member_update(context, image_id, member, status):
    row = _get_member_row(context, image_id, member)
    if status not in MEMBER_STATUSES:
        raise exception.InvalidImageMemberStatus()
    row.status = status
    row.updated_at = timeutils.utcnow()
    context.session.flush()
    return _member_dict(row)


@api_writer
def image_member_delete(context, image_id, member):
    context.session.delete(_get_member_row(context, image_id, member))
    context.session.flush()
