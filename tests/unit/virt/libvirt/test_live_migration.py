"""Live migration of the libvirt driver: flags, URIs, parameters and the domain XML for the
destination as pure functions; the pre-checks and the destination's preparation against
libvirt's test driver with real qemu-img (two "hosts" = two instances_path); the migration
itself and its monitor with a domain double at the libvirt edge (the test driver cannot
migrate), whose migrateToURI3 blocks until it is finished or aborted."""

import json
import os
import threading
import time

import pytest

from nova import exception
from nova.compute import power_state
from nova.virt import images
from nova.virt.libvirt import live_migration as lm
from tests.unit.virt.libvirt import test_driver
from tests.unit.virt.libvirt.test_driver import KERNEL_IMAGE
from tests.unit.virt.libvirt.test_driver import RAMDISK_IMAGE
from tests.unit.virt.libvirt.test_driver import ROOT_IMAGE

# The driver on libvirt's test driver, as test_driver.py's tests use it.
drv, ctx = test_driver.drv, test_driver.ctx
_instance, _spawn = test_driver._instance, test_driver._spawn

libvirt = pytest.importorskip('libvirt')


# -- pure functions -------------------------------------------------------------------------

def test_flags_are_upstreams_live_peer_to_peer_persistent_move(conf):
    flags = lm.migration_flags(block_migration=False)
    for flag in ('LIVE', 'PEER2PEER', 'PERSIST_DEST', 'UNDEFINE_SOURCE'):
        assert flags & getattr(libvirt, 'VIR_MIGRATE_' + flag)
    for flag in ('TUNNELLED', 'NON_SHARED_INC', 'NON_SHARED_DISK', 'POSTCOPY',
                 'AUTO_CONVERGE'):
        assert not flags & getattr(libvirt, 'VIR_MIGRATE_' + flag)


def test_block_migration_copies_the_top_layer_only(conf):
    flags = lm.migration_flags(block_migration=True)
    assert flags & libvirt.VIR_MIGRATE_NON_SHARED_INC
    assert not flags & libvirt.VIR_MIGRATE_NON_SHARED_DISK


def test_tunnelled_post_copy_and_auto_converge_flags(conf):
    conf.set_override('live_migration_tunnelled', True, group='libvirt')
    conf.set_override('live_migration_permit_auto_converge', True, group='libvirt')
    flags = lm.migration_flags(False)
    assert flags & libvirt.VIR_MIGRATE_TUNNELLED
    assert flags & libvirt.VIR_MIGRATE_AUTO_CONVERGE
    # Post-copy wins over auto-converge (upstream uses one of them).
    conf.set_override('live_migration_permit_post_copy', True, group='libvirt')
    flags = lm.migration_flags(False)
    assert flags & libvirt.VIR_MIGRATE_POSTCOPY
    assert not flags & libvirt.VIR_MIGRATE_AUTO_CONVERGE


def test_destination_uri_from_scheme_or_template(conf):
    assert lm.destination_uri('10.0.0.2') == 'qemu+tcp://10.0.0.2/system'
    conf.set_override('live_migration_scheme', 'ssh', group='libvirt')
    assert lm.destination_uri('dest') == 'qemu+ssh://dest/system'
    conf.set_override('live_migration_uri', 'qemu+tls://%s/system?no_verify=1',
                      group='libvirt')
    assert lm.destination_uri('dest') == 'qemu+tls://dest/system?no_verify=1'


def test_params_name_the_inbound_address_unless_tunnelled(conf):
    params = lm.migration_params('<domain/>', '10.0.0.2', ['vda', 'vdb'], False)
    assert params == {libvirt.VIR_MIGRATE_PARAM_DEST_XML: '<domain/>',
                      libvirt.VIR_MIGRATE_PARAM_PERSIST_XML: '<domain/>',
                      libvirt.VIR_MIGRATE_PARAM_URI: 'tcp://10.0.0.2'}
    assert lm.migration_params('<d/>', 'fd00::2', [], False)[
        libvirt.VIR_MIGRATE_PARAM_URI] == 'tcp://[fd00::2]'
    assert libvirt.VIR_MIGRATE_PARAM_URI not in lm.migration_params('<d/>', None, [], False)
    conf.set_override('live_migration_tunnelled', True, group='libvirt')
    conf.set_override('live_migration_bandwidth', 64, group='libvirt')
    params = lm.migration_params('<d/>', '10.0.0.2', ['vda', 'vdb'], True)
    assert libvirt.VIR_MIGRATE_PARAM_URI not in params
    assert params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] == 64
    assert params[libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS] == ['vda', 'vdb']


