"""bench/deploy.py: the rehearsal deploy (site.yml) from nothing and its no-op re-run.

Prints: cold and no-op times, tasks run and changed, the 15 slowest tasks of the cold run, and
how long site.yml waited on RDS against how long it configured the web hosts meanwhile.
The bench stack stays up for bench/serve.py (--teardown there removes it).
Measures only; exits 0 unless a run fails.
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402


def load(timeline):
    events = [json.loads(line) for line in timeline.read_text(encoding="utf-8").splitlines()]
    for event in events:
        event["task"] = event["task"].split(" : ")[-1]
    return events


def overlap(events, t0):
    """Seconds from the playbook's start: RDS creation requested, host configuration, the wait."""
    def first(pred):
        return next(e for e in events if pred(e))
    create = first(lambda e: e["task"].startswith("Create the RDS PostgreSQL instance"))
    wait = first(lambda e: e["task"].startswith("Wait for the RDS instance"))
    # Host configuration is every task run on a web host, whatever the play is called.
    web = [e for e in events if e["host"].startswith(f"{benchlib.STACK}-web-")]
    hosts_start = min(e["start"] for e in web)
    return {"rds_requested": create["end"] - t0, "hosts_start": hosts_start - t0,
            "wait_start": wait["start"] - t0, "wait_end": wait["end"] - t0, "hosts_end": max(e["end"] for e in web) - t0}


def main():
    out = benchlib.OUTPUT
    if benchlib.stack_is_up() or (Path.home() / ".local/state/django_aws" / benchlib.STACK).exists():
        print("bench: removing the previous bench stack first", file=sys.stderr)
        benchlib.teardown()
    cold_timeline, noop_timeline = out / "bench-timeline-cold.jsonl", out / "bench-timeline-noop.jsonl"
    cold_s, cold_recap, _cold_log = benchlib.playbook("playbooks/site.yml", "deploy-cold", timeline=cold_timeline)
    noop_s, noop_recap, _noop_log = benchlib.playbook("playbooks/site.yml", "deploy-noop", timeline=noop_timeline)
    report(cold_s, cold_recap, noop_s, noop_recap, load(cold_timeline))
    per_role(load(cold_timeline), load(noop_timeline))


def per_role(cold, noop):
    """Seconds spent in each role's tasks (summed over hosts), cold and no-op."""
    def totals(events):
        sums = {}
        for event in events:
            role = event["role"].rsplit(".", 1)[-1] or "(playbook tasks)"
            if event["host"].endswith("-container"):  # the rehearsal's stand-ins for EC2 and RDS
                role = f"{role} (on a rehearsal stand-in)"
            sums[role] = sums.get(role, 0.0) + event["end"] - event["start"]
        return sums
    cold_totals, noop_totals = totals(cold), totals(noop)
    print("\n### Time per role (seconds, summed over the hosts it ran on)\n")
    rows = [[role, f"{cold_totals[role]:.1f}", f"{noop_totals.get(role, 0.0):.1f}"]
            for role in sorted(cold_totals, key=cold_totals.get, reverse=True)]
    print(benchlib.table(["role", "cold", "no-op"], rows))


def report(cold_s, cold_recap, noop_s, noop_recap, events):
    print("## Deploy (rehearsal, site.yml, 1 web host; container image already built)\n")
    rows = []
    for label, seconds, recap in (("cold (from nothing)", cold_s, cold_recap), ("no-op re-run", noop_s, noop_recap)):
        rows.append([label, f"{seconds:.1f}", sum(h["ok"] + h["failed"] for h in recap.values()),
                     sum(h["changed"] for h in recap.values()), sum(h["skipped"] for h in recap.values())])
    print(benchlib.table(["run", "seconds", "tasks run (ok)", "changed", "skipped"], rows))
    print(f"\nno-op re-run target <= 45 s with changed=0: "
          f"{'met' if noop_s <= 45 and rows[1][3] == 0 else 'NOT met'} ({noop_s:.1f} s, changed={rows[1][3]})")

    t0 = min(e["start"] for e in events)
    print("\n### The 15 slowest tasks of the cold run\n")
    slow = sorted(events, key=lambda e: e["end"] - e["start"], reverse=True)[:15]
    print(benchlib.table(["seconds", "host", "task"],
                         [[f"{e['end'] - e['start']:.1f}", e["host"], (e["role"] + " : " if e["role"] else "") + e["task"]]
                          for e in slow]))

    o = overlap(events, t0)
    print("\n### RDS against host configuration (cold run, seconds from the start)\n")
    print(benchlib.table(["event", "at s"], [
        ["RDS instance creation requested (not waited for)", f"{o['rds_requested']:.1f}"],
        ["web host configuration starts", f"{o['hosts_start']:.1f}"],
        ["rds_endpoint_info starts waiting", f"{o['wait_start']:.1f}"],
        ["RDS available, wait over", f"{o['wait_end']:.1f}"],
        ["web host configuration ends", f"{o['hosts_end']:.1f}"]]))
    print(f"\nsite.yml waited {o['wait_end'] - o['wait_start']:.1f} s on RDS; between the request and the wait it "
          f"spent {o['wait_start'] - o['rds_requested']:.1f} s on other work, {o['wait_start'] - o['hosts_start']:.1f} s "
          f"of it configuring the web hosts (supervisor, nginx, app packages, code, virtualenv) - time an RDS instance "
          f"being created on AWS (typically 5-10 minutes) overlaps. The emulator reports the instance available at once.")


if __name__ == "__main__":
    main()
