#!/usr/bin/env bash
# make demo: deploy the demo app with playbooks/configure.yml onto a local Debian 13
# container (nginx published on 127.0.0.1:$DEMO_PORT), then prove that it serves.
# make demo-destroy: remove the container.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

NAME=dja-demo
IMAGE="${DJANGO_AWS_TEST_IMAGE:-localhost/django-aws-debian:13}"
export DEMO_PORT="${DEMO_PORT:-8080}"
URL="http://127.0.0.1:$DEMO_PORT"

die() { echo "demo: error: $*" >&2; exit 1; }

case "${1:-up}" in
down)
    podman rm -f --time 10 "$NAME" >/dev/null 2>&1 || true
    echo "demo: removed container $NAME"
    exit 0 ;;
up) ;;
*) die "usage: $0 up|down" ;;
esac

command -v podman >/dev/null || die "podman is not installed (run: make bootstrap)"
podman image exists "$IMAGE" || die "image $IMAGE is missing (run: make bootstrap)"

if ! podman container exists "$NAME"; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$DEMO_PORT") 2>/dev/null; then
        die "port 127.0.0.1:$DEMO_PORT is taken by another program (set DEMO_PORT=...)"
    fi
    podman run -d --name "$NAME" --hostname "$NAME" --systemd=always \
        -p "127.0.0.1:$DEMO_PORT:80" "$IMAGE" /sbin/init >/dev/null
    echo "demo: started container $NAME"
elif [ "$(podman inspect -f '{{.State.Running}}' "$NAME")" != true ]; then
    podman start "$NAME" >/dev/null
fi
for _ in $(seq 1 30); do
    state=$(podman exec "$NAME" systemctl is-system-running 2>/dev/null || true)
    case $state in running|degraded) break ;; esac
    sleep 1
done

start=$SECONDS
ansible-playbook -i inventories/local playbooks/configure.yml | tee tests/output/demo.log | \
    grep -E '^(PLAY RECAP|dja-demo +:)' || true
[ "${PIPESTATUS[0]}" -eq 0 ] || die "the deploy failed (log: tests/output/demo.log)"
echo "demo: deployed in $((SECONDS - start))s"

# The proof: /healthz through nginx, then a row written through the page and read back.
.venv/bin/python - "$URL" <<'PY'
import re, sys, time, requests
url = sys.argv[1]
health = requests.get(f"{url}/healthz", timeout=10)
print(f"demo: GET {url}/healthz -> {health.status_code} {health.text}")
session = requests.Session()
page = session.get(f"{url}/", timeout=10)
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
text = f"written by make demo at {time.strftime('%H:%M:%S')}"
post = session.post(f"{url}/", data={"text": text, "csrfmiddlewaretoken": token},
                    headers={"Origin": url}, allow_redirects=False, timeout=10)
readback = text in requests.get(f"{url}/", timeout=10).text
print(f"demo: POST {url}/ -> {post.status_code}; row read back: {readback}")
sys.exit(0 if health.status_code == 200 and post.status_code == 302 and readback else 1)
PY
echo "demo: the site is up at $URL/  (admin: $URL/admin/, remove with: make demo-destroy)"
