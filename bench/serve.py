"""bench/serve.py: requests/s, latency, errors, CPU and memory of the web stack, three setups.

(a) ours: nginx -> gunicorn exactly as the roles configure them (the bench stack's web host);
(b) naive: the original tutorial - gunicorn defaults (one sync worker) on 127.0.0.1:8000 under
    supervisor, Debian's nginx site with `proxy_pass http://localhost:8000;` (bench/naive.yml);
(c) bare: Debian's stock nginx serving the same static file (on the naive container).
Both web containers use the same image, network and database container. wrk runs on the
controller against 127.0.0.1 published ports, fixed duration, 16 and 64 connections.
Then (unless --no-https) the bench stack is deployed again with its domain (HTTPS, a certificate
from the rehearsal's ACME stand-in) and ours is measured over HTTPS, against the HTTP figures:
wrk takes the TLS server name from its URL, so it runs in a mount namespace of its own whose
/etc/hosts leads the domain to 127.0.0.1 (the machine's file is not touched).
Measures only; exits 0 unless something cannot run. --teardown removes the bench stack after.
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

WEB, NAIVE = f"{benchlib.STACK}-web-1", f"{benchlib.STACK}-naive"
OURS_URL, NAIVE_URL = f"http://127.0.0.1:{benchlib.HTTP_PORT}", f"http://127.0.0.1:{benchlib.NAIVE_PORT}"
# The rehearsal inventory's domain for the bench stack (<stack>.rehearsal.test).
DOMAIN = f"{benchlib.STACK}.rehearsal.test"
HTTPS_URL = f"https://{DOMAIN}:{benchlib.PORTS['rehearsal_https_port']}"
STACK_PROCESSES = ("nginx", "supervisord", "gunicorn")
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


class Container:
    """CPU time and web-stack memory of a container, read from its cgroup on the host."""

    def __init__(self, name):
        self.name = name
        path = sh("podman", "inspect", "--format", "{{.State.CgroupPath}}", name).strip()
        v1 = Path("/sys/fs/cgroup/cpuacct") / path.lstrip("/")
        self.cgroup = v1 if v1.exists() else Path("/sys/fs/cgroup") / path.lstrip("/")

    def cpu_seconds(self):
        usage = self.cgroup / "cpuacct.usage"
        if usage.exists():
            return int(usage.read_text()) / 1e9
        stat = dict(line.split() for line in (self.cgroup / "cpu.stat").read_text().splitlines())
        return int(stat["usage_usec"]) / 1e6

    def stack_rss_mib(self):
        total = 0
        for pid in (self.cgroup / "cgroup.procs").read_text().split():
            try:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                if comm.startswith(STACK_PROCESSES):
                    status = Path(f"/proc/{pid}/status").read_text()
                    total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            except (OSError, AttributeError):
                continue  # the process ended meanwhile
        return total / 1024


class PeakMemory(threading.Thread):
    def __init__(self, container):
        super().__init__(daemon=True)
        self.container, self.peak, self.done = container, 0.0, threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, self.container.stack_rss_mib())
            time.sleep(0.2)


def duration(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url, connections, seconds):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if url.startswith(f"https://{DOMAIN}:"):
        # The domain leads to 127.0.0.1 in a private mount namespace only (wrk sends it as the TLS
        # server name; nginx refuses a handshake for any other name).
        hosts = benchlib.OUTPUT / "bench-hosts"
        hosts.write_text(f"127.0.0.1 {DOMAIN}\n" + Path("/etc/hosts").read_text(encoding="utf-8"), encoding="utf-8")
        command = ["unshare", "--mount", "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', str(hosts), *command]
    out = sh(*command)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "requests": requests,
            "p50": duration(latency["50"]), "p99": duration(latency["99"]),
            "bad": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, errors.groups())) if errors else 0)}


def measure(container, url, connections, seconds):
    memory = PeakMemory(container)
    cpu_before = container.cpu_seconds()
    memory.start()
    result = wrk(url, connections, seconds)
    memory.done.set()
    memory.join()
    result["cpu_per_req_ms"] = (container.cpu_seconds() - cpu_before) / max(result["requests"], 1) * 1000
    result["peak_mib"] = memory.peak
    return result


def summarize(samples):
    """Median of each figure over the runs; errors summed; memory peak of all runs."""
    summary = {key: statistics.median(s[key] for s in samples) for key in ("rps", "p50", "p99", "cpu_per_req_ms")}
    summary.update(bad=sum(s["bad"] for s in samples), peak_mib=max(s["peak_mib"] for s in samples),
                   requests=sum(s["requests"] for s in samples))
    return summary


def serves_plain_http():
    """The bench stack's page answers on plain HTTP (not a redirect to HTTPS, as after --https)."""
    try:
        with urllib.request.build_opener(NoRedirect).open(f"{OURS_URL}/healthz", timeout=5) as reply:
            return reply.status == 200
    except OSError:
        return False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def ensure_stack():
    if not benchlib.stack_is_up() or not serves_plain_http():
        print("bench: deploying the bench stack (site.yml)", file=sys.stderr)
        benchlib.playbook("playbooks/site.yml", "serve-deploy")


