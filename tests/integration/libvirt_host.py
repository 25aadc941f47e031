"""A libvirt/QEMU host for the integration test and the boot benchmark.

``ensure_installed()`` installs libvirt and QEMU from Debian's packages (and libvirt-python
into the running venv) when missing; ``running_libvirtd()`` starts virtlogd and libvirtd
(there is no systemd here) unless they already run, and stops what it started;
``build_tiny_guest()`` makes a guest from Debian's cloud kernel package and a busybox
initramfs whose /init writes ``MARKER`` to the serial console and powers off on an ACPI
power button press (so clean shutdowns and soft reboots work).
"""

import contextlib
import glob
import gzip
import io
import lzma
import os
import shutil
import signal
import subprocess
import sys
import time

APT_PACKAGES = ('libvirt-daemon-system', 'libvirt-dev', 'pkg-config', 'qemu-system-x86',
                'qemu-utils', 'busybox-static', 'ovmf', 'iproute2')
KERNEL_META_PACKAGE = 'linux-image-cloud-amd64'
MARKER = 'NOVA-TINY-GUEST-UP'
SOCKET = '/run/libvirt/libvirt-sock'


def _missing_packages():
    missing = []
    for pkg in APT_PACKAGES:
        if subprocess.run(['dpkg', '-s', pkg], capture_output=True).returncode != 0:
            missing.append(pkg)
    return missing


def ensure_installed():
    """Install what is missing; returns a reason string if that is impossible."""
    if os.geteuid() != 0:
        return 'not root: cannot install packages nor run libvirtd'
    missing = _missing_packages()
    if missing:
        env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
        subprocess.run(['apt-get', 'update', '-q'], env=env, check=True,
                       capture_output=True, timeout=600)
        subprocess.run(['apt-get', 'install', '-y', '-q', '--no-install-recommends',
                        *missing], env=env, check=True, capture_output=True, timeout=1800)
    try:
        import libvirt  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', 'libvirt-python'],
                       check=True, capture_output=True, timeout=600)
    return None


def _libvirtd_answers():
    result = subprocess.run(['virsh', '-c', 'qemu:///system', 'version'],
                            capture_output=True, timeout=60)
    return result.returncode == 0


def _kvm_device_as_udev_sets_it():
    """/dev/kvm root:kvm 0660, as Debian's udev rule makes it. Without udev it stays root
    0600: libvirt then probes QEMU with KVM (as root) but finds KVM unusable for its qemu
    user, throws its capabilities cache away and probes again on every domain start
    (~60 s each on a loaded 2-core machine)."""
    import grp
    import stat
    try:
        mode = os.stat('/dev/kvm').st_mode
        kvm_gid = grp.getgrnam('kvm').gr_gid
    except (FileNotFoundError, KeyError):
        return
    if not mode & stat.S_IRGRP or not mode & stat.S_IWGRP:
        os.chown('/dev/kvm', 0, kvm_gid)
        os.chmod('/dev/kvm', 0o660)


@contextlib.contextmanager
def running_libvirtd(workdir):
    """virtlogd and libvirtd running (started here if they were not; stopped after).
    Yields a function restarting libvirtd, or None when libvirtd was running already."""
    _kvm_device_as_udev_sets_it()
    started = []
    if subprocess.run(['pgrep', '-x', 'virtlogd'], capture_output=True).returncode != 0:
        pidfile = os.path.join(workdir, 'virtlogd.pid')
        subprocess.run(['virtlogd', '-d', '-p', pidfile], check=True, timeout=30)
        started.append(pidfile)
    libvirtd_pidfile = os.path.join(workdir, 'libvirtd.pid')

    def start_libvirtd():
        conf = os.path.join(workdir, 'libvirtd.conf')
        open(conf, 'w').close()
        subprocess.run(['libvirtd', '-d', '-f', conf, '-p', libvirtd_pidfile], check=True,
                       timeout=60)
        deadline = time.monotonic() + 60  # the first start probes QEMU (~9 s)
        while not (os.path.exists(SOCKET) and _libvirtd_answers()):
            if time.monotonic() > deadline:
                raise RuntimeError('libvirtd did not answer in 60 s')
            time.sleep(0.5)

    def restart_libvirtd():
        _stop(libvirtd_pidfile)
        start_libvirtd()

    restart = None  # a libvirtd someone else runs is not ours to restart
    if not (os.path.exists(SOCKET) and _libvirtd_answers()):
        start_libvirtd()
        started.append(libvirtd_pidfile)
        restart = restart_libvirtd
    try:
        yield restart
    finally:
        for pidfile in reversed(started):
            _stop(pidfile)


