#!/usr/bin/env bash
# make demo: the rehearsal - playbooks/site.yml on the AWS emulator with containers standing in
# for the EC2 and RDS instances (inventories/rehearsal) - then the proof that the site serves.
# make demo-destroy: playbooks/teardown.yml on the same inventory (AWS resources of the stack,
# then the containers, the network and the emulator's state).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

STACK=demo
export DEMO_PORT="${DEMO_PORT:-8080}" DEMO_HTTPS_PORT="${DEMO_HTTPS_PORT:-8443}"
# The site by its domain (inventories/rehearsal: <stack>.rehearsal.test) on the published HTTPS
# port, its certificate from the ACME stand-in, verified against the roots it issued under.
DOMAIN=$STACK.rehearsal.test
URL="https://$DOMAIN:$DEMO_HTTPS_PORT"
ROOTS="$HOME/.local/state/django_aws/$STACK/acme/roots.pem"
INVENTORY=inventories/rehearsal
mkdir -p tests/output

die() { echo "demo: error: $*" >&2; exit 1; }

# Runs a playbook, keeps its whole log, shows the recap (or the failure) and the time.
run_playbook() {
    local log=$1; shift
    local start=$SECONDS status=0
    ansible-playbook -i "$INVENTORY" "$@" >"$log" 2>&1 || status=$?
    grep -E '^[a-z0-9.-]+ +: ok=' "$log" | sed 's/^/demo:   /' || true
    if [ "$status" -ne 0 ]; then
        grep -E '^(fatal|failed):|"msg":|msg:' "$log" | tail -3 | sed 's/^/demo:   /' >&2 || true
        die "$1 failed after $((SECONDS - start))s (log: $log)"
    fi
    echo "demo: $1 took $((SECONDS - start))s"
}

case "${1:-up}" in
down)
    command -v podman >/dev/null || die "podman is not installed (run: make bootstrap)"
    run_playbook tests/output/demo-destroy.log playbooks/teardown.yml \
        -e django_aws_teardown_confirm=$STACK -e django_aws_lift_deletion_protection=true \
        -e django_aws_skip_final_snapshot=true
    echo "demo: stack $STACK removed (emulated resources, containers, network, emulator state)"
    exit 0 ;;
up) ;;
*) die "usage: $0 up|down" ;;
esac

run_playbook tests/output/demo.log playbooks/site.yml

# The proof over HTTPS: /healthz through nginx, then a row written through the page and read back.
PYTHONPATH=tests/lib .venv/bin/python - "$URL" "$DOMAIN" "$ROOTS" <<'PY'
import sys, siteprobe
url, domain, roots = sys.argv[1:]
try:
    with siteprobe.served_as(domain, roots):
        health = siteprobe.health(url)
        print(f"demo: GET {url}/healthz -> {health.status_code} {health.text}")
        text = siteprobe.row_round_trip(url, "written by make demo at")
        print(f"demo: POST {url}/ -> 302; row read back: {text!r}")
except (AssertionError, OSError) as error:
    sys.exit(f"demo: the site does not work: {error}")
PY
echo "demo: the site is up at $URL/ (admin: $URL/admin/; remove everything with: make demo-destroy)"
echo "demo: its name leads to 127.0.0.1 and its certificate to the ACME stand-in's roots:"
echo "demo:   curl --resolve $DOMAIN:$DEMO_HTTPS_PORT:127.0.0.1 --cacert $ROOTS $URL/healthz"
echo "demo:   (a browser: '127.0.0.1 $DOMAIN' in /etc/hosts, and trust $ROOTS, or accept the warning)"
