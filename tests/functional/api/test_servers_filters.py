"""GET /servers and /servers/detail: every documented filter, who may use it from which
microversion, sorting and paging, and upstream's 400/403 answers, through the real WSGI app
over SQLite."""

import datetime
import json

from oslo_utils import timeutils
import pytest
import sqlalchemy as sa

from nova.objects import flavor as flavor_obj
from nova.objects import instance as instance_obj
from nova.objects import tag as tag_obj
from tests.functional.api.test_servers import ALICE
from tests.functional.api.test_servers import admin
from tests.functional.api.test_servers import make_flavor
from tests.functional.api.test_servers import make_server
from tests.unit.api.client import call
from tests.unit.api.client import fault

ADMIN = 'admin:admin'
T0 = datetime.datetime(2024, 5, 1, 12, 0, 0, 250000)


def _network_info(*addresses):
    ips = [{'address': address, 'type': 'fixed', 'version': 6 if ':' in address else 4}
           for address in addresses]
    return json.dumps([{'address': 'fa:16:3e:00:00:01',
                        'network': {'label': 'private', 'subnets': [{'ips': ips}]}}])


@pytest.fixture
def fleet(api):
    """Four servers of alice (p1) that differ in every filtered attribute, one of bob (p2)."""
    flavor = make_flavor()
    web = make_server(flavor, display_name='web-1', hostname='web-1', host='edge1',
                      node='edge1-a', key_name='ops', availability_zone='az1',
                      display_description='front end', reservation_id='r-aaaa',
                      config_drive='True', access_ip_v4='192.0.2.1', power_state=1,
                      progress=0, launch_index=0, launched_at=T0, kernel_id='k-1',
                      ramdisk_id='r-1', root_device_name='/dev/vda', auto_disk_config=True)
    db = make_server(flavor, display_name='db-1', hostname='db-1', host='edge2',
                     node='edge2-a', key_name='dev', availability_zone='az2',
                     reservation_id='r-bbbb', config_drive='', vm_state='stopped',
                     access_ip_v6='2001:db8::1', power_state=4, progress=50, launch_index=1,
                     launched_at=T0 + datetime.timedelta(days=1), auto_disk_config=False)
    locked = make_server(flavor, display_name='locked', user_id='carol', locked=True,
                         locked_by='admin', reservation_id='r-bbbb', launched_at=None)
    building = make_server(flavor, display_name='new', vm_state='building',
                           task_state='scheduling', launched_at=None)
    other = make_server(flavor, project_id='p2', user_id='bob', display_name='web-9',
                        host='edge1')
    for server, addresses in ((web, ('10.0.0.5', 'fd00::5')), (db, ('10.0.0.15',))):
        instance_obj.InstanceInfoCache(context=admin(), instance_uuid=server.uuid,
                                       network_info=_network_info(*addresses)).save()
    tag_obj.TagList.create(admin(), web.uuid, ['front', 'prod'])
    tag_obj.TagList.create(admin(), db.uuid, ['prod'])
    return {'web': web.uuid, 'db': db.uuid, 'locked': locked.uuid, 'new': building.uuid,
            'other': other.uuid}


def _get(api, query, token=ALICE, version=None, detail=False):
    path = '/v2.1/servers%s?%s' % ('/detail' if detail else '', query)
    return call(api, path, token=token, version=version)


def _ids(api, query, token=ALICE, version=None, detail=False):
    resp = _get(api, query, token, version, detail)
    assert resp.status_int == 200, resp.text
    return {server['id'] for server in resp.json['servers']}


def _names(fleet, *names):
    return {fleet[name] for name in names}


ALICE_ALL = ('web', 'db', 'locked', 'new')

# (query, servers alice sees for it) for the filters every user has from 2.1
USER_FILTERS_21 = [
    ('name=-1$', ('web', 'db')),
    ('name=^WEB', ()),                            # regular expressions are case-sensitive
    ('reservation_id=r-bbbb', ('db', 'locked')),
    ('status=SHUTOFF', ('db',)),
    ('status=BUILD&status=ACTIVE', ('web', 'locked', 'new')),
    ('flavor=1', ALICE_ALL),
    ('flavor=404', ()),
    ('image=155d900f-4e14-4e4c-a73d-069cbf4541e6', ALICE_ALL),
    ('image=00000000-0000-0000-0000-000000000000', ()),
    ('ip=10.0.0.5', ('web',)),
    (r'ip=10\.0\.0\.1', ('db',)),                 # matched from the start: not 10.0.0.5
    ('ip=10.0.0', ('web', 'db')),
    ('changes-since=2000-01-01T00:00:00Z', ()),   # none changed since it was created
]


