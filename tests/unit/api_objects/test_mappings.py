"""CellMapping, HostMapping and InstanceMapping against a real (SQLite) API database."""

from oslo_utils import uuidutils
import pytest

from nova import exception
from nova.objects import cell_mapping as cell_mapping_obj
from nova.objects import host_mapping as host_mapping_obj
from nova.objects import instance_mapping as instance_mapping_obj


def _cell(ctx, name='cell1', uuid=None, **kwargs):
    cell = cell_mapping_obj.CellMapping(
        ctx, uuid=uuid or uuidutils.generate_uuid(), name=name,
        transport_url='rabbit://guest:guest@127.0.0.1:5672/%s' % name,
        database_connection='sqlite:////tmp/%s.sqlite' % name, **kwargs)
    cell.create()
    return cell


def test_cell_mapping_lifecycle(admin_ctx):
    cell0 = _cell(admin_ctx, 'cell0', uuid=cell_mapping_obj.CellMapping.CELL0_UUID)
    assert cell0.is_cell0() and cell0.disabled is False
    assert cell0.identity == '%s(cell0)' % cell_mapping_obj.CellMapping.CELL0_UUID
    cell1 = _cell(admin_ctx)
    assert not cell1.is_cell0()
    cell1.disabled = True
    cell1.name = 'renamed'
    cell1.save()
    loaded = cell_mapping_obj.CellMapping.get_by_uuid(admin_ctx, cell1.uuid)
    assert (loaded.name, loaded.disabled) == ('renamed', True)
    assert [c.uuid for c in cell_mapping_obj.CellMappingList.get_all(admin_ctx)] == \
        [cell0.uuid, cell1.uuid]
    assert [c.uuid for c in cell_mapping_obj.CellMappingList.get_by_disabled(
        admin_ctx, True)] == [cell1.uuid]
    cell1.destroy()
    with pytest.raises(exception.CellMappingNotFound):
        cell_mapping_obj.CellMapping.get_by_uuid(admin_ctx, cell1.uuid)
    with pytest.raises(exception.CellMappingNotFound):
        cell1.destroy()


def test_cell_mapping_errors(admin_ctx):
    cell = _cell(admin_ctx)
    with pytest.raises(exception.CellMappingExists):
        _cell(admin_ctx, 'again', uuid=cell.uuid)
    with pytest.raises(exception.ObjectActionError):
        cell.create()
    cell.uuid = uuidutils.generate_uuid()
    with pytest.raises(exception.ObjectActionError):
        cell.save()


def test_a_cell_with_mappings_cannot_be_destroyed(admin_ctx):
    cell = _cell(admin_ctx)
    host_mapping_obj.HostMapping(admin_ctx, host='h1', cell_mapping=cell).create()
    with pytest.raises(exception.CellMappingInUse):
        cell.destroy()
    assert cell_mapping_obj.CellMapping.get_by_uuid(admin_ctx, cell.uuid).name == 'cell1'


def test_host_mapping_lifecycle(admin_ctx):
    cell1, cell2 = _cell(admin_ctx), _cell(admin_ctx, 'cell2')
    mapping = host_mapping_obj.HostMapping(admin_ctx, host='compute1', cell_mapping=cell1)
    mapping.create()
    host_mapping_obj.HostMapping(admin_ctx, host='compute2', cell_mapping=cell2).create()
    loaded = host_mapping_obj.HostMapping.get_by_host(admin_ctx, 'compute1')
    assert loaded.cell_mapping.uuid == cell1.uuid
    assert loaded.cell_mapping.transport_url.endswith('/cell1')
    loaded.cell_mapping = cell2
    loaded.save()
    assert host_mapping_obj.HostMapping.get_by_host(admin_ctx, 'compute1').cell_mapping.name \
        == 'cell2'
    assert [m.host for m in host_mapping_obj.HostMappingList.get_all(admin_ctx)] == \
        ['compute1', 'compute2']
    assert host_mapping_obj.HostMappingList.get_by_cell_id(admin_ctx, cell1.id).objects == []
    loaded.destroy()
    with pytest.raises(exception.HostMappingNotFound):
        host_mapping_obj.HostMapping.get_by_host(admin_ctx, 'compute1')
    with pytest.raises(exception.HostMappingNotFound):
        loaded.destroy()