def test_completion_timeout_counts_memory_and_disks_at_least_2_gib(conf):
    conf.set_override('live_migration_completion_timeout', 100, group='libvirt')
    assert lm.completion_timeout(512, 0) == 200
    assert lm.completion_timeout(2048, 2 * lm.GiB) == 400
    conf.set_override('live_migration_completion_timeout', 0, group='libvirt')
    assert lm.completion_timeout(4096, 0) == 0


XML = '''<domain type='kvm'><name>instance-1</name>
  <os><kernel>/src/i/u/kernel</kernel><initrd>/src/i/u/ramdisk</initrd></os>
  <devices>
    <disk type='file' device='disk'><source file='/src/i/u/disk'/><target dev='vda'/></disk>
    <disk type='file' device='disk'><source file='/elsewhere/disk'/><target dev='vdb'/></disk>
    <serial type='tcp'><source mode='bind' host='127.0.0.1' service='10001'/>
      <log file='/src/i/u/console.log' append='off'/></serial>
    <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'>
      <listen type='address' address='127.0.0.1'/></graphics>
  </devices></domain>'''


def test_domain_xml_is_rewritten_for_the_destination():
    xml = lm.rewrite_domain_xml(XML, '/src/i/u', '/dst/j/u', ['10.0.0.2', 10007],
                                {'vnc': '10.0.0.2', 'spice': None})
    assert '/src/' not in xml
    for path in ('/dst/j/u/kernel', '/dst/j/u/ramdisk', '/dst/j/u/disk',
                 '/dst/j/u/console.log', '/elsewhere/disk'):
        assert path in xml
    assert "host=\"10.0.0.2\" service=\"10007\"" in xml
    assert "listen=\"10.0.0.2\"" in xml and "address=\"10.0.0.2\"" in xml
    assert lm.local_disks(xml) == [('vda', '/dst/j/u/disk'), ('vdb', '/elsewhere/disk')]


# -- pre-checks and the destination's preparation (test driver, real qemu-img) ------------

@pytest.fixture
def hosts(conf, tmp_path):
    """Switch the one process between the source's and the destination's instances_path."""
    paths = {'source': str(tmp_path / 'instances'), 'dest': str(tmp_path / 'dest-instances')}

    def on(name):
        conf.set_override('instances_path', paths[name])
        return paths[name]
    return on


def _checked(drv, ctx, instance, hosts, block_migration=None):
    hosts('dest')
    dest_data = drv.check_can_live_migrate_destination(ctx, instance, block_migration)
    try:
        hosts('source')
        return drv.check_can_live_migrate_source(ctx, instance, dest_data)
    finally:
        hosts('dest')
        drv.cleanup_live_migration_destination_check(ctx, dest_data)
        hosts('source')


def test_auto_block_migration_when_instances_path_is_not_shared(drv, ctx, hosts, conf):
    instance = _spawn(drv, ctx, ephemeral_gb=1)
    conf.set_override('live_migration_inbound_addr', '10.0.0.2', group='libvirt')
    data = _checked(drv, ctx, instance, hosts)
    assert data['block_migration'] is True and data['is_shared_instance_path'] is False
    assert data['target_connect_addr'] == '10.0.0.2'
    assert data['source_instance_dir'] == os.path.join(hosts('source'), instance.uuid)
    assert [(d['target'], d['name'], d['format'], d['virtual_size'], d['backed'])
            for d in data['disks']] == [('vda', 'disk', 'qcow2', lm.GiB, True),
                                        ('vdb', 'disk.eph0', 'qcow2', lm.GiB, False)]
    # The marker is gone from the destination.
    assert not [n for n in os.listdir(hosts('dest')) if n.startswith('.live-migration')]


