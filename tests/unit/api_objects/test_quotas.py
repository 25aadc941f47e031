"""Quota limits in the API database: projects, users and quota classes."""

import pytest

from nova import exception
from nova.db.main import api as main_db
from nova.objects import quotas as quotas_obj

Quotas = quotas_obj.Quotas


def test_defaults_are_upstreams():
    assert quotas_obj.DEFAULT_QUOTA_LIMITS == {
        'instances': 10, 'cores': 20, 'ram': 51200, 'metadata_items': 128, 'key_pairs': 100,
        'server_groups': 10, 'server_group_members': 10, 'injected_files': 5,
        'injected_file_content_bytes': 10240, 'injected_file_path_bytes': 255}


def test_project_limits(admin_ctx):
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 5)
    Quotas.create_limit(admin_ctx, 'p1', 'cores', -1)
    Quotas.create_limit(admin_ctx, 'p2', 'instances', 7)
    assert Quotas.get(admin_ctx, 'p1', 'instances') == 5
    assert Quotas.get_all_by_project(admin_ctx, 'p1') == \
        {'project_id': 'p1', 'instances': 5, 'cores': -1}
    Quotas.update_limit(admin_ctx, 'p1', 'instances', 50)
    assert Quotas.get(admin_ctx, 'p1', 'instances') == 50
    assert Quotas.get(admin_ctx, 'p2', 'instances') == 7
    with pytest.raises(exception.QuotaExists):
        Quotas.create_limit(admin_ctx, 'p1', 'instances', 1)
    with pytest.raises(exception.ProjectQuotaNotFound):
        Quotas.get(admin_ctx, 'p1', 'ram')
    with pytest.raises(exception.ProjectQuotaNotFound):
        Quotas.update_limit(admin_ctx, 'p1', 'ram', 1)
    assert Quotas.get_all_by_project(admin_ctx, 'nobody') == {'project_id': 'nobody'}


def test_user_limits_sit_beside_project_limits(admin_ctx):
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 10)
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 3, user_id='u1')
    Quotas.create_limit(admin_ctx, 'p1', 'cores', 4, user_id='u1')
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 2, user_id='u2')
    assert Quotas.get(admin_ctx, 'p1', 'instances', user_id='u1') == 3
    assert Quotas.get(admin_ctx, 'p1', 'instances') == 10
    assert Quotas.get_all_by_project_and_user(admin_ctx, 'p1', 'u1') == \
        {'project_id': 'p1', 'user_id': 'u1', 'instances': 3, 'cores': 4}
    Quotas.update_limit(admin_ctx, 'p1', 'instances', 6, user_id='u1')
    assert Quotas.get(admin_ctx, 'p1', 'instances', user_id='u1') == 6
    assert sorted((q['user_id'], q['resource'], q['hard_limit'])
                  for q in Quotas.get_all(admin_ctx, 'p1')) == \
        [('u1', 'cores', 4), ('u1', 'instances', 6), ('u2', 'instances', 2)]
    with pytest.raises(exception.QuotaExists):
        Quotas.create_limit(admin_ctx, 'p1', 'instances', 1, user_id='u1')
    with pytest.raises(exception.ProjectUserQuotaNotFound):
        Quotas.get(admin_ctx, 'p1', 'ram', user_id='u1')
    with pytest.raises(exception.ProjectUserQuotaNotFound):
        Quotas.update_limit(admin_ctx, 'p1', 'ram', 1, user_id='u1')


def test_destroy_all(admin_ctx):
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 10)
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 3, user_id='u1')
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 2, user_id='u2')
    Quotas.create_limit(admin_ctx, 'p2', 'instances', 1)
    Quotas.destroy_all_by_project_and_user(admin_ctx, 'p1', 'u1')
    assert [q['user_id'] for q in Quotas.get_all(admin_ctx, 'p1')] == ['u2']
    assert Quotas.get(admin_ctx, 'p1', 'instances') == 10
    Quotas.destroy_all_by_project(admin_ctx, 'p1')
    assert Quotas.get_all_by_project(admin_ctx, 'p1') == {'project_id': 'p1'}
    assert Quotas.get_all(admin_ctx, 'p1') == []
    assert Quotas.get(admin_ctx, 'p2', 'instances') == 1


