"""Boot benchmark of the libvirt driver: the control plane's overhead over a bare libvirt.

Separate daemons on RabbitMQ and PostgreSQL (or MariaDB), one libvirt compute host with
QEMU (TCG), the tiny guest of the integration test (cloud kernel + busybox initramfs that
writes a marker to its serial console). For each round it prints:

- nova: from POST /servers to the libvirt domain running, to ACTIVE, and to the marker in
  os-getConsoleOutput;
- by hand: from ``virsh create`` of the same domain XML (a copy of the one nova defined, on
  its own overlay disk of the same cached base) to its return (the domain is running then)
  and to the marker in the console log.

Two overheads follow: at the start (POST to running, minus virsh create's return), which is
the control plane's own time, and at the marker, which adds the noise of two TCG guest boots
(seconds on a loaded machine). Medians close the table.

The first nova round downloads the images into the host's cache; the later ones find them
there. Needs root (it starts virtlogd/libvirtd when they are not running).

    python bench/libvirt_boot.py [--rounds 3]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import libvirt

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests import databases  # noqa: E402
from tests.integration import cluster as cluster_mod  # noqa: E402
from tests.integration import libvirt_host  # noqa: E402
from tests.integration import test_libvirt as it  # noqa: E402


class RunningWatch(threading.Thread):
    """Polls libvirt every 10 ms for a domain of the given UUID to be running."""

    def __init__(self, started):
        super().__init__(daemon=True)
        self.started = started
        self.uuid = None
        self.running_after = None
        self.stop = threading.Event()

    def run(self):
        conn = libvirt.openReadOnly('qemu:///system')
        try:
            while not self.stop.wait(0.01):
                if self.uuid is None:
                    continue
                try:
                    state = conn.lookupByUUIDString(self.uuid).state()[0]
                except libvirt.libvirtError:
                    continue
                if state == libvirt.VIR_DOMAIN_RUNNING:
                    self.running_after = time.monotonic() - self.started
                    return
        finally:
            conn.close()


def nova_round(cluster, image_id, flavor_id):
    started = time.monotonic()
    watch = RunningWatch(started)
    watch.start()
    try:
        status, body = cluster.request('POST', '/v2.1/servers', {'server': {
            'name': 'bench', 'imageRef': image_id, 'flavorRef': flavor_id,
            'networks': 'none'}}, version='2.37')
        assert status == 202, body
        server_id = watch.uuid = body['server']['id']
        it.wait_status(cluster, server_id, 'ACTIVE')
        active = time.monotonic() - started
        cluster.wait_for(lambda: libvirt_host.MARKER in it.console(cluster, server_id),
                         timeout=300, interval=0.1, what='the marker')
        marker = time.monotonic() - started
        watch.join(timeout=5)
    finally:
        watch.stop.set()
    if watch.running_after is None:
        raise RuntimeError('never saw the domain running')
    return server_id, watch.running_after, active, marker


def by_hand_round(instances_path, server_id, workdir):
    """virsh create of nova's domain XML, renamed, on a fresh overlay of the same base."""
    source_dir = os.path.join(instances_path, server_id)
    with open(os.path.join(source_dir, 'libvirt.xml')) as f:
        xml = f.read()
    own_dir = os.path.join(workdir, 'by-hand-%s' % uuid.uuid4().hex[:8])
    os.makedirs(own_dir)
    for name in ('kernel', 'ramdisk'):
        shutil.copyfile(os.path.join(source_dir, name), os.path.join(own_dir, name))
    backing = subprocess.run(['qemu-img', 'info', '-U', '--output=json',
                              os.path.join(source_dir, 'disk')], capture_output=True,
                             text=True, check=True).stdout
    info = json.loads(backing)
    base, base_format = info['backing-filename'], info['backing-filename-format']
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', base, '-F', base_format,
                    os.path.join(own_dir, 'disk'), '1G'], check=True)
    new_uuid = str(uuid.uuid4())
    xml = xml.replace(source_dir, own_dir).replace(server_id, new_uuid)
    xml = re.sub(r'<name>[^<]*</name>', '<name>byhand-%s</name>' % new_uuid[:8], xml, count=1)
    xml_path = os.path.join(own_dir, 'domain.xml')
    with open(xml_path, 'w') as f:
        f.write(xml)
    log = os.path.join(own_dir, 'console.log')
    started = time.monotonic()
    result = subprocess.run(['virsh', '-c', 'qemu:///system', 'create', xml_path],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError('virsh create failed: %s' % result.stderr)
    created = time.monotonic() - started
    deadline = started + 300
    while True:
        try:
            with open(log, errors='replace') as f:
                if libvirt_host.MARKER in f.read():
                    break
        except FileNotFoundError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError('no marker from the hand-made guest')
        time.sleep(0.05)
    marker = time.monotonic() - started
    subprocess.run(['virsh', '-c', 'qemu:///system', 'destroy', new_uuid], check=True,
                   capture_output=True)
    shutil.rmtree(own_dir)
    return created, marker


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--keep-logs', metavar='DIR',
                        help='copy the daemons\' logs there at the end')
    args = parser.parse_args()
    reason = libvirt_host.ensure_installed()
    if reason:
        sys.exit(reason)
    backend = next(b for b in ('postgresql', 'mysql') if databases.server_available(b))
    rows = []
    with tempfile.TemporaryDirectory(prefix='nova-bench-libvirt-') as workdir:
        os.chmod(workdir, 0o755)
        guest = libvirt_host.build_tiny_guest(workdir)
        with libvirt_host.running_libvirtd(workdir), \
                cluster_mod.running_cluster(backend) as cluster:
            os.chmod(cluster.workdir, 0o755)
            instances_path = os.path.join(cluster.workdir, 'instances')
            it.start_libvirt_cluster(cluster, instances_path)
            image_id = it.upload_tiny_guest(cluster, guest)
            flavor_id = it.create_flavor(cluster, 't1.tiny', 96, 1, 1)
            try:
                rounds(args, cluster, image_id, flavor_id, instances_path, workdir, rows)
            finally:
                if args.keep_logs:
                    os.makedirs(args.keep_logs, exist_ok=True)
                    for path in cluster.logs.values():
                        shutil.copy(path, args.keep_logs)
    print_table(rows)