def test_filters_of_every_user(api, fleet):
    for query, expected in USER_FILTERS_21:
        assert _ids(api, query) == _names(fleet, *expected), query
        assert _ids(api, query, detail=True) == _names(fleet, *expected), query


# (filter, first microversion for users, query, servers it selects)
VERSIONED_USER_FILTERS = [
    ('ip6', '2.5', 'ip6=fd00::', ('web',)),
    ('tags', '2.26', 'tags=prod,front', ('web',)),
    ('tags-any', '2.26', 'tags-any=front,none', ('web',)),
    ('not-tags', '2.26', 'not-tags=prod,front', ('db', 'locked', 'new')),
    ('not-tags-any', '2.26', 'not-tags-any=prod', ('locked', 'new')),
    ('changes-before', '2.66', 'changes-before=2000-01-01T00:00:00Z', ()),
    ('locked', '2.73', 'locked=true', ('locked',)),
    ('availability_zone', '2.83', 'availability_zone=^az2$', ('db',)),
    ('config_drive', '2.83', 'config_drive=true', ('web',)),
    ('key_name', '2.83', 'key_name=^op', ('web',)),
    ('created_at', '2.83', 'created_at=2000-01-01', ()),
    ('launched_at', '2.83', 'launched_at=2024-05-01T12:00:00Z', ('web',)),
    ('terminated_at', '2.83', 'terminated_at=2024-05-01', ()),
    ('power_state', '2.83', 'power_state=4', ('db',)),
    ('task_state', '2.83', 'task_state=scheduling', ('new',)),
    ('vm_state', '2.83', 'vm_state=STOPPED', ('db',)),
    ('progress', '2.83', 'progress=50', ('db',)),
    ('user_id', '2.83', 'user_id=carol', ('locked',)),
]


def _previous(version):
    major, minor = version.split('.')
    return '%s.%d' % (major, int(minor) - 1)


def test_user_filters_from_their_microversion(api, fleet):
    for name, version, query, expected in VERSIONED_USER_FILTERS:
        assert _ids(api, query, version=version) == _names(fleet, *expected), name
        # before it, the filter is silently ignored for users, applied for admins
        assert _ids(api, query, version=_previous(version)) == \
            _names(fleet, *ALICE_ALL), name
        # Parameters the query schema only knows from a later microversion (tags,
        # changes-before, locked) are dropped for everyone before it.
        if version not in ('2.26', '2.66', '2.73'):
            assert _ids(api, query + '&all_tenants=1&project_id=p1', token=ADMIN,
                        version=_previous(version)) == _names(fleet, *expected), name


# Filters only administrators may use (ignored for everyone else).
ADMIN_FILTERS = [
    ('host=edge2', ('db',)),
    ('host=edge', ()),                            # exact
    ('node=^edge1-', ('web',)),                   # a regular expression
    ('hostname=^db', ('db',)),
    ('uuid=%(web)s', ('web',)),
    ('description=front', ('web',)),
    ('display_description=^front end$', ('web',)),
    ('display_name=^locked$', ('locked',)),
    ('image_ref=155d900f-4e14-4e4c-a73d-069cbf4541e6', ALICE_ALL),
    ('access_ip_v4=^192\\.0\\.2\\.', ('web',)),
    ('access_ip_v6=2001:db8::', ('db',)),
    ('kernel_id=k-', ('web',)),
    ('ramdisk_id=^r-1$', ('web',)),
    ('root_device_name=vda', ('web',)),
    ('locked_by=admin', ('locked',)),
    ('launch_index=1', ('db',)),
    ('auto_disk_config=AUTO', ('web',)),
    ('auto_disk_config=manual', ('db',)),
    ('vm_state=building', ('new',)),
    ('user_id=carol', ('locked',)),
]


def test_admin_filters(api, fleet):
    for query, expected in ADMIN_FILTERS:
        query = query % fleet
        assert _ids(api, query + '&all_tenants=1&project_id=p1', token=ADMIN) == \
            _names(fleet, *expected), query
        assert _ids(api, query, version='2.82') == _names(fleet, *ALICE_ALL), query


def test_projects_and_all_tenants(api, fleet):
    everyone = _names(fleet, *ALICE_ALL, 'other')
    assert _ids(api, 'all_tenants=1', token=ADMIN) == everyone
    assert _ids(api, 'all_tenants', token=ADMIN) == everyone   # a bare flag means yes
    assert _ids(api, 'all_tenants=0', token=ADMIN) == set()     # admin's own project
    assert _ids(api, 'all_tenants=1&tenant_id=p2', token=ADMIN) == {fleet['other']}
    assert _ids(api, 'all_tenants=1&project_id=p2', token=ADMIN) == {fleet['other']}
    # without all_tenants, the project filters are ignored: the caller's own project
    assert _ids(api, 'project_id=p2', token=ADMIN) == set()
    assert _ids(api, 'project_id=p2') == _names(fleet, *ALICE_ALL)
    assert _ids(api, 'all_tenants=0') == _names(fleet, *ALICE_ALL)
    resp = _get(api, 'all_tenants=1')
    assert resp.status_int == 403
    resp = _get(api, 'all_tenants=maybe', token=ADMIN)
    assert resp.status_int == 400
    assert fault(resp)[2].startswith("Invalid input received: Unrecognized value 'maybe'")
    # the host filter of an admin spans projects only with all_tenants
    assert _ids(api, 'all_tenants=1&host=edge1', token=ADMIN) == \
        _names(fleet, 'web', 'locked', 'new', 'other')


