#!/usr/bin/env bash
# The galaxy path: build the collection tarball, install it offline (its dependencies resolve
# from the collections bundled with the ansible package), and use it from that install only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
ansible-galaxy collection build --force --output-path "$out/dist" . >/dev/null
tarball=$(ls "$out"/dist/django_aws-deploy-*.tar.gz)
echo "built $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB, $(tar -tzf "$tarball" | wc -l) files)"
if tar -tzf "$tarball" | grep -E '(^|/)(\.venv|\.collections|build|tests/output|__pycache__)/' ; then
    echo "galaxy_check: development files in the tarball (see build_ignore)" >&2
    exit 1
fi
# Only the installed copy (and the venv's bundled collections) may be found from here on:
# not the checkout's .collections link.
cd "$out"
printf "[defaults]\n" > "$out/ansible.cfg"
export ANSIBLE_COLLECTIONS_PATH="$out/collections" ANSIBLE_CONFIG="$out/ansible.cfg"
ansible-galaxy collection install --offline -p "$out/collections" "$tarball" >/dev/null
installed="$out/collections/ansible_collections/django_aws/deploy"
test -f "$installed/MANIFEST.json"
for module in rds_endpoint_info rds_parameters_info ec2_ami_latest_info; do
    ansible-doc "django_aws.deploy.$module" | grep -q "$installed" \
        || { echo "galaxy_check: ansible-doc $module did not use the installed copy" >&2; exit 1; }
done
ansible-doc -t filter django_aws.deploy.database_url >/dev/null
ansible-doc -t filter django_aws.deploy.django_failure >/dev/null
ansible-doc -t filter django_aws.deploy.tagged >/dev/null
for filter in hook_commands path_parents tar_excludes; do
    ansible-doc -t filter "django_aws.deploy.$filter" >/dev/null
done
ansible-doc -t test django_aws.deploy.hook >/dev/null
ansible-doc -t lookup django_aws.deploy.generated_secret >/dev/null
playbooks=(site configure provision teardown rollback maintenance connect)
for playbook in "${playbooks[@]}"; do
    # (warnings about the rehearsal's host groups, empty in this inventory, are expected)
    if ! output=$(ansible-playbook --syntax-check -i localhost, "django_aws.deploy.$playbook" 2>&1); then
        echo "$output" >&2
        exit 1
    fi
done
echo "installed offline; modules and plugins documented; playbooks ${playbooks[*]} pass --syntax-check"