def _stop(pidfile):
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def _cloud_kernel(workdir):
    """The cloud kernel's vmlinuz from its Debian package (downloaded, not installed)."""
    depends = subprocess.run(['apt-cache', 'depends', KERNEL_META_PACKAGE],
                             capture_output=True, text=True, check=True).stdout
    package = next(line.split(':', 1)[1].strip() for line in depends.splitlines()
                   if line.strip().startswith('Depends:')
                   and 'linux-image' in line)
    debdir = os.path.join(workdir, 'kernel-deb')
    os.makedirs(debdir, exist_ok=True)
    if not glob.glob(os.path.join(debdir, '*.deb')):
        if subprocess.run(['apt-get', 'download', package], cwd=debdir,
                          capture_output=True, timeout=600).returncode != 0:
            # Stale or missing package lists: refresh them once.
            subprocess.run(['apt-get', 'update', '-q'], check=True, capture_output=True,
                           timeout=600)
            subprocess.run(['apt-get', 'download', package], cwd=debdir, check=True,
                           capture_output=True, timeout=600)
    deb = glob.glob(os.path.join(debdir, '*.deb'))[0]
    root = os.path.join(debdir, 'x')
    subprocess.run(['dpkg', '-x', deb, root], check=True)
    vmlinuz = glob.glob(os.path.join(root, 'boot', 'vmlinuz-*'))[0]
    # The ACPI power button and the input events busybox acpid reads are modules.
    modules = [glob.glob(os.path.join(root, 'lib', 'modules', '*', 'kernel', 'drivers', sub,
                                      name + '.ko*'))[0]
               for sub, name in (('input', 'evdev'), ('acpi', 'button'))]
    return vmlinuz, modules


def _vmlinux(vmlinuz):
    """The uncompressed kernel inside a bzImage (its xz payload); it boots directly (PVH)
    and saves QEMU the decompression under TCG."""
    with open(vmlinuz, 'rb') as f:
        data = f.read()
    start = data.find(b'\xfd7zXZ\x00')
    if start < 0:
        return None
    return lzma.LZMADecompressor().decompress(data[start:])


INIT = '''#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /evdev.ko
insmod /button.ko
for e in /sys/class/input/event*; do
    grep -q 'Power Button' $e/device/name && button=/dev/input/${e##*/}
done
# Any event from the ACPI power button (an evdev event is 24 bytes) powers off.
(dd if=$button bs=24 count=1 >/dev/null 2>&1; poweroff -f) &
echo %s > /dev/ttyS0
while true; do sleep 3600; done
''' % MARKER


def _initramfs(modules):
    """A gzipped newc cpio archive: busybox and /init (built in Python: Debian has no cpio
    binary without the cpio package)."""
    busybox = shutil.which('busybox') or '/bin/busybox'
    with open(busybox, 'rb') as f:
        busybox_data = f.read()
    entries = [('bin', 0o040755, b''), ('proc', 0o040755, b''), ('sys', 0o040755, b''),
               ('dev', 0o040755, b''), ('etc', 0o040755, b''),
               ('bin/busybox', 0o100755, busybox_data),
               ('init', 0o100755, INIT.encode())]
    for path in modules:
        with open(path, 'rb') as f:
            entries.append((os.path.basename(path).split('.')[0] + '.ko', 0o100644,
                            f.read()))
    out = io.BytesIO()
    for ino, (name, mode, data) in enumerate(entries + [('TRAILER!!!', 0, b'')], 1):
        encoded = name.encode() + b'\0'
        header = b'070701' + b''.join(b'%08X' % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(encoded), 0))
        out.write(header + encoded)
        out.write(b'\0' * (-(len(header) + len(encoded)) % 4))
        out.write(data)
        out.write(b'\0' * (-len(data) % 4))
    return gzip.compress(out.getvalue())


def build_tiny_guest(workdir):
    """(kernel, ramdisk, disk) files of the tiny guest under ``workdir``."""
    vmlinuz, modules = _cloud_kernel(workdir)
    kernel = os.path.join(workdir, 'guest-kernel')
    vmlinux = _vmlinux(vmlinuz)
    if vmlinux is not None:
        with open(kernel, 'wb') as f:
            f.write(vmlinux)
    else:
        shutil.copyfile(vmlinuz, kernel)
    ramdisk = os.path.join(workdir, 'guest-initramfs')
    with open(ramdisk, 'wb') as f:
        f.write(_initramfs(modules))
    disk = os.path.join(workdir, 'guest-disk.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', disk, '16M'], check=True)
    return kernel, ramdisk, disk


