"""BlockDeviceMapping against a real (SQLite) database."""

import pytest

from nova import context as nova_context
from nova import exception
from nova.objects import block_device as bdm_obj
from tests.unit.objects.test_instance import make_instance

BDM = bdm_obj.BlockDeviceMapping


@pytest.fixture
def ctx(database):
    return nova_context.get_admin_context()


def make_bdm(ctx, instance_uuid, **kwargs):
    values = dict(instance_uuid=instance_uuid, source_type='image', destination_type='local',
                  boot_index=0, device_name='/dev/vda', image_id='img-1',
                  delete_on_termination=True)
    values.update(kwargs)
    bdm = BDM(context=ctx, **values)
    bdm.create()
    return bdm


def test_create_read_save_destroy(ctx):
    instance = make_instance(ctx)
    root = make_bdm(ctx, instance.uuid)
    volume = make_bdm(ctx, instance.uuid, source_type='volume', destination_type='volume',
                      boot_index=None, device_name='/dev/vdb', volume_id='vol-1',
                      image_id=None, delete_on_termination=False)
    assert root.uuid and root.is_image and volume.is_volume
    bdms = bdm_obj.BlockDeviceMappingList.get_by_instance_uuid(ctx, instance.uuid)
    assert [b.device_name for b in bdms] == ['/dev/vda', '/dev/vdb']
    assert bdms.root_bdm().id == root.id
    assert BDM.get_by_volume_and_instance(ctx, 'vol-1', instance.uuid).id == volume.id

    volume.connection_info = '{"driver_volume_type": "iscsi"}'
    volume.save()
    assert BDM.get_by_id(ctx, volume.id).connection_info == '{"driver_volume_type": "iscsi"}'

    volume.destroy()
    with pytest.raises(exception.BlockDeviceMappingNotFound):
        BDM.get_by_volume_id(ctx, 'vol-1')
    assert len(bdm_obj.BlockDeviceMappingList.get_by_instance_uuid(ctx, instance.uuid)) == 1


def test_instance_uuid_cannot_change(ctx):
    instance, other = make_instance(ctx), make_instance(ctx)
    bdm = make_bdm(ctx, instance.uuid)
    bdm.instance_uuid = other.uuid
    with pytest.raises(exception.ObjectActionError):
        bdm.save()


def test_bad_source_type_refused():
    with pytest.raises(ValueError):
        BDM(source_type='floppy')


def test_duplicate_uuid_and_missing(ctx):
    instance = make_instance(ctx)
    bdm = make_bdm(ctx, instance.uuid)
    with pytest.raises(exception.BlockDeviceMappingExists):
        make_bdm(ctx, instance.uuid, uuid=bdm.uuid)
    with pytest.raises(exception.BlockDeviceMappingNotFound):
        BDM.get_by_id(ctx, 999)


def test_instance_delete_takes_its_mappings(ctx):
    instance = make_instance(ctx)
    make_bdm(ctx, instance.uuid)
    instance.destroy()
    assert len(bdm_obj.BlockDeviceMappingList.get_by_instance_uuids(ctx, [instance.uuid])) == 0