def test_shared_instances_path_means_no_block_migration(drv, ctx, hosts, conf):
    instance = _spawn(drv, ctx)
    dest_data = drv.check_can_live_migrate_destination(ctx, instance, None)
    data = drv.check_can_live_migrate_source(ctx, instance, dest_data)
    assert data['block_migration'] is False and data['is_shared_instance_path'] is True
    with pytest.raises(exception.InvalidLocalStorage):
        drv.check_can_live_migrate_source(ctx, instance, dict(dest_data,
                                                                block_migration=True))
    drv.cleanup_live_migration_destination_check(ctx, dest_data)
    assert not os.path.exists(os.path.join(conf.instances_path, dest_data['filename']))


def test_no_block_migration_asked_without_shared_storage_is_refused(drv, ctx, hosts):
    instance = _spawn(drv, ctx)
    with pytest.raises(exception.InvalidSharedStorage):
        _checked(drv, ctx, instance, hosts, block_migration=False)


def test_a_stopped_guest_cannot_be_live_migrated(drv, ctx, hosts):
    instance = _spawn(drv, ctx)
    drv.power_off(instance)
    with pytest.raises(exception.MigrationPreCheckError):
        _checked(drv, ctx, instance, hosts)


def test_destination_gets_empty_disks_on_the_same_bases(drv, ctx, hosts):
    instance = _instance(kernel_id=KERNEL_IMAGE, ramdisk_id=RAMDISK_IMAGE, ephemeral_gb=1)
    instance.flavor.swap = 32
    drv.spawn(ctx, instance, {'id': ROOT_IMAGE, 'properties': {
        'kernel_id': KERNEL_IMAGE, 'ramdisk_id': RAMDISK_IMAGE}})
    data = _checked(drv, ctx, instance, hosts)
    dest_root = hosts('dest')
    data = drv.pre_live_migration(ctx, instance, migrate_data=data)
    dest_dir = os.path.join(dest_root, instance.uuid)
    assert data['dest_instance_dir'] == dest_dir
    assert sorted(os.listdir(dest_dir)) == ['bases.json', 'disk', 'disk.eph0', 'disk.swap',
                                            'kernel', 'ramdisk']
    root = json.loads(lm.imagebackend.qemu_img('info', '--output=json',
                                               os.path.join(dest_dir, 'disk')))
    assert root['backing-filename'] == os.path.join(dest_root, '_base',
                                                    images.cached_name(ROOT_IMAGE))
    assert root['virtual-size'] == lm.GiB
    swap = lm.imagebackend.image_info(os.path.join(dest_dir, 'disk.swap'))
    assert swap['virtual-size'] == 32 * 2 ** 20 and 'backing-filename' not in swap
    with open(os.path.join(dest_dir, 'bases.json')) as f:
        assert len(json.load(f)) == 3  # root, kernel, ramdisk bases stay in the cache
    # A second preparation must not touch what is there.
    with pytest.raises(exception.DestinationDiskExists):
        drv.pre_live_migration(ctx, instance, migrate_data=data)
    assert os.path.exists(os.path.join(dest_dir, 'disk'))
    drv.rollback_live_migration_at_destination(ctx, instance, migrate_data=data)
    assert not os.path.exists(dest_dir)


def test_serial_port_and_displays_of_the_destination(drv, ctx, hosts, conf):
    conf.set_override('enabled', True, group='serial_console')
    conf.set_override('proxyclient_address', '127.0.0.1', group='serial_console')
    conf.set_override('server_listen', '0.0.0.0', group='vnc')
    instance = _spawn(drv, ctx)
    data = drv.check_can_live_migrate_destination(ctx, instance, None)
    data = drv.pre_live_migration(ctx, instance, migrate_data=dict(
        data, is_shared_instance_path=True))
    host, port = data['serial_listen']
    first, last = (int(p) for p in conf.serial_console.port_range.split(':'))
    assert host == '127.0.0.1' and first <= port <= last
    assert data['graphics_listen'] == {'vnc': '0.0.0.0', 'spice': None}


# -- the migration and its monitor (a domain double at the libvirt edge) -------------------