def test_host_mapping_errors(admin_ctx):
    cell = _cell(admin_ctx)
    host_mapping_obj.HostMapping(admin_ctx, host='compute1', cell_mapping=cell).create()
    with pytest.raises(exception.HostMappingExists):
        host_mapping_obj.HostMapping(admin_ctx, host='compute1', cell_mapping=cell).create()
    unsaved = cell_mapping_obj.CellMapping(admin_ctx, uuid=uuidutils.generate_uuid())
    with pytest.raises(exception.ObjectActionError):
        host_mapping_obj.HostMapping(admin_ctx, host='c2', cell_mapping=unsaved).create()
    gone = cell_mapping_obj.CellMapping(admin_ctx, id=cell.id + 50, uuid=unsaved.uuid)
    with pytest.raises(exception.CellMappingNotFound):
        host_mapping_obj.HostMapping(admin_ctx, host='c3', cell_mapping=gone).create()
    with pytest.raises(exception.ObjectActionError):
        host_mapping_obj.HostMapping(admin_ctx, host='c4').create()
    assert len(host_mapping_obj.HostMappingList.get_all(admin_ctx)) == 1


def test_instance_mapping_lifecycle(admin_ctx):
    cell = _cell(admin_ctx)
    mapping = instance_mapping_obj.InstanceMapping(
        admin_ctx, instance_uuid=uuidutils.generate_uuid(), project_id='p1', user_id='u1',
        cell_mapping=None)
    mapping.create()
    assert mapping.cell_mapping is None and mapping.queued_for_delete is False
    mapping.cell_mapping = cell
    mapping.save()
    loaded = instance_mapping_obj.InstanceMapping.get_by_instance_uuid(
        admin_ctx, mapping.instance_uuid)
    assert loaded.cell_mapping.uuid == cell.uuid
    loaded.queued_for_delete = True
    loaded.save()
    assert instance_mapping_obj.InstanceMapping.get_by_instance_uuid(
        admin_ctx, mapping.instance_uuid).queued_for_delete is True
    loaded.destroy()
    with pytest.raises(exception.InstanceMappingNotFound):
        instance_mapping_obj.InstanceMapping.get_by_instance_uuid(
            admin_ctx, mapping.instance_uuid)


def test_instance_mapping_errors_and_lists(admin_ctx):
    cell = _cell(admin_ctx)
    uuids = [uuidutils.generate_uuid() for _ in range(3)]
    for uuid, project in zip(uuids, ('p1', 'p1', 'p2')):
        instance_mapping_obj.InstanceMapping(admin_ctx, instance_uuid=uuid, project_id=project,
                                             cell_mapping=cell if project == 'p2' else None
                                             ).create()
    with pytest.raises(exception.InstanceMappingExists):
        instance_mapping_obj.InstanceMapping(admin_ctx, instance_uuid=uuids[0],
                                             project_id='p1').create()
    with pytest.raises(exception.ObjectActionError):
        instance_mapping_obj.InstanceMapping(admin_ctx, project_id='p1').create()
    assert [m.instance_uuid for m in instance_mapping_obj.InstanceMappingList
            .get_by_project_id(admin_ctx, 'p1')] == uuids[:2]
    assert [m.instance_uuid for m in instance_mapping_obj.InstanceMappingList
            .get_by_cell_id(admin_ctx, cell.id)] == uuids[2:]
    assert [m.instance_uuid for m in instance_mapping_obj.InstanceMappingList
            .get_by_instance_uuids(admin_ctx, uuids[1:])] == uuids[1:]
    with pytest.raises(exception.CellMappingInUse):
        cell.destroy()
