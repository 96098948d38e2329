#!/usr/bin/env bash
# Usage: scripts/venv-env.sh VENV_ACTIVATE_SCRIPT CHECKOUT
# Appends (or refreshes) a marked block to the venv's activate script that exports what the
# Makefile exports: podman's settings for this kind of machine (containers.conf), this
# checkout's ansible.cfg and collections path, plain (uncoloured) output. `deactivate` restores
# the previous values. Idempotent: the block is replaced, never appended twice.
set -euo pipefail
activate=$1
top=$2
[ -f "$activate" ] || { echo "venv-env: no $activate" >&2; exit 1; }
begin="# >>> django_aws.deploy environment >>>"
end="# <<< django_aws.deploy environment <<<"
sed -i "/^$begin\$/,/^$end\$/d" "$activate"
{
    echo "$begin"
    for pair in "CONTAINERS_CONF=$top/containers.conf" "ANSIBLE_CONFIG=$top/ansible.cfg" \
                "ANSIBLE_COLLECTIONS_PATH=$top/.collections"; do
        name=${pair%%=*}
        # Remember the value from before activation; deactivate (wrapped below) puts it back.
        echo "_DJA_OLD_$name=\${$name-__unset__}; export $name='${pair#*=}'"
    done
    cat <<'HOOK'
eval "_dja_venv_$(declare -f deactivate)"
deactivate () {
    for name in CONTAINERS_CONF ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH; do
        old="_DJA_OLD_$name"
        if [ "${!old-__unset__}" = __unset__ ]; then unset "$name"; else export "$name=${!old}"; fi
        unset "$old"
    done
    _dja_venv_deactivate "$@"
    [ "${1-}" = nondestructive ] || unset -f _dja_venv_deactivate
}
HOOK
    echo "$end"
} >> "$activate"
