"""Helpers for the molecule verifiers (pytest-testinfra): run a play against a container."""

import json
import os
import re
import subprocess
from pathlib import Path


REPO = Path(__file__).resolve().parent.parent


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def recap_sum(output, field):
    """Sum of one PLAY RECAP field (ok, changed, failed, ...) over all hosts. Reads coloured
    output too; fails loudly when the output holds no recap (a parser that found nothing would
    otherwise report 0, and a check for changed == 0 could never fail)."""
    plain = ANSI.sub("", output)
    if "PLAY RECAP" not in plain:
        raise AssertionError(f"no PLAY RECAP in the output:\n{plain[-2000:]}")
    recap = plain[plain.rindex("PLAY RECAP"):]
    counts = re.findall(rf"\b{field}=(\d+)", recap)
    if not counts:
        raise AssertionError(f"no {field}= in the PLAY RECAP:\n{recap[:2000]}")
    return sum(int(n) for n in counts)


class PlayResult:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.output = proc.stdout + proc.stderr

    def recap(self, field):
        """Sum of one PLAY RECAP field over all hosts (see recap_sum)."""
        return recap_sum(self.output, field)


def write_inventory(host, group, group_vars):
    """An inventory with one container in one group, for plays that target a group."""
    out = REPO / "tests" / "output"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"inventory-{host}.json"
    path.write_text(json.dumps({group: {
        "hosts": {host: {"ansible_connection": "containers.podman.podman"}},
        "vars": group_vars}}))
    return str(path)


def run_play(host, play_yaml, extra_vars=None, verbosity=0, connection="containers.podman.podman",
             inventory=None):
    """Run a playbook (YAML text or a path) against one container; return a PlayResult."""
    if isinstance(play_yaml, Path):
        playbook = str(play_yaml)
    else:
        out = REPO / "tests" / "output"
        out.mkdir(parents=True, exist_ok=True)
        playbook = str(out / f"play-{host}-{os.getpid()}.yml")
        Path(playbook).write_text(play_yaml)
    target = ["-i", inventory] if inventory else ["-i", f"{host},", "-c", connection]
    cmd = ["ansible-playbook", *target, playbook,
           "-e", json.dumps(extra_vars or {})]
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(REPO / ".collections"),
           "ANSIBLE_NOCOLOR": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=900,
                          check=False)
    return PlayResult(proc)


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


def assert_refused(host, name, role, variables, names, watched):
    """Run `role` with bad `variables` on container `name`: it must fail, name the variable
    (`names`) and change nothing: 0 changed, and the `watched` paths' listing unchanged."""
    listing = "ls -l --time-style=full-iso " + " ".join(watched)
    before = host.run(listing).stdout
    result = run_play(name, role_play(role, variables))
    assert result.rc != 0
    assert names in result.output
    assert result.recap("changed") == 0
    assert host.run(listing).stdout == before
    return result
