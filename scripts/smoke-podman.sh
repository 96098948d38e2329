#!/usr/bin/env bash
# Smoke test of what the rehearsal and the molecule scenarios ask of podman, run by bootstrap
# after the image is built. Usage: scripts/smoke-podman.sh [IMAGE]
#   1. create a podman network (netavark: needs iptables),
#   2. run the test image on it with systemd as PID 1, a network alias and a port published
#      on 127.0.0.1 (runc, conmon, the ulimits in containers.conf),
#   3. resolve the alias from a second container (aardvark-dns),
#   4. read sshd's banner through the published port from this machine,
#   5. remove all of it.
# Any failure ends with one line naming the missing piece and the fix; exit status 1.
set -euo pipefail

image="${1:-localhost/django-aws-debian:13}"
tag="djaws-smoke-$$"
net="$tag-net"
alias_name="smoke-alias.example.internal"

cleanup() {
    podman rm -f -t 0 "$tag-a" "$tag-b" >/dev/null 2>&1 || true
    podman network rm -f "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# One line: what failed, the fix, and the first line of podman's own error.
fail() {
    local what=$1 fix=$2 log=$3
    echo "smoke: $what failed: $fix (podman said: $(grep -m1 -v '^$' "$log" 2>/dev/null | cut -c1-160))" >&2
    exit 1
}

log=$(mktemp)
trap 'cleanup; rm -f "$log"' EXIT

command -v podman >/dev/null || { echo "smoke: podman is not installed: apt-get install podman" >&2; exit 1; }

# 1. A network of our own.
if ! podman network create "$net" >/dev/null 2>"$log"; then
    fail "creating a podman network" "install podman's network backend (apt-get install netavark aardvark-dns iptables)" "$log"
fi

# 2. The test image with systemd, on that network, with an alias and a published port.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if ! podman run -d --name "$tag-a" --network "$net" --network-alias "$alias_name" \
        -p "127.0.0.1:$port:22" --systemd=always "$image" /sbin/init >/dev/null 2>"$log"; then
    if grep -qi 'netavark\|iptables' "$log"; then
        fail "starting a container on the network" "netavark needs iptables (apt-get install iptables)" "$log"
    elif grep -qi 'runc\|runtime' "$log"; then
        fail "starting a container" "the OCI runtime runc is missing (apt-get install runc; CONTAINERS_CONF=$PWD/containers.conf)" "$log"
    elif grep -qi 'conmon' "$log"; then
        fail "starting a container" "conmon is missing (apt-get install conmon)" "$log"
    elif grep -qi 'rlimit\|ulimit' "$log"; then
        fail "starting a container" "podman's default ulimits exceed this machine's (export CONTAINERS_CONF=$PWD/containers.conf)" "$log"
    elif grep -qi 'image not known\|no such image' "$log"; then
        fail "starting a container" "the image $image is missing (scripts/build-image.sh)" "$log"
    fi
    fail "starting a container" "see podman's error" "$log"
fi

# systemd reaches running (or degraded: a unit a container cannot start) within 30 s.
state=""
for _ in $(seq 60); do
    state=$(podman exec "$tag-a" systemctl is-system-running 2>/dev/null || true)
    case "$state" in running|degraded) break ;; esac
    sleep 0.5
done
case "$state" in
    running|degraded) ;;
    *) echo "smoke: systemd in the test image did not come up within 30 s (state '$state'; podman logs $tag-a)" >&2; exit 1 ;;
esac

# 3. The alias resolves from a second container on the network (aardvark-dns).
if ! podman run --rm --name "$tag-b" --network "$net" "$image" getent hosts "$alias_name" >"$log" 2>&1; then
    fail "resolving a network alias from another container" "podman's DNS is missing (apt-get install aardvark-dns)" "$log"
fi

# 4. The published port answers on 127.0.0.1 with sshd's banner (sshd starts with systemd).
if ! python3 - "$port" <<'PY' >"$log" 2>&1; then
import socket, sys, time
deadline = time.monotonic() + 20
while True:
    try:
        with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3) as conn:
            conn.settimeout(3)
            banner = conn.recv(64)
            if banner.startswith(b"SSH-"):
                sys.exit(0)
    except OSError as error:
        last = error
    if time.monotonic() > deadline:
        sys.exit(f"no SSH banner on 127.0.0.1:{sys.argv[1]} within 20 s")
    time.sleep(0.5)
PY
    fail "reaching a port published on 127.0.0.1" "podman's port forwarding (netavark + iptables) does not work" "$log"
fi

echo "network, systemd container, alias $alias_name resolved, 127.0.0.1:$port published"