class MigratingDomain:
    """The source domain during migrateToURI3: it blocks until ``finish()`` or abortJob."""

    def __init__(self, xml):
        self.xml = xml
        self.calls = []
        self.started = threading.Event()
        self._end = threading.Event()
        self._outcome = None

    def XMLDesc(self, flags=0):
        return self.xml

    def migrateToURI3(self, uri, params, flags):
        self.calls.append(('migrateToURI3', uri, params, flags))
        self.started.set()
        self._end.wait(30)
        if self._outcome is not None:
            raise self._outcome

    def finish(self):
        self._end.set()

    def abortJob(self):
        self.calls.append(('abortJob',))
        self._outcome = libvirt.libvirtError('operation aborted: migration job: canceled '
                                             'by client')
        self._end.set()

    def fail(self, message):
        self._outcome = libvirt.libvirtError(message)
        self._end.set()

    def jobStats(self, flags=0):
        return {'data_total': 100 * 2 ** 20, 'data_remaining': 25 * 2 ** 20,
                'memory_remaining': 20 * 2 ** 20, 'disk_remaining': 5 * 2 ** 20}

    def suspend(self):
        self.calls.append(('suspend',))

    def resume(self):
        self.calls.append(('resume',))

    def migrateStartPostCopy(self, flags=0):
        self.calls.append(('migrateStartPostCopy',))


@pytest.fixture
def migrating(drv, ctx, hosts, conf):
    """A spawned guest checked and prepared for a block migration, whose domain the
    driver sees as a MigratingDomain; yields (instance, data, dom, run) where run()
    starts live_migration in a thread and returns a dict that gets its outcome."""
    conf.set_override('live_migration_inbound_addr', '10.0.0.2', group='libvirt')
    instance = _spawn(drv, ctx)
    data = _checked(drv, ctx, instance, hosts)
    hosts('dest')
    data = drv.pre_live_migration(ctx, instance, migrate_data=data)
    hosts('source')
    dom = MigratingDomain(drv._host.lookup(instance.uuid).XMLDesc(0))
    drv._lookup = lambda inst: dom
    drv.MONITOR_INTERVAL = 0.02

    def run():
        outcome = {}

        def target():
            try:
                drv.live_migration(ctx, instance, 'dest-host', migrate_data=data)
                outcome['result'] = 'done'
            except Exception as error:
                outcome['result'] = error
        thread = threading.Thread(target=target)
        thread.start()
        assert dom.started.wait(10)
        outcome['thread'] = thread
        return outcome
    yield instance, data, dom, run
    dom.finish()


def test_block_migration_calls_migrate_to_uri3_and_cleans_the_source(migrating, drv, conf):
    instance, data, dom, run = migrating
    source_dir = data['source_instance_dir']
    outcome = run()
    name, uri, params, flags = dom.calls[0]
    assert uri == 'qemu+tcp://10.0.0.2/system'
    assert flags & libvirt.VIR_MIGRATE_NON_SHARED_INC and flags & libvirt.VIR_MIGRATE_LIVE
    assert params[libvirt.VIR_MIGRATE_PARAM_URI] == 'tcp://10.0.0.2'
    assert params[libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS] == ['vda']
    dest_xml = params[libvirt.VIR_MIGRATE_PARAM_DEST_XML]
    assert data['dest_instance_dir'] + '/disk' in dest_xml and source_dir not in dest_xml
    dom.finish()
    outcome['thread'].join(10)
    assert outcome['result'] == 'done'
    # The source keeps nothing: neither the domain (the test driver still had it) nor the
    # instance directory.
    assert drv._host.lookup(instance.uuid) is None
    assert not os.path.exists(source_dir)
    with pytest.raises(exception.NoActiveMigrationForInstance):
        drv.live_migration_abort(instance)


def test_completion_timeout_aborts_and_the_guest_stays(migrating, drv, conf):
    instance, data, dom, run = migrating
    # 1 s per GiB, at least 2 GiB: aborted after 2 s.
    conf.set_override('live_migration_completion_timeout', 1, group='libvirt')
    started = time.monotonic()
    outcome = run()
    outcome['thread'].join(15)
    assert isinstance(outcome['result'], exception.LiveMigrationTimedOut)
    assert 2 <= time.monotonic() - started < 10
    assert ('abortJob',) in dom.calls
    assert drv._host.lookup(instance.uuid) is not None
    assert os.path.exists(data['source_instance_dir'])


