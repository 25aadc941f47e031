"""Instance list filters (nova.db.main.instance_filters) on SQLite, PostgreSQL and MariaDB:
regular expressions, time windows, tags, config drive and addresses in one SELECT."""

import datetime
import json

import pytest
import sqlalchemy as sa

from nova import context as nova_context
from nova import exception
from nova.db.main import api as db
from nova.db.main import tags as tag_db

T0 = datetime.datetime(2024, 5, 1, 12, 0, 0)


def _network_info(*addresses):
    ips = [{'address': address, 'type': 'fixed', 'version': 6 if ':' in address else 4,
            'floating_ips': [{'address': '203.0.113.9', 'type': 'floating', 'version': 4}]}
           for address in addresses]
    return json.dumps([{'address': 'fa:16:3e:00:00:01',
                        'network': {'label': 'private', 'subnets': [{'ips': ips}]}}])


@pytest.fixture
def fleet(any_database):
    ctx = nova_context.get_admin_context()
    specs = [
        dict(display_name='web-1', hostname='web-1', node='rack1-n1', key_name='ops',
             availability_zone='az1', launched_at=T0, config_drive='True',
             display_description='front end', access_ip_v4='192.0.2.1', power_state=1),
        dict(display_name='web-2', hostname='web-2', node='rack2-n1', key_name='dev',
             availability_zone='az2', launched_at=T0 + datetime.timedelta(seconds=1),
             config_drive='', access_ip_v6='2001:db8::5', power_state=4),
        dict(display_name='db-1', hostname='db-1', node='rack1-n2', key_name=None,
             availability_zone='az1', launched_at=None, config_drive=None,
             display_description=None, power_state=1),
    ]
    rows = []
    for index, spec in enumerate(specs):
        rows.append(db.instance_create(ctx, dict(project_id='p1', user_id='u1',
                                                 vm_state='active', launch_index=index,
                                                 **spec)))
    db.instance_info_cache_update(ctx, rows[0].uuid, _network_info('10.0.0.5'))
    db.instance_info_cache_update(ctx, rows[1].uuid, _network_info('10.0.0.15', 'fd00::15'))
    tag_db.instance_tag_set(ctx, rows[0].uuid, ['prod', 'front'])
    tag_db.instance_tag_set(ctx, rows[1].uuid, ['prod'])
    return ctx, {row.display_name: row.uuid for row in rows}


def _names(ctx, filters, **kwargs):
    return sorted(row.display_name for row in
                  db.instance_get_all_by_filters_sort(ctx, filters, **kwargs))


def test_regular_expressions_on_text_columns(fleet):
    ctx, _uuids = fleet
    assert _names(ctx, {'name': '^web-'}) == ['web-1', 'web-2']
    assert _names(ctx, {'regex': {'node': '^rack1-'}}) == ['db-1', 'web-1']
    assert _names(ctx, {'regex': {'hostname': '1$', 'availability_zone': 'az1'}}) == \
        ['db-1', 'web-1']
    assert _names(ctx, {'regex': {'key_name': 'o'}}) == ['web-1']  # NULL never matches
    assert _names(ctx, {'regex': {'display_description': 'front'}}) == ['web-1']
    assert _names(ctx, {'regex': {'access_ip_v6': '^2001:db8:'}}) == ['web-2']
    with pytest.raises(exception.InvalidInput):
        _names(ctx, {'regex': {'user_data': 'x'}})


def test_exact_integer_and_boolean_like_filters(fleet):
    ctx, _uuids = fleet
    assert _names(ctx, {'power_state': 4}) == ['web-2']
    assert _names(ctx, {'launch_index': [0, 2]}) == ['db-1', 'web-1']
    assert _names(ctx, {'config_drive': True}) == ['web-1']
    assert _names(ctx, {'config_drive': False}) == ['db-1', 'web-2']


def test_time_windows_take_datetimes_or_iso_strings(fleet):
    ctx, _uuids = fleet
    second = datetime.timedelta(seconds=1)
    assert _names(ctx, {'launched_at': [T0, T0 + second]}) == ['web-1']
    assert _names(ctx, {'launched_at': [T0.isoformat(), (T0 + 2 * second).isoformat()]}) \
        == ['web-1', 'web-2']
    # what a datetime becomes on the bus, with a time zone
    assert _names(ctx, {'launched_at': ['2024-05-01T12:00:01+00:00',
                                        '2024-05-01T12:00:02+00:00']}) == ['web-2']
    db.instance_update(ctx, fleet[1]['db-1'], {'progress': 50})
    assert _names(ctx, {'changes-since': '2000-01-01T00:00:00Z'}) == ['db-1']
    with pytest.raises(exception.InvalidInput):
        _names(ctx, {'launched_at': ['yesterday', 'today']})


def test_tags(fleet):
    ctx, _uuids = fleet
    assert _names(ctx, {'tags': ['prod', 'front']}) == ['web-1']
    assert _names(ctx, {'tags-any': ['front', 'none']}) == ['web-1']
    assert _names(ctx, {'not-tags': ['prod', 'front']}) == ['db-1', 'web-2']
    assert _names(ctx, {'not-tags-any': ['prod']}) == ['db-1']


def test_addresses_match_fixed_ips_from_the_start(fleet):
    ctx, _uuids = fleet
    assert _names(ctx, {'ip': r'10\.0\.0\.5'}) == ['web-1']  # re.match: 10.0.0.15 does not
    assert _names(ctx, {'ip': '10.0.0'}) == ['web-1', 'web-2']
    assert _names(ctx, {'ip': '0.0.5'}) == []
    assert _names(ctx, {'ip': '203.0.113.9'}) == []  # floating addresses are not fixed
    assert _names(ctx, {'ip6': 'fd00::'}) == ['web-2']
    assert _names(ctx, {'ip': '^192', 'ip6': 'fd00'}) == ['web-2']  # either matches
    page = db.instance_get_all_by_filters_sort(ctx, {'ip': '10.'}, limit=1,
                                               sort_keys=['display_name'], sort_dirs=['asc'])
    assert [row.display_name for row in page] == ['web-1']
    with pytest.raises(exception.InvalidInput):
        _names(ctx, {'ip': '('})


def test_one_select_on_instances(fleet):
    ctx, _uuids = fleet
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, 'before_cursor_execute', record)
    try:
        _names(ctx, {'tags': ['prod'], 'regex': {'node': 'rack'}, 'ip': '10'})
    finally:
        sa.event.remove(sa.engine.Engine, 'before_cursor_execute', record)
    # One SELECT of the instances (tags as its sub-select, extra and cache joined); the
    # metadata and system metadata of all of them come in one statement each.
    main = [s for s in statements if s.startswith('SELECT instances.id')]
    assert len(main) == 1, statements
    assert 'FROM tags' in main[0]
    assert len([s for s in statements if s.startswith('SELECT')]) == 3, statements


def test_unknown_filters_are_refused(fleet):
    ctx, _uuids = fleet
    with pytest.raises(exception.InvalidInput):
        _names(ctx, {'colour': 'blue'})
