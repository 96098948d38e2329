# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""django_app's deploy hooks (django_app_hooks): one reading of an entry, for the hook test
(validation) and the hook_commands filter (the deploy)."""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Mapping

KEYS = frozenset({"command", "once"})


def parse_hook(entry):
    """{'argv': [...], 'once': bool, 'key': str} for a command line or {command, once}; a
    ValueError saying what is wrong otherwise."""
    if isinstance(entry, Mapping):
        unknown = set(entry) - KEYS
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)} (command, once)")
        command, once = entry.get("command"), entry.get("once", False)
        if not isinstance(once, bool):
            raise ValueError("once must be true or false")
    else:
        command, once = entry, False
    if not isinstance(command, str):
        raise ValueError("the command must be a string")
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ValueError(f"the command does not parse: {exc}") from None
    # A management command's name first: "manage.py" or an option there would be a mistake.
    if not argv or argv[0].startswith("-") or argv[0] in ("manage.py", "python", "./manage.py"):
        raise ValueError("the command must start with a management command's name, e.g. load_initial_data")
    # The record of a `once` hook is named by its command line, normalised.
    key = hashlib.sha256(shlex.join(argv).encode()).hexdigest()[:16]
    return {"argv": argv, "once": once, "key": key, "command": shlex.join(argv)}


def is_hook(entry):
    try:
        parse_hook(entry)
    except ValueError:
        return False
    return True