def deploy_https():
    """The bench stack again with its domain: HTTPS with a certificate from the ACME stand-in."""
    print(f"bench: deploying the bench stack with its domain {DOMAIN} (site.yml, HTTPS)", file=sys.stderr)
    seconds, _recap, _log = benchlib.playbook("playbooks/site.yml", "serve-deploy-https",
                                              {"django_aws_domain": DOMAIN, "django_aws_allow_plain_http": False})
    return seconds


def ensure_naive():
    """The naive container on the stack's network, configured by bench/naive.yml."""
    exists = subprocess.run(["podman", "container", "exists", NAIVE], check=False).returncode == 0
    if not exists:
        sh("podman", "run", "-d", "--name", NAIVE, "--hostname", NAIVE, "--systemd=always",
           "--network", f"{benchlib.STACK}-rehearsal", "-p", f"127.0.0.1:{benchlib.NAIVE_PORT}:80",
           "--label", f"django_aws.stack={benchlib.STACK}", "localhost/django-aws-debian:13", "/sbin/init")
        for _attempt in range(30):
            state = subprocess.run(["podman", "exec", NAIVE, "systemctl", "is-system-running"],
                                   capture_output=True, text=True, check=False).stdout.strip()
            if state in ("running", "degraded"):
                break
            time.sleep(1)
    # The same environment as ours (database, secret key, hosts), from our host's env file, with
    # the project's own settings module (the tutorial has no settings overlay) and the database's
    # CA file where DATABASE_URL's sslrootcert names it.
    env = dict(shlex.split(line)[0].split("=", 1)
               for line in sh("podman", "exec", WEB, "cat", "/etc/django/environment").splitlines()
               if "=" in line and not line.startswith("#"))
    if "DJANGO_AWS_PROJECT_SETTINGS" in env:
        env["DJANGO_SETTINGS_MODULE"] = env["DJANGO_AWS_PROJECT_SETTINGS"]
    env = {key: value for key, value in env.items() if not key.startswith("DJANGO_AWS_")}
    ca_file = re.search(r"[?&]sslrootcert=([^&]+)", env.get("DATABASE_URL", ""))
    if ca_file:
        ca_path = urllib.parse.unquote(ca_file.group(1))
        sh("podman", "exec", NAIVE, "mkdir", "-p", os.path.dirname(ca_path))
        subprocess.run(["podman", "exec", "-i", NAIVE, "sh", "-c", 'cat > "$0"', ca_path], check=True,
                       input=sh("podman", "exec", WEB, "cat", ca_path), text=True, capture_output=True)
    extra = benchlib.OUTPUT / "bench-naive-env.json"
    extra.touch(mode=0o600)
    extra.write_text(json.dumps({"bench_env": env, "ansible_connection": "containers.podman.podman",
                                 "ansible_python_interpreter": "/usr/bin/python3"}))
    log = benchlib.OUTPUT / "bench-naive.log"
    with open(log, "w", encoding="utf-8") as out:
        rc = subprocess.run(["ansible-playbook", "-i", f"{NAIVE},", "bench/naive.yml", "-e", f"@{extra}"],
                            cwd=benchlib.TOP, stdout=out, stderr=subprocess.STDOUT, check=False).returncode
    extra.unlink()
    if rc != 0:
        raise SystemExit(f"bench: the naive setup failed (log: {log})")


