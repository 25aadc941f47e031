"""The ssh and rsync command lines of the remote file transport (subprocess is the edge:
one machine has no second host to copy to), and the shared-storage probe."""

import os
import subprocess

import pytest

from nova import exception
from nova.virt.libvirt import remotefs

SSH = ['ssh', '-o', 'BatchMode=yes', 'h2']
RSYNC = ['rsync', '--rsh', 'ssh -o BatchMode=yes']


@pytest.fixture
def commands(monkeypatch):
    """The command lines run, with what each rsync source directory held when it ran."""
    recorded = []

    def run(command, **kwargs):
        snapshot = None
        if command[0] == 'rsync':
            source = command[-2].split('/./')[0]
            if os.path.isdir(source):
                snapshot = sorted(os.path.relpath(os.path.join(d, n), source)
                                  for d, dirs, files in os.walk(source)
                                  for n in dirs + files)
        recorded.append((command, snapshot))
        return subprocess.CompletedProcess(command, 0, '', '')
    monkeypatch.setattr(remotefs.subprocess, 'run', run)
    return recorded


def test_ssh_commands(commands):
    files = remotefs.SshTransport()
    files.create_dir('h2', '/i/x')
    files.remove_dir('h2', '/i/x')
    files.create_file('h2', '/i/f')
    files.remove_file('h2', '/i/f')
    files.copy_file('/i/x_resize/disk', 'h2', '/i/x/disk')
    assert [c for c, _ in commands] == [
        SSH + ['mkdir', '-p', '/i/x'], SSH + ['rm', '-rf', '/i/x'], SSH + ['touch', '/i/f'],
        SSH + ['rm', '-f', '/i/f'],
        ['scp', '-o', 'BatchMode=yes', '-r', '/i/x_resize/disk', 'h2:/i/x/disk']]


def test_rsync_commands(commands):
    files = remotefs.RsyncTransport()
    files.create_dir('h2', '/i/x')
    command, held = commands[-1]
    assert command[:-2] == RSYNC + ['--archive', '--relative']
    assert command[-2].endswith('/./i/x') and command[-1] == 'h2:/'
    assert held == ['i', 'i/x']
    files.create_file('h2', '/i/f')
    assert commands[-1][1] == ['i', 'i/f']
    files.remove_file('h2', '/i/f')
    command, held = commands[-1]
    assert command[:-2] == RSYNC + ['--archive', '--delete', '--include', 'f',
                                    '--exclude', '*']
    assert command[-1] == 'h2:/i/' and held == []
    commands.clear()
    files.remove_dir('h2', '/i/x')
    assert [c[-1] for c, _ in commands] == ['h2:/i/x/', 'h2:/i/']
    assert commands[1][0][-6:-2] == ['--include', 'x', '--exclude', '*']
    files.copy_file('/i/x_resize/disk', 'fe80::1', '/i/x/disk')
    assert commands[-1][0] == RSYNC + ['--sparse', '--compress', '/i/x_resize/disk',
                                       '[fe80::1]:/i/x/disk']


def test_failures_say_what_failed(monkeypatch):
    monkeypatch.setattr(remotefs.subprocess, 'run', lambda command, **kw:
                        subprocess.CompletedProcess(command, 255, '', 'Host key failed'))
    with pytest.raises(exception.NovaException, match='ssh .* failed .*Host key failed'):
        remotefs.SshTransport().create_dir('h2', '/i/x')


def test_this_host_shares_with_itself_without_commands(conf, commands):
    conf.set_override('my_ip', '192.0.2.1')
    assert remotefs.is_shared_with('192.0.2.1', '/nowhere')
    assert commands == []


def test_shared_when_the_probe_file_shows_up_here(tmp_path):
    class SameDisk:
        """A 'remote' host whose instances_path is this one (NFS, say)."""

        removed = []

        def create_file(self, host, path):
            open(path, 'w').close()

        def remove_file(self, host, path):
            os.unlink(path)
            self.removed.append(path)

    files = SameDisk()
    assert remotefs.is_shared_with('192.0.2.9', str(tmp_path), files)
    assert len(files.removed) == 1 and os.listdir(tmp_path) == []


def test_not_shared_when_the_host_cannot_make_the_probe(monkeypatch, tmp_path):
    monkeypatch.setattr(remotefs.subprocess, 'run', lambda command, **kw:
                        subprocess.CompletedProcess(command, 1, '', 'No such directory'))
    assert not remotefs.is_shared_with('192.0.2.9', str(tmp_path))


def test_transport_follows_the_option(conf):
    assert isinstance(remotefs.transport(), remotefs.SshTransport)
    conf.set_override('remote_filesystem_transport', 'rsync', group='libvirt')
    assert isinstance(remotefs.transport(), remotefs.RsyncTransport)