def test_timeout_action_force_complete_pauses_the_guest(migrating, drv, conf):
    instance, data, dom, run = migrating
    conf.set_override('live_migration_completion_timeout', 1, group='libvirt')
    conf.set_override('live_migration_timeout_action', 'force_complete', group='libvirt')
    outcome = run()
    deadline = time.monotonic() + 10
    while ('suspend',) not in dom.calls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ('suspend',) in dom.calls and ('abortJob',) not in dom.calls
    dom.finish()
    outcome['thread'].join(10)
    assert outcome['result'] == 'done'


def test_abort_by_request_raises_aborted(migrating, drv):
    instance, data, dom, run = migrating
    outcome = run()
    drv.live_migration_abort(instance)
    outcome['thread'].join(10)
    assert isinstance(outcome['result'], exception.LiveMigrationAborted)
    assert os.path.exists(data['source_instance_dir'])


def test_force_complete_switches_to_post_copy_when_permitted(migrating, drv, conf):
    instance, data, dom, run = migrating
    conf.set_override('live_migration_permit_post_copy', True, group='libvirt')
    outcome = run()
    assert dom.calls[0][3] & libvirt.VIR_MIGRATE_POSTCOPY
    drv.live_migration_force_complete(instance)
    drv.live_migration_force_complete(instance)  # once only
    assert dom.calls.count(('migrateStartPostCopy',)) == 1
    assert ('suspend',) not in dom.calls
    with pytest.raises(exception.NovaException, match='post-copy'):
        drv.live_migration_abort(instance)
    dom.finish()
    outcome['thread'].join(10)
    assert outcome['result'] == 'done'


def test_failed_migration_resumes_a_guest_paused_to_force_it(migrating, drv):
    instance, data, dom, run = migrating
    outcome = run()
    drv.live_migration_force_complete(instance)
    dom.fail('unable to connect to server')
    outcome['thread'].join(10)
    assert isinstance(outcome['result'], exception.NovaException)
    assert 'unable to connect' in str(outcome['result'])
    assert dom.calls[-2:] == [('suspend',), ('resume',)]


def test_nothing_to_abort_or_force_without_a_running_migration(drv, ctx):
    instance = _spawn(drv, ctx)
    for call in (drv.live_migration_abort, drv.live_migration_force_complete):
        with pytest.raises(exception.NoActiveMigrationForInstance):
            call(instance)


def test_post_live_migration_at_destination_persists_and_resumes(drv, ctx, conf):
    instance = _spawn(drv, ctx)
    instance.vm_state = 'active'
    dom = drv._host.lookup(instance.uuid)
    dom.suspend()  # paused by force-complete on the source
    os.unlink(os.path.join(conf.instances_path, instance.uuid, 'libvirt.xml'))
    drv.post_live_migration_at_destination(ctx, instance)
    assert drv.get_info(instance)['state'] == power_state.RUNNING
    assert os.path.exists(os.path.join(conf.instances_path, instance.uuid, 'libvirt.xml'))
    # A guest that was paused before the migration stays paused.
    dom.suspend()
    instance.vm_state = 'paused'
    drv.post_live_migration_at_destination(ctx, instance)
    assert drv.get_info(instance)['state'] == power_state.PAUSED


class VanishedDomain:
    """A domain listed a moment ago that has since migrated away."""

    def isActive(self):
        raise libvirt.libvirtError('Domain not found: no domain with matching uuid')


def test_resources_skip_a_domain_that_migrated_away_meanwhile(drv, ctx, conf):
    _spawn(drv, ctx)
    used = drv.get_available_resource('node')['vcpus_used']
    listed = drv._host.list_domains()
    drv._host.list_domains = lambda: listed + [VanishedDomain()]
    try:
        assert drv.get_available_resource('node')['vcpus_used'] == used
    finally:
        del drv._host.list_domains
