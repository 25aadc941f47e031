"""Files on another compute host, for resize and cold migration: ``[libvirt]
remote_filesystem_transport`` ssh (ssh and scp) or rsync (rsync over ssh).

The commands run as the nova user with its own ssh keys (BatchMode: never a password
prompt that would hang nova-compute), as upstream does; nothing here needs root.
Whether a host shares this host's instances_path is found out by making a file there
over the transport and looking for it here.
"""

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import uuid

from nova import exception
import nova.conf

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

SSH_OPTIONS = ('-o', 'BatchMode=yes')
# A disk copy may take long; a host that does not answer fails the move after this.
COMMAND_TIMEOUT = 6 * 3600


def _run(command, timeout=COMMAND_TIMEOUT):
    LOG.debug('Running %s', ' '.join(command))
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise exception.NovaException('%s failed: %s' % (' '.join(command), error))
    if result.returncode != 0:
        raise exception.NovaException('%s failed (exit %d): %s' % (
            ' '.join(command), result.returncode, result.stderr.strip()))
    return result.stdout


def remote_target(host, path):
    """``host:path`` for scp/rsync; an IPv6 address goes in brackets."""
    if ':' in host and not host.startswith('['):
        host = '[%s]' % host
    return '%s:%s' % (host, path)


class SshTransport:
    """ssh for file operations, scp for copies."""

    def _ssh(self, host, *command):
        _run(['ssh', *SSH_OPTIONS, host, *command])

    def create_dir(self, host, path):
        self._ssh(host, 'mkdir', '-p', path)

    def remove_dir(self, host, path):
        self._ssh(host, 'rm', '-rf', path)

    def create_file(self, host, path):
        self._ssh(host, 'touch', path)

    def remove_file(self, host, path):
        self._ssh(host, 'rm', '-f', path)

    def copy_file(self, src, host, dst):
        _run(['scp', *SSH_OPTIONS, '-r', src, remote_target(host, dst)])


class RsyncTransport:
    """rsync (over ssh) for everything: a host may allow rsync but no shell. Creating and
    removing go through a local scratch directory that rsync mirrors onto the host."""

    RSH = ('--rsh', 'ssh ' + ' '.join(SSH_OPTIONS))

    def _rsync(self, *args):
        _run(['rsync', *self.RSH, *args])

    def _push_new(self, host, path, make):
        """Create ``path`` on ``host`` (a file or a directory, by ``make``) with its
        missing parents, through a scratch copy of the path below a temporary dir."""
        scratch = tempfile.mkdtemp(prefix='nova-rsync-')
        try:
            local = os.path.join(scratch, path.lstrip('/'))
            os.makedirs(os.path.dirname(local), exist_ok=True)
            make(local)
            # /./ marks where --relative starts the path on the remote side.
            self._rsync('--archive', '--relative', scratch + '/./' + path.lstrip('/'),
                        remote_target(host, '/'))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _delete_entry(self, host, path):
        """Remove the entry ``path`` from its parent on ``host``: sync an empty directory
        onto the parent, deleting only that name."""
        empty = tempfile.mkdtemp(prefix='nova-rsync-')
        try:
            self._rsync('--archive', '--delete', '--include', os.path.basename(path),
                        '--exclude', '*', empty + '/',
                        remote_target(host, os.path.dirname(path) + '/'))
        finally:
            os.rmdir(empty)

    def create_dir(self, host, path):
        self._push_new(host, path, os.mkdir)

    def create_file(self, host, path):
        self._push_new(host, path, lambda local: open(local, 'w').close())

    def remove_file(self, host, path):
        self._delete_entry(host, path)

    def remove_dir(self, host, path):
        empty = tempfile.mkdtemp(prefix='nova-rsync-')
        try:
            # Empty it first: --delete removes a non-empty directory only with its files.
            self._rsync('--archive', '--delete', empty + '/', remote_target(host, path + '/'))
        finally:
            os.rmdir(empty)
        self._delete_entry(host, path)

    def copy_file(self, src, host, dst):
        # --sparse keeps raw disks sparse; --compress pays off on a network.
        self._rsync('--sparse', '--compress', src, remote_target(host, dst))


def transport():
    """The transport ``[libvirt] remote_filesystem_transport`` names."""
    kind = CONF.libvirt.remote_filesystem_transport
    return RsyncTransport() if kind == 'rsync' else SshTransport()


def is_this_host(host):
    """Whether ``host`` (a migration's dest_host: an address or a name) is this host."""
    names = {CONF.my_ip, CONF.host, socket.gethostname(), socket.getfqdn(), 'localhost',
             '127.0.0.1', '::1'}
    return host in names


def is_shared_with(host, directory, files=None):
    """Whether ``directory`` here is the same directory as on ``host`` (shared storage):
    this host counts as sharing with itself; elsewhere a file made over the transport
    must show up here."""
    if is_this_host(host):
        return True
    files = files or transport()
    probe = os.path.join(directory, '.shared-test-%s' % uuid.uuid4().hex)
    try:
        files.create_file(host, probe)
    except exception.NovaException:
        # The directory may not exist there at all: not shared, and the copy says why
        # if the host is unreachable.
        LOG.debug('Could not create %s on %s: taking it as not shared', probe, host,
                  exc_info=True)
        return False
    try:
        return os.path.exists(probe)
    finally:
        try:
            files.remove_file(host, probe)
        except exception.NovaException:
            LOG.warning('Could not remove the probe file %s on %s', probe, host)
