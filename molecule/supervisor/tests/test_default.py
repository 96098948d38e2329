"""supervisor role: installed, running, programs managed from a list."""

import os
import time

import pytest
import yaml

from conftest import assert_refused, role_play, run_play

HOST = "dja-supervisor"
PROGRAMS = yaml.safe_load(open(os.path.join(os.path.dirname(__file__), "..", "programs.yml")))["supervisor_programs"]


def status(host):
    """{program: (state, pid)} from supervisorctl status."""
    out = host.run("supervisorctl status").stdout
    result = {}
    for line in out.splitlines():
        parts = line.split()
        pid = int(parts[3].rstrip(",")) if len(parts) > 3 and parts[2] == "pid" else None
        result[parts[0]] = (parts[1], pid)
    return result


def test_package_and_service(host):
    assert host.package("supervisor").is_installed
    service = host.service("supervisor")
    assert service.is_enabled
    assert service.is_running


def test_programs_running(host):
    st = status(host)
    assert st["ticker"][0] == "RUNNING"
    assert st["sleeper"][0] == "RUNNING"


def test_program_files(host):
    conf = host.file("/etc/supervisor/conf.d/ticker.conf")
    assert conf.mode == 0o600
    assert conf.user == "root"
    assert 'environment=GREETING="hello"' in conf.content_string
    assert "stdout_logfile_maxbytes=10MB" in conf.content_string
    assert "stopasgroup=true" in conf.content_string
    assert host.file("/var/log/supervisor/ticker.out.log").contains("tick hello")
    ticker = [p for p in host.process.filter(comm="sh") if "tick" in p.args]
    assert ticker and all(p.user == "nobody" for p in ticker)


def test_changed_program_updated_alone_and_removed_program_removed(host):
    # An outside program written by the `program` entry point must survive the list.
    outside = run_play(HOST, role_play("supervisor", {
        "supervisor_program": {"name": "outside", "command": "/bin/sleep infinity"},
        "supervisor_program_owner": "test",
    }, tasks_from="program"))
    assert outside.rc == 0, outside.output
    # Pids before the change: every program running, each with a real pid (the one just added
    # is STARTING for its startsecs: asked again, for up to 10 s).
    for _attempt in range(20):
        before = status(host)
        if all(state == "RUNNING" and pid for state, pid in before.values()):
            break
        time.sleep(0.5)
    assert all(state == "RUNNING" and pid for state, pid in before.values()), before
    changed_list = [dict(PROGRAMS[0], environment={"GREETING": "changed"}),
                    {"name": "third", "command": "/bin/sleep 1000"}]
    result = run_play(HOST, role_play("supervisor", {"supervisor_programs": changed_list}))
    assert result.rc == 0, result.output
    after = status(host)
    assert after["ticker"][0] == "RUNNING" and after["ticker"][1]
    assert after["ticker"][1] != before["ticker"][1], "changed program restarted"
    assert "sleeper" not in after, "removed program is gone"
    assert not host.file("/etc/supervisor/conf.d/sleeper.conf").exists
    assert after["third"][0] == "RUNNING"
    assert after["outside"] == before["outside"], "a program of another owner is neither pruned nor restarted"

    # Re-running the same list changes nothing and restarts nothing.
    again = run_play(HOST, role_play("supervisor", {"supervisor_programs": changed_list}))
    assert again.rc == 0 and again.recap("changed") == 0, again.output
    assert status(host) == after

    # Restore the scenario's list so the container ends as converged.
    restore = run_play(HOST, role_play("supervisor", {"supervisor_programs": PROGRAMS}))
    assert restore.rc == 0, restore.output
    assert "third" not in status(host)


# (wrong settings, the variable the message must be about, words saying what is wrong)
@pytest.mark.parametrize("variables, variable, words", [
    ({"supervisor_programs": [{"name": "x", "command": "/bin/true", "startsecs": "soon"}]},
     "supervisor_programs", "'startsecs' is of type str"),
    ({"supervisor_programs": [{"name": "x", "command": "/bin/true", "stopsignal": "FOO"}]},
     "supervisor_programs", "stopsignal must be one of"),
    ({"supervisor_programs": [{"name": "x"}]}, "supervisor_programs", "missing required arguments: command"),
    ({"supervisor_programs": "ticker"}, "supervisor_programs", "unable to convert to dict"),
    ({"supervisor_programs": [{"name": "bad name", "command": "/bin/true"}]},
     "supervisor_programs", "name may hold only letters"),
])
def test_bad_input_fails_before_any_change(host, variables, variable, words):
    assert_refused(host, HOST, "supervisor", variables, variable, words, ["/etc/supervisor/conf.d"])
