"""Tag and TagList against a real (SQLite) database: the rules, the limit, the scoping."""

import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import instance as instance_obj
from nova.objects import tag as tag_obj

Tag = tag_obj.Tag
TagList = tag_obj.TagList


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_instance(ctx, project_id='p1'):
    instance = instance_obj.Instance(context=ctx, project_id=project_id, user_id='u1',
                                     vm_state='active', display_name='vm')
    instance.create()
    return instance.uuid


def names(tags):
    return [t.tag for t in tags]


def test_create_exists_list_destroy(ctx):
    uuid = make_instance(ctx)
    Tag(context=ctx, resource_id=uuid, tag='web').create()
    Tag(context=ctx, resource_id=uuid, tag='db').create()
    Tag(context=ctx, resource_id=uuid, tag='db').create()  # again: a no-op
    assert names(TagList.get_by_resource_id(ctx, uuid)) == ['db', 'web']
    assert Tag.exists(ctx, uuid, 'web') and not Tag.exists(ctx, uuid, 'nope')
    Tag.destroy(ctx, uuid, 'web')
    assert names(TagList.get_by_resource_id(ctx, uuid)) == ['db']
    with pytest.raises(exception.TagNotFound):
        Tag.destroy(ctx, uuid, 'web')


def test_replace_all_and_destroy_all(ctx):
    uuid = make_instance(ctx)
    Tag(context=ctx, resource_id=uuid, tag='old').create()
    assert names(TagList.create(ctx, uuid, ['b', 'a', 'b'])) == ['a', 'b']
    TagList.destroy_all(ctx, uuid)
    assert names(TagList.get_by_resource_id(ctx, uuid)) == []


@pytest.mark.parametrize('bad', ['', 'a/b', 'a,b', 'x' * 61, 5])
def test_invalid_tags_are_refused_and_change_nothing(ctx, bad):
    uuid = make_instance(ctx)
    TagList.create(ctx, uuid, ['keep'])
    with pytest.raises(exception.InvalidTag):
        Tag(context=ctx, resource_id=uuid, tag=bad).create() if isinstance(bad, str) \
            else TagList.create(ctx, uuid, [bad])
    with pytest.raises(exception.InvalidTag):
        TagList.create(ctx, uuid, ['fine', bad])
    assert names(TagList.get_by_resource_id(ctx, uuid)) == ['keep']


def test_fifty_tags_at_most(ctx):
    uuid = make_instance(ctx)
    fifty = ['t%02d' % i for i in range(50)]
    TagList.create(ctx, uuid, fifty)
    with pytest.raises(exception.TooManyTags):
        Tag(context=ctx, resource_id=uuid, tag='one-more').create()
    with pytest.raises(exception.TooManyTags):
        TagList.create(ctx, uuid, fifty + ['one-more'])
    assert len(TagList.get_by_resource_id(ctx, uuid)) == 50


def test_missing_deleted_or_foreign_instances(ctx):
    with pytest.raises(exception.InstanceNotFound):
        Tag(context=ctx, resource_id='00000000-0000-0000-0000-000000000000', tag='x').create()
    uuid = make_instance(ctx, project_id='other')
    user = nova_context.RequestContext(user_id='u1', project_id='p1')
    for call in (lambda: TagList.get_by_resource_id(user, uuid),
                 lambda: Tag.exists(user, uuid, 'x'),
                 lambda: TagList.create(user, uuid, ['x'])):
        with pytest.raises(exception.InstanceNotFound):
            call()
    instance_obj.Instance.get_by_uuid(ctx, uuid).destroy()
    with pytest.raises(exception.InstanceNotFound):
        TagList.get_by_resource_id(ctx, uuid)


def test_bulk_names(ctx):
    # (the tag filters of server lists are in tests/unit/db/test_instance_filters.py)
    a, b, c = make_instance(ctx), make_instance(ctx), make_instance(ctx)
    TagList.create(ctx, a, ['red', 'big'])
    TagList.create(ctx, b, ['red'])
    assert TagList.get_names_by_resource_ids(ctx, [a, b, c]) == {
        a: ['big', 'red'], b: ['red'], c: []}
