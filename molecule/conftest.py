"""Helpers for the molecule verifiers (pytest-testinfra): run a play against a container."""

import json
import os
import sys
from pathlib import Path


REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "lib"))

import playreport  # noqa: E402  pylint: disable=wrong-import-position
import playrun  # noqa: E402  pylint: disable=wrong-import-position


def recap_sum(output, field):
    """One PLAY RECAP field summed over all hosts; fails loudly without a recap (playreport)."""
    return playreport.recap_sum(output, field)


class PlayResult:
    """One ansible-playbook run: rc, the whole output, and (json callback) the report."""

    def __init__(self, proc, json_report=False):
        self.rc = proc.rc
        self.output = proc.output
        self.report = None
        if json_report:
            try:
                self.report = playreport.json_report(proc.stdout)
            except ValueError as error:
                raise AssertionError(f"no json report (rc={self.rc}):\n{self.output[-3000:]}") from error

    def recap(self, field):
        """One PLAY RECAP field summed over all hosts (from the report's stats with json)."""
        if self.report is not None:
            stats = self.report.get("stats")
            if not stats:
                raise AssertionError(f"no stats in the json report:\n{self.output[-3000:]}")
            return sum(host[field] for host in stats.values())
        return recap_sum(self.output, field)

    def failures(self):
        """The msg of every failed task, in order (json callback runs only)."""
        assert self.report is not None, "run_play(..., json_report=True) reads failure messages"
        return playreport.failure_messages(self.report)


# The SSH port each scenario's container publishes on 127.0.0.1 (molecule.yml), and the key
# ../shared/authorize_ssh.yml authorized: the verifiers' plays go over SSH, as converge does.
SSH_PORTS = {"dja-single": 2230, "dja-nginx": 2231, "dja-django": 2232, "dja-django-2": 2233,
             "dja-postgresql": 2234, "dja-supervisor": 2235, "dja-redis": 2238}
SSH_KEY = REPO / "tests" / "output" / "molecule-ssh" / "id_ed25519"


def ssh_inventory(name, hosts, group, group_vars, key=SSH_KEY):
    """An inventory reaching containers over SSH on published 127.0.0.1 ports ({host: port}), as
    root with `key`, pipelined: the way EC2 hosts are reached, and several times faster than the
    podman connection. The containers are throw-away, their host keys are not recorded."""
    out = REPO / "tests" / "output"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"inventory-{name}.json"
    path.write_text(json.dumps({group: {
        "hosts": {host: {"ansible_host": "127.0.0.1", "ansible_port": port} for host, port in hosts.items()},
        "vars": {"ansible_user": "root", "ansible_ssh_private_key_file": str(key), "ansible_ssh_pipelining": True,
                 "ansible_ssh_common_args": "-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no",
                 "ansible_python_interpreter": "/usr/bin/python3", **group_vars}}}))
    return str(path)


def write_inventory(host, group, group_vars):
    """An inventory with one scenario container in one group, for plays that target a group."""
    return ssh_inventory(host, {host: SSH_PORTS[host]}, group, group_vars)


def run_play(host, play_yaml, extra_vars=None, verbosity=0, connection=None,
             inventory=None, json_report=False, cli=()):
    """Run a playbook (YAML text or a path) against one container; return a PlayResult.
    json_report: print with the json callback, so failures() reads each failed task's msg."""
    if isinstance(play_yaml, Path):
        playbook = str(play_yaml)
    else:
        out = REPO / "tests" / "output"
        out.mkdir(parents=True, exist_ok=True)
        playbook = str(out / f"play-{host}-{os.getpid()}.yml")
        Path(playbook).write_text(play_yaml)
    if inventory is None and connection is None and host in SSH_PORTS:
        inventory = write_inventory(host, "all", {})
    target = ["-i", inventory] if inventory else ["-i", f"{host},", "-c", connection or "containers.podman.podman"]
    cmd = ["ansible-playbook", *target, playbook,
           "-e", json.dumps(extra_vars or {})]
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    cmd.extend(cli)
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"),
           "ANSIBLE_NOCOLOR": "1"}
    if json_report:
        env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
        env["ANSIBLE_CALLBACKS_ENABLED"] = "ansible.posix.json"  # not profile_tasks: json alone
    return PlayResult(playrun.run(cmd, env=env, cwd=REPO, timeout=900, merge_stderr=False), json_report)


def role_play(role, variables, tasks_from=None):
    """A one-role playbook for all hosts, the role's variables given as play vars."""
    include = {"name": f"django_aws.deploy.{role}"}
    if tasks_from:
        include["tasks_from"] = tasks_from
    play = [{
        "name": f"Run {role}",
        "hosts": "all",
        "become": True,
        "gather_facts": False,
        "vars": variables,
        "tasks": [{"name": "Run the role", "ansible.builtin.include_role": include}],
    }]
    return json.dumps(play)


def assert_refused(host, name, role, variables, variable, words, watched, inventory=None):
    """Run `role` with bad `variables` on container `name`: it must fail; the first failed task's
    msg (not the whole output) is about `variable` and holds `words` (playreport.assert_about);
    and nothing changed: 0 changed, the `watched` paths' listing unchanged."""
    listing = "ls -l --time-style=full-iso " + " ".join(watched)
    before = host.run(listing).stdout
    result = run_play(name, role_play(role, variables), json_report=True, inventory=inventory)
    assert result.rc != 0
    messages = result.failures()
    assert messages, f"failed without a message:\n{result.output[-2000:]}"
    playreport.assert_about(messages[0], variable, words)
    # One message per rule: no message twice, each about a variable (not a catch-all).
    assert len(set(messages)) == len(messages) and all(map(playreport.variables_named, messages)), messages
    assert result.recap("changed") == 0
    assert host.run(listing).stdout == before
    return result
