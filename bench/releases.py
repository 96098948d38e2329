"""bench/releases.py: requests refused while a release changes, on the bench stack (rehearsal).

wrk runs against the site's database page (`/`) through nginx while, in turn:
  (a) a good code-only deploy  (site.yml --tags deploy, the demo with a changed page);
  (b) a failing deploy          (its /healthz answers 500: the health gate rolls it back by itself);
  (c) a manual rollback         (playbooks/rollback.yml, to the release before (a)).
For each: failed requests (non-2xx + socket errors: the target is 0), p99 during against p99 of a
run of the same length before, and how long the playbook took; then what a release costs on disk.
wrk is stopped with SIGINT when the playbook ends (it prints its summary then). Bounded: every
wrk run and playbook has a time limit. Measures only; exits 0 unless something cannot run.
"""
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

URL = f"http://127.0.0.1:{benchlib.HTTP_PORT}"
WEB = f"{benchlib.STACK}-web-1"
CONNECTIONS = 16
LONGEST_RUN_S = 900
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def duration(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(out):
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p99": duration(latency["99"]), "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0}


def wrk_for(seconds):
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{int(seconds)}s", "--latency", f"{URL}/"],
                         capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse_wrk(out)


def wrk_during(playbook, name, extra=None, cli=()):
    """wrk from before the playbook starts until it ends; (wrk figures, playbook seconds, ok)."""
    load = subprocess.Popen(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{LONGEST_RUN_S}s", "--latency", f"{URL}/"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(2)
    try:
        seconds, recap, _unused = benchlib.playbook(playbook, name, extra, cli=cli, check=False)
        ok = recap is not None
    finally:
        time.sleep(2)
        load.send_signal(signal.SIGINT)
        out = load.communicate(timeout=60)[0]
    return parse_wrk(out), seconds, ok


def served_release():
    with urllib.request.urlopen(f"{URL}/healthz", timeout=10) as reply:
        return reply.headers["X-Django-Release"]


def demo_variant(title, unhealthy=False):
    app = Path(tempfile.mkdtemp(prefix="bench-release-")) / "app"
    shutil.copytree(benchlib.TOP / "examples" / "demo_app", app, ignore=shutil.ignore_patterns("__pycache__"))
    page = app / "notes" / "templates" / "notes" / "index.html"
    page.write_text(page.read_text().replace("<h1>Notes</h1>", f"<h1>{title}</h1>"))
    if unhealthy:
        views = app / "notes" / "views.py"
        views.write_text(views.read_text().replace('return JsonResponse({"status": "ok", "database": "ok"})',
                                                   'return JsonResponse({"status": "broken"}, status=500)'))
    return app


def disk(path):
    return subprocess.run(["podman", "exec", WEB, "du", "-sm", "--apparent-size", path],
                          capture_output=True, text=True, check=True).stdout.split()[0]


def main():
    if not benchlib.stack_is_up():
        print("bench: deploying the bench stack (site.yml)", file=sys.stderr)
        benchlib.playbook("playbooks/site.yml", "releases-deploy")
    first = served_release()
    rows = []
    cases = [("(a) good code deploy", "playbooks/site.yml", {"django_app_source_path": str(demo_variant("Bench release"))},
              ["--tags", "deploy"]),
             ("(b) failing deploy, rolled back by itself", "playbooks/site.yml",
              {"django_app_source_path": str(demo_variant("Bench broken", unhealthy=True))}, ["--tags", "deploy"]),
             ("(c) manual rollback (rollback.yml)", "playbooks/rollback.yml", {}, [])]
    for label, playbook, extra, cli in cases:
        print(f"bench: {label}", file=sys.stderr)
        before = wrk_for(20)
        during, seconds, ok = wrk_during(playbook, re.sub(r"\W+", "-", label).strip("-"), extra, cli)
        rows.append([label, f"{seconds:.1f}", "yes" if ok else "failed (expected for b)" if "(b)" in label else "FAILED",
                     during["requests"], during["non2xx"] + during["socket_errors"],
                     f"{before['p99'] * 1000:.0f}", f"{during['p99'] * 1000:.0f}", served_release()])
    print("\n### Requests while releases change (wrk, 16 connections, database page through nginx)\n")
    print(benchlib.table(["run", "playbook s", "playbook ok", "requests", "failed (non-2xx + socket)",
                          "p99 before ms", "p99 during ms", "serving after"], rows))
    print(f"\nServing before (a): {first}; after (c) it should be that release again.")
    release = served_release().split("@")[0]
    print("\n### What a release costs on the host (MB, apparent size)\n")
    print(benchlib.table(["what", "MB"], [
        ["a release's code", disk(f"/srv/django/releases/{release}") + " (static and .venv link included)"],
        ["its static files", disk(f"/srv/django/releases/{release}/.static")],
        ["its virtualenv (shared by the releases with the same requirements)", disk(f"/srv/django/releases/{release}/.venv/")],
        ["all releases kept", disk("/srv/django/releases")], ["all virtualenvs", disk("/srv/django/venvs")]]))


if __name__ == "__main__":
    main()
