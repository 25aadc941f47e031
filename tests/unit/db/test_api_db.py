"""The API database's query functions (nova.db.api.api) and schema facts."""

import pytest
import sqlalchemy as sa

from nova import context as nova_context
from nova import exception
from nova.db import engines
from nova.db import guard
from nova.db.api import api
from nova.db.api import models

API_TABLES = {
    'cell_mappings', 'host_mappings', 'instance_mappings', 'flavors', 'flavor_extra_specs',
    'flavor_projects', 'key_pairs', 'request_specs', 'build_requests', 'quotas',
    'project_user_quotas', 'quota_classes', 'images', 'image_properties', 'image_tags',
    'image_members',
    'identity_domains', 'identity_projects', 'identity_users', 'identity_roles',
    'identity_role_assignments', 'identity_services', 'identity_endpoints',
    'identity_application_credentials', 'identity_application_credential_roles',
    'identity_ec2_credentials', 'identity_revocation_events',
    'instance_groups', 'instance_group_policy', 'instance_group_member',
    'aggregates', 'aggregate_hosts', 'aggregate_metadata',
}


@pytest.fixture
def admin():
    return nova_context.get_admin_context()


def _flavor(ctx, name, flavorid, **values):
    row = dict(name=name, flavorid=flavorid, memory_mb=512, vcpus=1, root_gb=1)
    extra_specs = values.pop('extra_specs', None)
    projects = values.pop('projects', None)
    row.update(values)
    return api.flavor_create(ctx, row, extra_specs=extra_specs, projects=projects)


def test_models_hold_every_api_table_and_no_soft_delete():
    assert set(models.BASE.metadata.tables) == API_TABLES
    for table in models.BASE.metadata.tables.values():
        assert {'created_at', 'updated_at'} <= set(table.columns.keys())
        assert not {'deleted', 'deleted_at'} & set(table.columns.keys()), table.name


def test_migrated_database_has_every_table(database):
    assert set(sa.inspect(engines.get_engine('api_database')).get_table_names()) >= API_TABLES


def test_queries_are_refused_without_database_access(conf):
    guard.disallow_database_access()
    with pytest.raises(exception.DBNotAllowed):
        api.flavor_get_all(nova_context.get_admin_context())


def test_rows_are_readable_after_the_transaction(database, admin):
    cell = api.cell_mapping_create(admin, {'uuid': 'c' * 36, 'name': 'cell1'})
    host = api.host_mapping_create(admin, {'host': 'h1', 'cell_id': cell.id})
    instance = api.instance_mapping_create(
        admin, {'instance_uuid': 'i' * 36, 'project_id': 'p1', 'cell_id': cell.id})
    assert host.cell_mapping.name == 'cell1'
    assert instance.cell_mapping.uuid == 'c' * 36
    assert api.host_mapping_get_by_host(admin, 'h1').cell_mapping.name == 'cell1'
    flavor = _flavor(admin, 'f', '1', extra_specs={'k': 'v'}, projects=['p1'])
    loaded = api.flavor_get(admin, flavor.id)
    assert [s.key for s in loaded.extra_specs] == ['k']
    assert [p.project_id for p in loaded.projects] == ['p1']


def test_updates_set_updated_at(database, admin):
    flavor = _flavor(admin, 'f', '1')
    assert flavor.updated_at is None
    assert api.flavor_update(admin, flavor.id, {'description': 'd'}).updated_at is not None


def test_flavor_visibility_for_non_admins(database, admin):
    shared = _flavor(admin, 'shared', 's', is_public=False, projects=['p1'])
    hidden = _flavor(admin, 'hidden', 'h', is_public=False)
    member = nova_context.RequestContext(user_id='u', project_id='p1')
    assert api.flavor_get(member, shared.id).name == 'shared'
    with pytest.raises(exception.FlavorNotFound):
        api.flavor_get(member, hidden.id)
    with pytest.raises(exception.FlavorNotFound):
        api.flavor_get_by_flavor_id(nova_context.RequestContext(project_id='p2'), 's')


def test_flavor_extra_specs_and_projects_updates_are_idempotent(database, admin):
    flavor = _flavor(admin, 'f', '1', extra_specs={'a': '1'})
    assert api.flavor_extra_specs_update(admin, flavor.id, {'a': '2', 'b': '3'}, ['x']) == \
        {'a': '2', 'b': '3'}
    assert api.flavor_extra_specs_update(admin, flavor.id, {'a': '2'}) == {'a': '2', 'b': '3'}
    assert api.flavor_projects_update(admin, flavor.id, ['p1', 'p2'], ['p9']) == ['p1', 'p2']
    assert api.flavor_projects_update(admin, flavor.id, ['p1'], ['p2']) == ['p1']
    with pytest.raises(exception.FlavorNotFound):
        api.flavor_extra_specs_update(admin, flavor.id + 1, {'a': '1'})