def rounds(args, cluster, image_id, flavor_id, instances_path, workdir, rows):
    for index in range(args.rounds):
        server_id, running, active, marker = nova_round(cluster, image_id, flavor_id)
        # By hand while nova's guest is stopped, so both boot on the same load.
        it.action(cluster, server_id, {'os-stop': None})
        it.wait_status(cluster, server_id, 'SHUTOFF')
        created, hand_marker = by_hand_round(instances_path, server_id, workdir)
        rows.append((index + 1, running, active, marker, created, hand_marker))
        print('round %d: nova running %.2f s, ACTIVE %.2f s, marker %.2f s; virsh create '
              '%.2f s, marker %.2f s; overhead at start %.2f s, at marker %.2f s' % (
                  index + 1, running, active, marker, created, hand_marker,
                  running - created, marker - hand_marker), flush=True)
        status, _body = cluster.request('DELETE', '/v2.1/servers/%s' % server_id)
        assert status == 204
        cluster.wait_for(lambda: it.server(cluster, server_id) is None,
                         timeout=120, what='server deleted')


def print_table(rows):
    print()
    print('| round | POST to running | POST to ACTIVE | POST to marker | virsh create returns '
          '| virsh create to marker | overhead at start | overhead at marker |')
    print('|---|---|---|---|---|---|---|---|')
    line = '| %s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s |'
    table = []
    for index, running, active, marker, created, hand_marker in rows:
        figures = (running, active, marker, created, hand_marker, running - created,
                   marker - hand_marker)
        table.append(figures)
        print(line % (('%d%s' % (index, ' (images downloaded)' if index == 1 else ''),)
                      + figures))
    if len(table) > 1:
        print(line % (('median',) + tuple(statistics.median(column)
                                          for column in zip(*table))))


if __name__ == '__main__':
    main()