def test_quota_classes(admin_ctx):
    assert Quotas.get_default_class(admin_ctx) == quotas_obj.DEFAULT_QUOTA_LIMITS
    with pytest.raises(exception.QuotaClassNotFound):
        Quotas.get_class(admin_ctx, 'default', 'cores')
    Quotas.update_class(admin_ctx, 'default', 'cores', 40)
    Quotas.update_class(admin_ctx, 'default', 'cores', 64)
    Quotas.update_class(admin_ctx, 'gold', 'instances', 100)
    assert Quotas.get_class(admin_ctx, 'default', 'cores') == 64
    defaults = Quotas.get_default_class(admin_ctx)
    assert defaults['cores'] == 64 and defaults['instances'] == 10
    assert Quotas.get_all_class_by_name(admin_ctx, 'gold') == \
        {'class_name': 'gold', 'instances': 100}
    assert quotas_obj.DEFAULT_QUOTA_LIMITS['cores'] == 20  # the constant is not touched


def test_limits_in_force_layer_defaults_class_project_and_user(admin_ctx):
    Quotas.update_class(admin_ctx, 'default', 'cores', 40)
    Quotas.update_class(admin_ctx, 'default', 'ram', 1024)
    Quotas.create_limit(admin_ctx, 'p1', 'cores', 30)
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 8)
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 2, user_id='u1')
    project = Quotas.get_limits_in_force(admin_ctx, 'p1')
    user = Quotas.get_limits_in_force(admin_ctx, 'p1', 'u1')
    assert (project['cores'], project['ram'], project['instances']) == (30, 1024, 8)
    assert (user['cores'], user['ram'], user['instances']) == (30, 1024, 2)
    assert project['key_pairs'] == quotas_obj.DEFAULT_QUOTA_LIMITS['key_pairs']
    assert 'project_id' not in user and 'user_id' not in user


@pytest.mark.parametrize('args', [
    ('p1', 'instances', 'ten'), ('p1', 'instances', -2), ('p1', 'instances', True),
    ('p1', '', 1), ('', 'instances', 1), ('p1', 'x' * 256, 1),
])
def test_bad_limits_are_refused_and_change_nothing(admin_ctx, args):
    with pytest.raises(exception.InvalidInput):
        Quotas.create_limit(admin_ctx, *args)
    assert Quotas.get_all_by_project(admin_ctx, 'p1') == {'project_id': 'p1'}
    if not args[0]:
        return  # the resource and limit are fine: only the project was bad
    with pytest.raises(exception.InvalidInput):
        Quotas.update_class(admin_ctx, 'default', args[1], args[2])
    assert Quotas.get_all_class_by_name(admin_ctx, 'default') == {'class_name': 'default'}


def test_instance_quota_inputs_in_one_call(admin_ctx):
    Quotas.create_limit(admin_ctx, 'p1', 'instances', 8)
    Quotas.create_limit(admin_ctx, 'p1', 'metadata_items', 5, user_id='u1')
    for user, vcpus in (('u1', 2), ('u2', 4)):
        main_db.instance_create(admin_ctx, {'project_id': 'p1', 'user_id': user,
                                            'vcpus': vcpus, 'memory_mb': 256})
    inputs = Quotas.get_instance_quota_inputs(admin_ctx, 'p1', 'u1')
    assert inputs['project'] == Quotas.get_limits_in_force(admin_ctx, 'p1')
    assert inputs['user'] == {'metadata_items': 5}
    # No instance limits of the user's own: the user's usage is not counted.
    assert inputs['usage'] == {'project': {'instances': 2, 'cores': 6, 'ram': 512}}
    Quotas.create_limit(admin_ctx, 'p1', 'cores', 3, user_id='u1')
    inputs = Quotas.get_instance_quota_inputs(admin_ctx, 'p1', 'u1')
    assert inputs['usage']['user'] == {'instances': 1, 'cores': 2, 'ram': 256}