def _flavor():
    return flavor_obj.Flavor.get_by_flavor_id(admin(), '1')


def test_deleted_and_soft_deleted(api, fleet):
    gone = make_server(_flavor(), display_name='gone')
    gone.vm_state = 'deleted'  # as a delete does: the state first, then the record
    gone.save()
    gone.destroy()
    soft = make_server(_flavor(), display_name='soft', vm_state='soft-delete')
    assert fleet['web'] not in _ids(api, 'deleted=true&all_tenants=1', token=ADMIN)
    assert _ids(api, 'deleted=true&all_tenants=1', token=ADMIN) == {gone.uuid, soft.uuid}
    assert _ids(api, 'deleted=true&soft_deleted=false&all_tenants=1', token=ADMIN) == \
        {gone.uuid}
    assert soft.uuid not in _ids(api, 'all_tenants=1', token=ADMIN)
    assert _ids(api, 'status=SOFT_DELETED') == {soft.uuid}
    assert _ids(api, 'status=DELETED&all_tenants=1', token=ADMIN) == {gone.uuid}
    resp = _get(api, 'status=DELETED')
    assert resp.status_int == 403
    assert fault(resp)[2] == 'Only administrators may list deleted instances'
    assert _ids(api, 'deleted=true') == _names(fleet, *ALICE_ALL)  # ignored for users
    # a changes-since window shows recent deletions
    since = (timeutils.utcnow() - datetime.timedelta(minutes=5)).isoformat() + 'Z'
    assert gone.uuid in _ids(api, 'changes-since=%s' % since)


def test_time_filters_stand_for_what_they_name(api, fleet):
    def launched(value):
        return _ids(api, 'launched_at=%s' % value, version='2.83')

    assert launched('2024-05-01') == {fleet['web']}
    assert launched('2024-05-02') == {fleet['db']}
    assert launched('2024-05-01T12:00') == {fleet['web']}
    assert launched('2024-05-01T12:01') == set()
    assert launched('2024-05-01T14:00:00%2B02:00') == {fleet['web']}  # time zones count
    assert launched('2024-05-01T12:00:00.250000') == {fleet['web']}
    assert launched('2024-05-01T12:00:00.250001') == set()
    resp = _get(api, 'launched_at=yesterday', version='2.83')
    assert resp.status_int == 400 and fault(resp)[2] == 'Invalid filter field: launched_at.'
    today = timeutils.utcnow().strftime('%Y-%m-%d')
    assert _ids(api, 'created_at=%s' % today, version='2.83') == _names(fleet, *ALICE_ALL)


BAD_VALUES = [
    # (query, microversion, token, status, message start)
    ('name=(', None, ALICE, 400, 'Invalid input for query parameters name. Value: (.'),
    ('ip=[', None, ALICE, 400, 'Invalid input for query parameters ip.'),
    ('changes-since=soon', None, ALICE, 400,
     'Invalid input for query parameters changes-since. Value: soon.'),
    ('changes-since=2024-01-02T00:00:00Z&changes-before=2024-01-01T00:00:00Z', '2.66',
     ALICE, 400, 'The value of changes-since must be less than or equal to changes-before.'),
    ('locked=maybe', '2.73', ALICE, 400, "Invalid input received: Unrecognized value 'maybe'"),
    ('status=BOGUS', '2.38', ALICE, 400, 'Invalid status value'),
    ('power_state=running', '2.83', ALICE, 400, 'Invalid filter field: power_state.'),
    ('progress=half', '2.83', ALICE, 400, 'Invalid filter field: progress.'),
    ('config_drive=maybe', '2.83', ALICE, 400, 'Invalid filter field: config_drive.'),
    ('auto_disk_config=SOMETIMES', None, ADMIN, 400,
     'Invalid filter field: auto_disk_config.'),
    ('metadata=x', None, ADMIN, 400, 'Invalid filter field: metadata.'),
    ('info_cache=x', None, ADMIN, 400, 'Invalid filter field: info_cache.'),
    ('_secret=x', None, ADMIN, 400, 'Invalid filter field: _secret.'),
    ('limit=-1', None, ALICE, 400, 'Invalid input for query parameters limit.'),
    ('limit=ten', None, ALICE, 400, 'Invalid input for query parameters limit.'),
    ('marker=00000000-0000-0000-0000-000000000000', None, ALICE, 400,
     'marker [00000000-0000-0000-0000-000000000000] not found'),
    ('sort_key=bogus', None, ALICE, 400, 'Invalid input for query parameters sort_key.'),
    ('sort_dir=up', None, ALICE, 400, 'Invalid input for query parameters sort_dir.'),
    ('sort_key=display_name&sort_dir=asc&sort_dir=desc', None, ALICE, 400,
     'Invalid input received: Sort direction size exceeds sort key size'),
    ('sort_key=host', None, ALICE, 403, 'Only administrators can sort servers by host'),
    ('sort_key=node', None, ALICE, 403, 'Only administrators can sort servers by node'),
    ('sort_key=vcpus', '2.75', ALICE, 400, 'Invalid input for query parameters sort_key.'),
    ('bogus=1', '2.75', ALICE, 400, "'bogus' does not match any of the regexes"),
]


