"""SecurityGroup and SecurityGroupRule against a real (SQLite) database."""

import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import security_group as group_obj
from nova.objects import security_group_rule as rule_obj
from tests.unit.objects.test_instance import make_instance

SecurityGroup = group_obj.SecurityGroup
SecurityGroupRule = rule_obj.SecurityGroupRule


@pytest.fixture
def ctx(database):
    return nova_context.RequestContext(user_id='u1', project_id='p1', is_admin=True)


def make_group(ctx, name='web', project_id='p1'):
    group = SecurityGroup(context=ctx, name=name, description='d', user_id='u1',
                          project_id=project_id)
    group.create()
    return group


def test_create_lookup_and_duplicate(ctx):
    group = make_group(ctx)
    assert SecurityGroup.get(ctx, group.id).name == 'web'
    assert SecurityGroup.get_by_name(ctx, 'p1', 'web').id == group.id
    with pytest.raises(exception.SecurityGroupExists):
        make_group(ctx)
    make_group(ctx, project_id='p2')  # the same name in another project is fine
    with pytest.raises(exception.SecurityGroupNotFoundForProject):
        SecurityGroup.get_by_name(ctx, 'p1', 'nope')
    with pytest.raises(exception.SecurityGroupNotFound):
        SecurityGroup.get(ctx, 999)
    assert [g.name for g in group_obj.SecurityGroupList.get_by_project(ctx, 'p2')] == ['web']
    assert len(group_obj.SecurityGroupList.get_all(ctx)) == 2


def test_rename_to_taken_name_refused(ctx):
    make_group(ctx, name='a')
    group = make_group(ctx, name='b')
    group.name = 'a'
    with pytest.raises(exception.SecurityGroupExists):
        group.save()


def test_ensure_default_is_idempotent(ctx):
    first = SecurityGroup.ensure_default(ctx)
    second = SecurityGroup.ensure_default(ctx)
    assert first.id == second.id and first.name == 'default' and first.project_id == 'p1'


def test_instance_membership_and_rules(ctx):
    instance = make_instance(ctx)
    web, admin = make_group(ctx, 'web'), make_group(ctx, 'admin')
    web.add_to_instance(instance.uuid)
    with pytest.raises(exception.SecurityGroupExistsForInstance):
        web.add_to_instance(instance.uuid)
    assert web.in_use() and not admin.in_use()
    SecurityGroupRule(context=ctx, parent_group_id=web.id, protocol='tcp', from_port=80,
                      to_port=80, cidr='0.0.0.0/0').create()
    SecurityGroupRule(context=ctx, parent_group_id=web.id, protocol='tcp', from_port=22,
                      to_port=22, group_id=admin.id).create()
    rules = rule_obj.SecurityGroupRuleList.get_by_instance(ctx, instance)
    assert sorted(r.from_port for r in rules) == [22, 80]
    assert str(rules[0].cidr) == '0.0.0.0/0'
    assert [g.name for g in group_obj.SecurityGroupList.get_by_instance(ctx, instance)] == \
        ['web']
    web.remove_from_instance(instance.uuid)
    with pytest.raises(exception.SecurityGroupNotExistsForInstance):
        web.remove_from_instance(instance.uuid)
    assert len(group_obj.SecurityGroupList.get_by_instance(ctx, instance.uuid)) == 0


def test_destroy_takes_rules_and_grants(ctx):
    web, admin = make_group(ctx, 'web'), make_group(ctx, 'admin')
    granting = SecurityGroupRule(context=ctx, parent_group_id=web.id, protocol='tcp',
                                 from_port=22, to_port=22, group_id=admin.id)
    granting.create()
    admin.destroy()
    assert len(rule_obj.SecurityGroupRuleList.get_by_security_group(ctx, web)) == 0
    with pytest.raises(exception.SecurityGroupRuleNotFound):
        SecurityGroupRule.get_by_id(ctx, granting.id)
    make_group(ctx, 'admin')  # the name is free again


def test_bad_rules_refused(ctx):
    group = make_group(ctx)
    for bad in (dict(protocol='gre'), dict(protocol='tcp', from_port=0, to_port=70000)):
        with pytest.raises(exception.InvalidInput):
            SecurityGroupRule(context=ctx, parent_group_id=group.id, **bad).create()
    with pytest.raises(exception.SecurityGroupNotFound):
        SecurityGroupRule(context=ctx, parent_group_id=999, protocol='tcp').create()
    assert len(rule_obj.SecurityGroupRuleList.get_by_security_group_id(ctx, group.id)) == 0


def test_group_names_of_many_instances_at_once(ctx):
    first, second, bare = make_instance(ctx), make_instance(ctx), make_instance(ctx)
    web, admin = make_group(ctx, 'web'), make_group(ctx, 'admin')
    web.add_to_instance(first.uuid)
    admin.add_to_instance(first.uuid)
    admin.add_to_instance(second.uuid)
    names = group_obj.SecurityGroupList.get_names_by_instance_uuids(
        ctx, [first.uuid, second.uuid, bare.uuid])
    assert names == {first.uuid: ['web', 'admin'], second.uuid: ['admin'], bare.uuid: []}