def wait_ok(url):
    for _attempt in range(30):
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"bench: {url} does not answer 200")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")),
                        help="runs per measurement, interleaved across setups; the median is reported")
    parser.add_argument("--teardown", action="store_true", help="remove the bench stack afterwards")
    parser.add_argument("--no-https", dest="https", action="store_false",
                        help="do not deploy the stack again with HTTPS to measure it (it stays on plain HTTP)")
    args = parser.parse_args()

    ensure_stack()
    ensure_naive()
    with urllib.request.urlopen(f"{OURS_URL}/", timeout=10) as reply:
        css = re.search(r'href="(/static/[^"]+\.css)"', reply.read().decode()).group(1)
    setups = [  # (setup, what, container, url)
        ("ours", "db page /", WEB, f"{OURS_URL}/"), ("naive", "db page /", NAIVE, f"{NAIVE_URL}/"),
        ("ours", "/healthz", WEB, f"{OURS_URL}/healthz"), ("naive", "/healthz", NAIVE, f"{NAIVE_URL}/healthz"),
        ("ours", "static CSS", WEB, f"{OURS_URL}{css}"), ("bare", "static CSS", NAIVE, f"{NAIVE_URL}{css}"),
    ]
    containers = {name: Container(name) for name in (WEB, NAIVE)}
    for _setup, _what, _name, url in setups:
        wait_ok(url)
        wrk(url, 16, 2)  # warm up: workers loaded, connections to the database open

    runs = {}
    for _rep in range(args.repeat):  # interleaved, so that drift on the machine hits every setup alike
        for connections in (16, 64):
            for setup, what, name, url in setups:
                runs.setdefault((setup, what, connections), []).append(
                    measure(containers[name], url, connections, args.seconds))
    results = {key: summarize(samples) for key, samples in runs.items()}

    print(f"## Serving (wrk -t2, {args.seconds} s per run, median of {args.repeat} interleaved runs, "
          f"from the controller to 127.0.0.1)\n")
    rows = []
    for (setup, what, connections), r in results.items():
        rows.append([what, connections, setup, f"{r['rps']:.0f}", f"{r['p50'] * 1000:.1f}", f"{r['p99'] * 1000:.1f}",
                     r["bad"], f"{r['cpu_per_req_ms']:.2f}", f"{r['peak_mib']:.0f}"])
    rows.sort(key=lambda row: (row[0], row[1]))
    print(benchlib.table(["endpoint", "conns", "setup", "req/s", "p50 ms", "p99 ms", "non-2xx+errors",
                          "CPU ms/req", "stack RSS peak MiB"], rows))

    print("\n### Ratios\n")
    ratio_rows = []
    for what, other in (("db page /", "naive"), ("/healthz", "naive"), ("static CSS", "bare")):
        for connections in (16, 64):
            ours, theirs = results["ours", what, connections], results[other, what, connections]
            ratio_rows.append([what, connections, f"ours/{other}", f"{ours['rps'] / theirs['rps']:.2f}",
                               f"{ours['p99'] / theirs['p99']:.2f}"])
    print(benchlib.table(["endpoint", "conns", "ratio", "req/s", "p99"], ratio_rows))

    page, static = (results["ours", "db page /", 64], results["naive", "db page /", 64]), \
        (results["ours", "static CSS", 64], results["bare", "static CSS", 64])
    peak = max(r["peak_mib"] for (setup, _w, _c), r in results.items() if setup == "ours")
    bad = sum(r["bad"] for r in results.values())
    targets = [
        ("db page at 64 conns: req/s >= 1.6x naive", page[0]["rps"] / page[1]["rps"] >= 1.6,
         f"{page[0]['rps'] / page[1]['rps']:.2f}x"),
        ("db page at 64 conns: p99 <= 0.7x naive", page[0]["p99"] / page[1]["p99"] <= 0.7,
         f"{page[0]['p99'] / page[1]['p99']:.2f}x"),
        ("static at 64 conns: req/s >= 0.9x bare nginx", static[0]["rps"] / static[1]["rps"] >= 0.9,
         f"{static[0]['rps'] / static[1]['rps']:.2f}x"),
        ("0 non-2xx responses and socket errors (all runs)", bad == 0, str(bad)),
        ("our web stack's peak RSS <= 512 MiB", peak <= 512, f"{peak:.0f} MiB"),
    ]
    print("\n### Targets\n")
    print(benchlib.table(["target", "measured", "met"], [[t, m, "yes" if ok else "NO"] for t, ok, m in targets]))
    cores = os.cpu_count()
    workers = sh("podman", "exec", WEB, "pgrep", "-c", "-f", "gunicorn: worker|bin/gunicorn").strip()
    print(f"\nmachine: {cores} cores; our gunicorn processes (master + workers): {workers}")
    if args.https:
        measure_https(args, results, containers[WEB])
    if args.teardown:
        benchlib.teardown()
        print("bench: bench stack removed", file=sys.stderr)


def measure_https(args, http_results, container):
    """Ours over HTTPS (after a deploy with the domain) against ours over HTTP (measured before)."""
    deploy_s = deploy_https()
    url = f"{HTTPS_URL}/"
    wrk(url, 16, 2)  # warm up
    runs = {}
    for _rep in range(args.repeat):
        for connections in (16, 64):
            runs.setdefault(connections, []).append(measure(container, url, connections, args.seconds))
    https = {connections: summarize(samples) for connections, samples in runs.items()}
    print(f"\n## HTTPS against HTTP (ours, db page /; the HTTPS figures after a redeploy with the domain, "
          f"{deploy_s:.0f} s; wrk keeps its connections, so TLS handshakes are few)\n")
    rows = []
    for connections in (16, 64):
        plain, tls = http_results["ours", "db page /", connections], https[connections]
        for label, r in (("http", plain), ("https", tls)):
            rows.append(["db page /", connections, label, f"{r['rps']:.0f}", f"{r['p50'] * 1000:.1f}",
                         f"{r['p99'] * 1000:.1f}", r["bad"], f"{r['cpu_per_req_ms']:.2f}"])
        rows.append(["db page /", connections, "https/http", f"{tls['rps'] / plain['rps']:.2f}", "",
                     f"{tls['p99'] / plain['p99']:.2f}", "", ""])
    print(benchlib.table(["endpoint", "conns", "setup", "req/s", "p50 ms", "p99 ms", "non-2xx+errors", "CPU ms/req"], rows))


if __name__ == "__main__":
    main()
