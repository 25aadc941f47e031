"""Query functions of server tags (the ``tags`` table of the main database).

A tag belongs to a live instance of the caller's project (any project for admins): every
function that names an instance raises InstanceNotFound otherwise. Tags are plain rows, so
removing one deletes it. The per-server limit is checked inside the writing transaction, so
two concurrent adds cannot pass it together.
"""

import sqlalchemy as sa

from nova import exception
from nova.db.engines import main_reader
from nova.db.engines import main_writer
from nova.db.main import models

MAX_TAG_COUNT = 50


def _check_instance(context, instance_uuid):
    """InstanceNotFound unless the instance is live and visible to the caller."""
    stmt = sa.select(models.Instance.id).where(models.Instance.uuid == instance_uuid,
                                               models.Instance.deleted == 0)
    if not context.is_admin:
        stmt = stmt.where(models.Instance.project_id == context.project_id)
    if context.session.execute(stmt.limit(1)).first() is None:
        raise exception.InstanceNotFound(instance_id=instance_uuid)


def _tags_of(context, instance_uuid):
    return list(context.session.scalars(
        sa.select(models.Tag).where(models.Tag.resource_id == instance_uuid)
        .order_by(models.Tag.tag)))


@main_writer
def instance_tag_add(context, instance_uuid, tag):
    """Add one tag (a no-op if present); TooManyTags past the limit."""
    _check_instance(context, instance_uuid)
    existing = _tags_of(context, instance_uuid)
    for row in existing:
        if row.tag == tag:
            return row
    if len(existing) >= MAX_TAG_COUNT:
        raise exception.TooManyTags(limit=MAX_TAG_COUNT)
    row = models.Tag(resource_id=instance_uuid, tag=tag)
    context.session.add(row)
    context.session.flush()
    return row


@main_writer
def instance_tag_set(context, instance_uuid, tags):
    """Replace the instance's tags with ``tags`` (duplicates collapse); the new rows."""
    _check_instance(context, instance_uuid)
    wanted = sorted(set(tags))
    if len(wanted) > MAX_TAG_COUNT:
        raise exception.TooManyTags(limit=MAX_TAG_COUNT)
    current = {row.tag for row in _tags_of(context, instance_uuid)}
    stale = current - set(wanted)
    if stale:
        context.session.execute(sa.delete(models.Tag).where(
            models.Tag.resource_id == instance_uuid, models.Tag.tag.in_(stale)))
    for tag in wanted:
        if tag not in current:
            context.session.add(models.Tag(resource_id=instance_uuid, tag=tag))
    context.session.flush()
    return _tags_of(context, instance_uuid)


@main_reader
def instance_tag_get_by_instance_uuid(context, instance_uuid):
    _check_instance(context, instance_uuid)
    return _tags_of(context, instance_uuid)


@main_reader
def instance_tag_get_by_instance_uuids(context, instance_uuids):
    """{uuid: [tag names, sorted]} for many instances at once (list views); no checks."""
    result = {uuid: [] for uuid in instance_uuids}
    if not instance_uuids:
        return result
    rows = context.session.scalars(sa.select(models.Tag).where(
        models.Tag.resource_id.in_(list(instance_uuids))).order_by(models.Tag.tag))
    for row in rows:
        result[row.resource_id].append(row.tag)
    return result


@main_reader
def instance_tag_exists(context, instance_uuid, tag):
    _check_instance(context, instance_uuid)
    stmt = sa.select(models.Tag.tag).where(models.Tag.resource_id == instance_uuid,
                                           models.Tag.tag == tag)
    return context.session.execute(stmt).first() is not None


@main_writer
def instance_tag_delete(context, instance_uuid, tag):
    _check_instance(context, instance_uuid)
    deleted = context.session.execute(sa.delete(models.Tag).where(
        models.Tag.resource_id == instance_uuid, models.Tag.tag == tag)).rowcount
    if not deleted:
        raise exception.TagNotFound(tag=tag, resource_id=instance_uuid)


@main_writer
def instance_tag_delete_all(context, instance_uuid):
    _check_instance(context, instance_uuid)
    context.session.execute(sa.delete(models.Tag).where(
        models.Tag.resource_id == instance_uuid))


def having_all(tags):
    """SELECT of the instance uuids carrying every one of ``tags`` (for sub-queries)."""
    return (sa.select(models.Tag.resource_id)
            .where(models.Tag.tag.in_(tags))
            .group_by(models.Tag.resource_id)
            .having(sa.func.count(sa.distinct(models.Tag.tag)) == len(set(tags))))


def having_any(tags):
    """SELECT of the instance uuids carrying at least one of ``tags``."""
    return sa.select(models.Tag.resource_id).where(models.Tag.tag.in_(tags))