def test_bad_values_get_upstreams_answers(api, fleet):
    for query, version, token, status, message in BAD_VALUES:
        resp = _get(api, query, token=token, version=version)
        assert resp.status_int == status, (query, resp.text)
        assert fault(resp)[2].startswith(message), (query, fault(resp))


def test_ignored_values(api, fleet):
    everything = _names(fleet, *ALICE_ALL)
    assert _ids(api, 'status=BOGUS', version='2.37') == set()   # empty before 2.38
    assert _ids(api, 'bogus=1', version='2.74') == everything    # dropped before 2.75
    assert _ids(api, 'metadata=x') == everything                 # not a user filter
    assert _ids(api, 'sort_key=vcpus&sort_dir=asc', version='2.74') == everything
    assert _ids(api, 'sort_key=locked', version='2.72') == everything  # ignored key
    assert _ids(api, 'tags=prod', version='2.25') == everything


def _names_in_order(api, query, token=ALICE, version=None):
    resp = _get(api, query, token=token, version=version)
    assert resp.status_int == 200, resp.text
    return [server['name'] for server in resp.json['servers']]


def test_sorting(api, fleet):
    assert _names_in_order(api, 'sort_key=display_name&sort_dir=asc') == \
        ['db-1', 'locked', 'new', 'web-1']
    assert _names_in_order(api, 'sort_key=display_name') == ['web-1', 'new', 'locked', 'db-1']
    # an ignored key drops out with its direction; the next pair still sorts
    assert _names_in_order(api, 'sort_key=vcpus&sort_dir=desc&sort_key=display_name'
                                '&sort_dir=asc') == ['db-1', 'locked', 'new', 'web-1']
    assert _names_in_order(api, 'sort_key=locked&sort_dir=desc&sort_key=display_name'
                                '&sort_dir=asc', version='2.73') == \
        ['locked', 'db-1', 'new', 'web-1']
    assert _names_in_order(api, 'all_tenants=1&project_id=p1&sort_key=host&sort_dir=desc'
                                '&sort_key=display_name&sort_dir=asc', token=ADMIN) == \
        ['db-1', 'locked', 'new', 'web-1']


def test_paging_with_filters_and_next_links(api, fleet):
    query = 'reservation_id=r-&sort_key=display_name&sort_dir=asc&limit=1'
    first = _get(api, query)
    assert [s['name'] for s in first.json['servers']] == ['db-1']
    next_href = first.json['servers_links'][0]['href']
    assert 'marker=%s' % fleet['db'] in next_href and 'reservation_id=r-' in next_href
    second = call(api, next_href.replace('http://localhost', ''), token=ALICE)
    assert [s['name'] for s in second.json['servers']] == ['locked']
    # ip filters page after matching
    page = _get(api, 'ip=10.&sort_key=display_name&sort_dir=asc&limit=1', detail=True)
    assert [s['name'] for s in page.json['servers']] == ['db-1']
    href = page.json['servers_links'][0]['href'].replace('http://localhost', '')
    assert [s['name'] for s in call(api, href, token=ALICE).json['servers']] == ['web-1']


def test_a_filtered_list_is_one_select(api, fleet):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, 'before_cursor_execute', record)
    try:
        ids = _ids(api, 'tags=prod&ip=10.&availability_zone=az&locked=false&name=-1',
                   version='2.83', detail=True)
    finally:
        sa.event.remove(sa.engine.Engine, 'before_cursor_execute', record)
    assert ids == _names(fleet, 'web', 'db')
    assert len([s for s in statements if s.startswith('SELECT instances.id')]) == 1
