"""nova-all as a real process: signals, reload and a clean exit."""

import signal
import sqlite3
import time

from tests.integration import cluster as cluster_mod


def _wait_for_log(nova, text, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in nova.log():
            return
        time.sleep(0.2)
    raise AssertionError('%r not in the log:\n%s' % (text, nova.log()[-3000:]))


def test_sighup_reloads_mutable_options_and_sigterm_stops_cleanly(tmp_path):
    nova = cluster_mod.NovaAll(str(tmp_path), debug='false')
    nova.start()
    try:
        assert ' DEBUG ' not in nova.log()
        nova.conf_values['DEFAULT']['debug'] = 'true'
        cluster_mod.write_config(nova.conf, nova.conf_values)
        nova.process.send_signal(signal.SIGHUP)
        _wait_for_log(nova, 'Caught SIGHUP')
        # debug is mutable: the next heartbeats log at DEBUG without a restart.
        _wait_for_log(nova, ' DEBUG ')
        assert nova.process.poll() is None
    finally:
        returncode = nova.stop()
    assert returncode == 0, nova.log()
    assert 'Traceback' not in nova.log()
    # A clean stop leaves every service marked stopped (no last_seen_up).
    with sqlite3.connect(str(tmp_path / 'nova.sqlite')) as db:
        rows = db.execute('SELECT "binary", report_count, last_seen_up FROM services').fetchall()
    assert {r[0] for r in rows} == {'nova-conductor', 'nova-scheduler', 'nova-compute'}
    assert all(count > 0 and seen is None for _binary, count, seen in rows), rows
