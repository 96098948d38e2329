#!/usr/bin/env bash
# ansible-test sanity, offline. ansible-test needs the collection inside an
# ansible_collections/<namespace>/<name> tree that also holds its dependencies, and
# downloads a pip bootstrap script from a host this machine cannot reach: both are arranged
# here (see README "Tests", the sanity stage).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tree="$top/build/sanity/ansible_collections"
dest="$tree/django_aws/deploy"
site=$(.venv/bin/python -c 'import ansible_collections, os; print(os.path.dirname(ansible_collections.__file__))' 2>/dev/null \
       || .venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"] + "/ansible_collections")')

# 1. A copy of the collection as git sees it (tracked and untracked-not-ignored files).
rm -rf "$dest"
mkdir -p "$dest"
# A file git lists but the tree lacks (deleted, not yet committed) is skipped; any other copy
# failure fails the stage, so sanity never runs on a partial tree.
git ls-files -z --cached --others --exclude-standard | grep -zv '^examples/demo_app/' \
    | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
    | xargs -0 cp --parents -t "$dest"
# ansible-test runs on the files git knows about: make the copy a repository of its own.
( cd "$dest" && git init -q && git add -A && git -c user.email=ci@localhost -c user.name=ci commit -qm sanity )

# 2. The dependencies beside it, so doc fragments and module_utils imports resolve.
for dep in amazon/aws community/aws community/postgresql ansible/posix community/general; do
    mkdir -p "$tree/$(dirname "$dep")"
    ln -sfn "$site/$dep" "$tree/$dep"
done

# 3. ansible-test fetches get-pip.py for its sanity venvs; a stand-in uses ensurepip + PyPI.
pip_version=$(.venv/bin/python - <<'PY'
import re, ansible_test._internal.python_requirements as r
import inspect
print(re.search(r"pip='([0-9.]+)'", inspect.getsource(r.get_venv_packages)).group(1).replace(".", "_"))
PY
)
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
cat > "$cache/get_pip_${pip_version}.py" <<'PY'
"""Offline stand-in for get-pip.py: bootstrap pip with ensurepip, then install from PyPI."""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.run([sys.executable, "-m", "ensurepip", "--default-pip"], check=True)
subprocess.run([sys.executable, "-m", "pip", "install", *args], check=True)
PY

cd "$dest"
# All 24 sanity tests run (README "Tests", the sanity stage).
exec ../../../../../.venv/bin/ansible-test sanity --python 3.11 --local --color no "$@"