def test_cell_and_mapping_errors(database, admin):
    cell = api.cell_mapping_create(admin, {'uuid': 'c' * 36})
    with pytest.raises(exception.CellMappingExists):
        api.cell_mapping_create(admin, {'uuid': 'c' * 36})
    with pytest.raises(exception.CellMappingNotFound):
        api.host_mapping_create(admin, {'host': 'h', 'cell_id': cell.id + 1})
    with pytest.raises(exception.CellMappingNotFound):
        api.instance_mapping_create(admin, {'instance_uuid': 'i' * 36, 'project_id': 'p',
                                            'cell_id': cell.id + 1})
    api.host_mapping_create(admin, {'host': 'h', 'cell_id': cell.id})
    with pytest.raises(exception.CellMappingInUse):
        api.cell_mapping_destroy(admin, 'c' * 36)
    api.host_mapping_destroy(admin, 'h')
    api.cell_mapping_destroy(admin, 'c' * 36)
    assert api.cell_mapping_get_all(admin) == []


def test_quota_class_update_adds_then_changes(database, admin):
    api.quota_class_update(admin, 'default', 'cores', 5)
    api.quota_class_update(admin, 'default', 'cores', 6)
    assert api.quota_class_get_all_by_name(admin, 'default') == \
        {'class_name': 'default', 'cores': 6}


# -- behaviour that differs between backends unless we take care: run on all three ---------

def test_duplicates_become_the_right_exception_on_every_backend(any_database):
    admin = nova_context.get_admin_context()
    _flavor(admin, 'f1', '1')
    with pytest.raises(exception.FlavorIdExists):
        _flavor(admin, 'f2', '1')
    with pytest.raises(exception.FlavorExists):
        _flavor(admin, 'f1', '2')
    api.key_pair_create(admin, {'name': 'k', 'user_id': 'u', 'public_key': 'x'})
    with pytest.raises(exception.KeyPairExists):
        api.key_pair_create(admin, {'name': 'k', 'user_id': 'u', 'public_key': 'x'})
    api.quota_create(admin, 'p', 'cores', 1, user_id='u')
    with pytest.raises(exception.QuotaExists):
        api.quota_create(admin, 'p', 'cores', 1, user_id='u')
    api.request_spec_create(admin, {'instance_uuid': 'r' * 36, 'spec': '{}'})
    with pytest.raises(exception.RequestSpecExists):
        api.request_spec_create(admin, {'instance_uuid': 'r' * 36, 'spec': '{}'})
    api.build_request_create(admin, {'instance_uuid': 'b' * 36, 'project_id': 'p'})
    with pytest.raises(exception.BuildRequestExists):
        api.build_request_create(admin, {'instance_uuid': 'b' * 36, 'project_id': 'p'})
    # Nothing half-written: one flavor, one key pair.
    assert [f.flavorid for f in api.flavor_get_all(admin)] == ['1']
    assert api.key_pair_count_by_user(admin, 'u') == 1


def test_strings_compare_exactly_and_long_texts_fit_on_every_backend(any_database):
    admin = nova_context.get_admin_context()
    # Case and trailing details matter for names, keys and flavorids (binary collation).
    _flavor(admin, 'small', 'a', extra_specs={'Key': '1', 'key': '2'})
    _flavor(admin, 'Small', 'A')
    assert api.flavor_get_by_name(admin, 'Small').flavorid == 'A'
    assert {s.key for s in api.flavor_get_by_flavor_id(admin, 'a').extra_specs} == \
        {'Key', 'key'}
    big = 'x' * 200_000  # beyond MySQL TEXT: request specs are MEDIUMTEXT there
    api.request_spec_create(admin, {'instance_uuid': 'r' * 36, 'spec': big})
    assert api.request_spec_get_by_instance_uuid(admin, 'r' * 36).spec == big
    name = 'n' * 255
    api.key_pair_create(admin, {'name': name, 'user_id': 'u' * 255, 'public_key': 'k'})
    assert api.key_pair_get(admin, 'u' * 255, name).name == name


def test_paging_with_markers_on_every_backend(any_database):
    admin = nova_context.get_admin_context()
    for number in range(5):
        _flavor(admin, 'f%d' % number, str(number), memory_mb=256 * (number % 2 + 1),
                disabled=number == 4)
    pages, marker = [], None
    while True:
        page = api.flavor_get_all(admin, sort_key='memory_mb', sort_dir='desc', limit=2,
                                  marker=marker)
        if not page:
            break
        pages.append([f.flavorid for f in page])
        marker = page[-1].flavorid
    assert pages == [['3', '1'], ['4', '2'], ['0']]
    assert [f.flavorid for f in api.flavor_get_all(
        admin, filters={'disabled': False, 'min_memory_mb': 512})] == ['1', '3']
    for name in ('b', 'a', 'c'):
        api.key_pair_create(admin, {'name': name, 'user_id': 'u', 'public_key': 'k'})
    assert [k.name for k in api.key_pair_get_all_by_user(admin, 'u', limit=1,
                                                         marker='a')] == ['b']
