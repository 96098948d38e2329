#!/usr/bin/env bash
# Set up a fresh Debian 12 machine (as root) to run the rehearsal and the tests:
# OS packages, the podman settings this machine needs, .venv from requirements.txt,
# the collection link for ansible.cfg, and the Debian 13 test host image.
# Every step is cached: a second run takes seconds.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Named one by one: --no-install-recommends leaves out what a package only recommends
# (podman's network backend netavark needs iptables, and does not pull it in).
APT_PACKAGES=(podman runc conmon netavark aardvark-dns iptables debootstrap
              postgresql openssh-client openssl ca-certificates python3-venv
              git make curl wrk shellcheck pebble)
PYTHON="${PYTHON:-python3.11}"
IMAGE="${DJANGO_AWS_TEST_IMAGE:-localhost/django-aws-debian:13}"
MIN_FREE_GB=4

die() { echo "bootstrap: error: $*" >&2; exit 1; }
step_start=0
step() { step_start=$(date +%s); printf 'bootstrap: %-34s' "$1"; }
done_step() { echo "${1:-ok} ($(( $(date +%s) - step_start ))s)"; }

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get and podman's rootful networks need it)"
command -v apt-get >/dev/null || die "this needs a Debian machine (apt-get not found)"

free_gb=$(df -Pk /var | awk 'NR==2 {print int($4/1024/1024)}')
[ "$free_gb" -ge "$MIN_FREE_GB" ] || die "only ${free_gb} GiB free on /var; need ${MIN_FREE_GB} GiB (venv ~1 GiB, images ~1 GiB)"

# 1. OS packages: install only what is missing.
step "OS packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/tmp/bootstrap-apt.log 2>&1 || { cat /tmp/bootstrap-apt.log >&2; die "apt-get update failed"; }
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/bootstrap-apt.log 2>&1 \
        || { tail -20 /tmp/bootstrap-apt.log >&2; die "cannot install OS packages: ${missing[*]} (log: /tmp/bootstrap-apt.log)"; }
    # The postgresql package starts a cluster on :5432 that nothing here uses: tests start their own.
    systemctl disable --now postgresql >/dev/null 2>&1 || true
    done_step "installed ${missing[*]}"
else
    done_step "present"
fi

# 2. podman settings: runc, and ulimits within this machine's hard limits. Kept in the
# repository and named by CONTAINERS_CONF (the Makefile exports it); system files untouched.
export CONTAINERS_CONF="$top/containers.conf"
step "podman"
podman info >/dev/null 2>/tmp/bootstrap-podman.log || { cat /tmp/bootstrap-podman.log >&2; die "podman does not work with $CONTAINERS_CONF"; }
done_step "$(podman --version | awk '{print $3}'), runtime $(podman info --format '{{.Host.OCIRuntime.Name}}')"

# 3. The controller's Python toolchain, rebuilt only when requirements.txt changes.
step "virtualenv .venv"
command -v "$PYTHON" >/dev/null || PYTHON=python3
req_hash=$(sha256sum requirements.txt | cut -c1-16)
if [ -x .venv/bin/python ] && [ "$(cat .venv/.requirements-hash 2>/dev/null)" = "$req_hash" ]; then
    done_step "up to date"
else
    rm -rf .venv
    "$PYTHON" -m venv .venv || die "cannot create a venv with $PYTHON (install python3-venv)"
    .venv/bin/pip install -q --upgrade pip >/tmp/bootstrap-pip.log 2>&1 || true
    .venv/bin/pip install -q -r requirements.txt >>/tmp/bootstrap-pip.log 2>&1 \
        || { tail -20 /tmp/bootstrap-pip.log >&2; die "pip install -r requirements.txt failed (log: /tmp/bootstrap-pip.log)"; }
    echo "$req_hash" > .venv/.requirements-hash
    done_step "$(.venv/bin/ansible --version | head -1)"
fi

# 4. ansible.cfg's collections_path finds this checkout as django_aws.deploy through a link.
step "collection link"
mkdir -p .collections/ansible_collections/django_aws
ln -sfn ../../.. .collections/ansible_collections/django_aws/deploy
done_step

# 5. `source .venv/bin/activate` gives a shell the same environment as the Makefile, so
# `molecule test -s <name>` and `ansible-playbook playbooks/site.yml` work from it as they do
# through make (podman's settings, this checkout's ansible.cfg and collections).
step "venv activation"
scripts/venv-env.sh .venv/bin/activate "$PWD"
done_step

# 6. The Debian 13 test host image (cached by the build script's own hash).
step "test host image"
echo
scripts/build-image.sh "$IMAGE" trixie | sed 's/^/    /'

# 7. What the rehearsal asks of podman, tried for real: network, systemd container, alias,
# published port. A missing piece (iptables for netavark, say) is one line with its fix.
step "podman smoke test"
smoke=$(scripts/smoke-podman.sh "$IMAGE" 2>&1) || { echo "failed"; die "${smoke##*$'\n'}"; }
done_step "$smoke"

# 8. The ACME stand-in as the rehearsal runs it: this machine's pebble inside the test image.
step "ACME stand-in (pebble)"
podman run --rm -v /usr/bin/pebble:/usr/local/bin/pebble:ro "$IMAGE" /usr/local/bin/pebble -h >/dev/null 2>&1 \
    || { echo "failed"; die "pebble does not run in $IMAGE (apt-get install pebble)"; }
done_step "runs in the test image"
echo "bootstrap: done"
