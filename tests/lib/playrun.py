"""Running ansible-playbook for the tests and the bench: one runner (the e2e, tests/badinput,
molecule/conftest.py and bench/benchlib.py each build their own arguments and environment, then
call run()). No stdin, a time limit, the whole output kept, optionally written to a log."""
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self):
        return self.stdout + self.stderr


def run(args, *, env, cwd, log=None, timeout=3600, merge_stderr=True):
    """ansible-playbook (or any command) with `args`; stderr merged into stdout unless
    merge_stderr is false (the json callback's report must stay parseable)."""
    started = time.monotonic()
    proc = subprocess.run(args, env=env, cwd=cwd, text=True, check=False, timeout=timeout, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE)
    result = Run(proc.returncode, proc.stdout, proc.stderr or "", time.monotonic() - started)
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text(result.output, encoding="utf-8")
    return result
