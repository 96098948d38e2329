"""Shared by bench/deploy and bench/serve: the bench stack's settings and ansible-playbook runs."""
import json
import os
import subprocess
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parents[1]
# The tests' readers of ansible-playbook's output and of the demo site (tests/lib): one copy.
sys.path.insert(0, str(TOP / "tests" / "lib"))
import playreport  # noqa: E402  pylint: disable=wrong-import-position
import playrun  # noqa: E402  pylint: disable=wrong-import-position
STACK = "bench"
# The bench stack's own ports, apart from make demo's (8080, 2221, 5055) and the tests'.
PORTS = {"rehearsal_moto_port": 5155, "rehearsal_http_port": 8180, "rehearsal_ssh_port": 2321, "rehearsal_https_port": 8543}
HTTP_PORT = PORTS["rehearsal_http_port"]
NAIVE_PORT = 8190
# The bench measures plain HTTP (its figures since wave 1); the rehearsal's default is HTTPS.
EXTRA = {"django_aws_stack": STACK, "django_aws_domain": "", "django_aws_allow_plain_http": True, **PORTS}
OUTPUT = TOP / "tests" / "output"


def playbook(path, name, extra=None, timeline=None, inventory="inventories/rehearsal", cli=(), check=True):
    """Run a playbook from the checkout; return (seconds, recap {host: counts}, log path). A
    failed run raises SystemExit, or with check=False returns None for the recap."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = OUTPUT / f"bench-{name}.log"
    env = dict(os.environ)
    env.pop("DEMO_PORT", None)
    if timeline:
        timeline.unlink(missing_ok=True)
        env.update(BENCH_TIMELINE=str(timeline), ANSIBLE_CALLBACK_PLUGINS=str(TOP / "bench" / "callback_plugins"),
                   ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_tasks,timeline")
    proc = playrun.run(["ansible-playbook", "-i", inventory, path, "-e", json.dumps({**EXTRA, **(extra or {})}), *cli],
                       env=env, cwd=TOP, log=log)
    if proc.rc != 0:
        if check:
            raise SystemExit(f"bench: {path} failed (log: {log})")
        return proc.seconds, None, log
    return proc.seconds, playreport.recap(proc.output), log


def teardown():
    return playbook("playbooks/teardown.yml", "teardown", {
        "django_aws_teardown_confirm": STACK, "django_aws_lift_deletion_protection": True,
        "django_aws_skip_final_snapshot": True})


def stack_is_up():
    names = subprocess.run(["podman", "ps", "--filter", f"label=django_aws.stack={STACK}", "--format", "{{.Names}}"],
                           capture_output=True, text=True, check=True).stdout.split()
    return f"{STACK}-web-1" in names


def table(headers, rows):
    """A Markdown table (prints well in a terminal and pastes into RESULTS.md)."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "| " + " | ".join("-" * w for w in widths) + " |"] + [line(r) for r in rows])