def _ns_run(*command, check=True):
    return subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)


SECOND_HOST_SCRIPT = '''set -e
mount -t tmpfs tmpfs /run/libvirt
mount --bind {root}/lib /var/lib/libvirt
mount --bind {root}/etc /etc/libvirt
mount --bind {root}/cache /var/cache/libvirt
mount --bind {root}/log /var/log/libvirt
hostname {hostname}
virtlogd -d -p {root}/virtlogd.pid
libvirtd -d --listen -f /etc/libvirt/libvirtd.conf -p {root}/libvirtd.pid
'''


@contextlib.contextmanager
def second_libvirtd(workdir, address='10.254.77.2', peer_address='10.254.77.1'):
    """A second libvirt "host" on this machine, for live migrations: libvirtd and virtlogd
    in network, mount and UTS namespaces of their own (a veth pair to this host; their own
    /run/libvirt, /var/lib/libvirt, /etc/libvirt with another host_uuid, /var/cache/libvirt
    and /var/log/libvirt; another host name), listening on ``address`` over TCP without
    authentication (qemu+tcp). Yields the second libvirtd's URI; everything it made
    (domains, daemons, namespace, veth) is gone after."""
    import uuid
    tag = uuid.uuid4().hex[:6]
    netns, outer, inner = 'nova-lm-' + tag, 'nlm%s0' % tag, 'nlm%s1' % tag
    root = os.path.join(workdir, 'second-host-' + tag)
    for sub in ('lib', 'cache', 'log'):
        os.makedirs(os.path.join(root, sub))
    shutil.copytree('/etc/libvirt', os.path.join(root, 'etc'), symlinks=True)
    with open(os.path.join(root, 'etc', 'libvirtd.conf'), 'w') as f:
        f.write('listen_tls = 0\nlisten_tcp = 1\nauth_tcp = "none"\n'
                'listen_addr = "%s"\nhost_uuid = "%s"\n' % (address, uuid.uuid4()))
    uri = 'qemu+tcp://%s/system' % address
    try:
        _ns_run('ip', 'netns', 'add', netns)
        _ns_run('ip', 'link', 'add', outer, 'type', 'veth', 'peer', 'name', inner)
        _ns_run('ip', 'link', 'set', inner, 'netns', netns)
        _ns_run('ip', 'addr', 'add', peer_address + '/30', 'dev', outer)
        _ns_run('ip', 'link', 'set', outer, 'up')
        _ns_run('ip', '-n', netns, 'addr', 'add', address + '/30', 'dev', inner)
        _ns_run('ip', '-n', netns, 'link', 'set', inner, 'up')
        _ns_run('ip', '-n', netns, 'link', 'set', 'lo', 'up')
        _ns_run('ip', 'netns', 'exec', netns, 'unshare', '--mount', '--uts',
                '--propagation', 'private', 'sh', '-c',
                SECOND_HOST_SCRIPT.format(root=root, hostname='nova-lm-' + tag))
        deadline = time.monotonic() + 90  # its first start probes QEMU
        while subprocess.run(['virsh', '-c', uri, 'version'], capture_output=True,
                             timeout=60).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError('the second libvirtd did not answer on %s' % uri)
            time.sleep(0.5)
        yield uri
    finally:
        _destroy_all_domains(uri)
        for name in ('libvirtd', 'virtlogd'):
            _stop(os.path.join(root, name + '.pid'))
        _ns_run('ip', 'link', 'del', outer, check=False)
        _ns_run('ip', 'netns', 'del', netns, check=False)


def _destroy_all_domains(uri):
    """Every domain of the (second, private) libvirtd ``uri`` destroyed and undefined."""
    listing = subprocess.run(['virsh', '-c', uri, 'list', '--all', '--uuid'],
                             capture_output=True, text=True, timeout=60)
    for dom in listing.stdout.split():
        subprocess.run(['virsh', '-c', uri, 'destroy', dom], capture_output=True, timeout=60)
        subprocess.run(['virsh', '-c', uri, 'undefine', '--managed-save', dom],
                       capture_output=True, timeout=60)
