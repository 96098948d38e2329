#!/usr/bin/env bash
# Build the Debian test host image (a stand-in for an EC2 instance) from debootstrap.
# Usage: scripts/build-image.sh [IMAGE] [SUITE]
# Cached: does nothing when IMAGE already exists and this script has not changed since.
set -euo pipefail

image="${1:-localhost/django-aws-debian:13}"
suite="${2:-trixie}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# iproute2: `ss` for the tests' socket checks (EC2 images have it too).
packages="python3,systemd,systemd-sysv,sudo,openssh-server,ca-certificates,iproute2"
# Extra CA certificates the machine trusts (a TLS-intercepting proxy, say) must be trusted
# inside the image too, or pip cannot reach PyPI. Set TRUST_HOST_CAS=false to skip.
trust_host_cas="${TRUST_HOST_CAS:-true}"
script_hash=$(sha256sum "$0" | cut -c1-16)

die() { echo "build-image: $*" >&2; exit 1; }

old_id=""
if podman image exists "$image"; then
    old_id=$(podman image inspect --format '{{.Id}}' "$image")
    label=$(podman image inspect --format '{{index .Labels "django_aws.build"}}' "$image" 2>/dev/null || true)
    if [ "$label" = "$script_hash" ]; then
        echo "build-image: $image is up to date"
        exit 0
    fi
fi

command -v debootstrap >/dev/null || die "debootstrap is not installed (run: make bootstrap)"
root=$(mktemp -d /var/tmp/django-aws-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT

echo "build-image: debootstrap $suite into $root (about a minute)"
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" \
    > "$root.log" 2>&1 || { tail -20 "$root.log" >&2; die "debootstrap failed (log above)"; }
rm -f "$root.log"

# Trust the machine's extra CA certificates.
if [ "$trust_host_cas" = true ] && compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null
fi

# A container has no console to log in on, and sshd host keys must be unique per host:
# delete the keys baked in by the package, regenerate them at first boot.
rm -f "$root"/etc/ssh/ssh_host_*
mkdir -p "$root/etc/systemd/system/ssh.service.d"
cat > "$root/etc/systemd/system/ssh.service.d/hostkeys.conf" <<'CONF'
[Service]
ExecStartPre=
ExecStartPre=/usr/bin/ssh-keygen -A
ExecStartPre=/usr/sbin/sshd -t
CONF
# Units that make no sense in a container.
for unit in getty@tty1.service console-getty.service systemd-logind.service \
            systemd-firstboot.service systemd-remount-fs.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# Keep images small: no downloaded .deb files, no package lists.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
echo "container" > "$root/etc/hostname"

echo "build-image: importing as $image"
tar -C "$root" -c . | podman import \
    --change 'CMD ["/sbin/init"]' \
    --change 'STOPSIGNAL SIGRTMIN+3' \
    --change "LABEL django_aws.build=$script_hash" \
    - "$image" >/dev/null
# The replaced image, unless a container still uses it.
[ -z "$old_id" ] || podman rmi "$old_id" >/dev/null 2>&1 || true
echo "build-image: $image $(podman image inspect --format '{{.Id}}' "$image" | cut -c1-12)," \
     "$(( $(podman image inspect --format '{{.Size}}' "$image") / 1000000 )) MB"
