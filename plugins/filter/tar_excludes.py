# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tar_excludes filter: django_app_source_excludes as GNU tar options."""

from __future__ import annotations

DOCUMENTATION = r"""
name: tar_excludes
short_description: Source exclude patterns as GNU tar options, ./ patterns anchored at the top
version_added: 0.3.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - For a directory packed with C(tar -C DIR ... .). A pattern starting with C(./) names a path from
    the top (C(./media) leaves out the project's media directory, not C(app/fixtures/media)); any other
    pattern (C(__pycache__), C(*.pyc)) matches a name anywhere, as tar's default does.
options:
  _input:
    description: The patterns.
    type: list
    elements: str
    required: true
"""

EXAMPLES = r"""
- name: Pack the project
  ansible.builtin.command:
    argv: "{{ ['tar'] + (['./media', '__pycache__'] | django_aws.deploy.tar_excludes) + ['-C', src, '-czf', out, '.'] }}"
  changed_when: false
"""

RETURN = r"""
_value:
  description: tar options, for example V(['--anchored', '--exclude=./media', '--no-anchored', '--exclude=__pycache__']).
  type: list
  elements: str
"""

from ansible.errors import AnsibleFilterError


def tar_excludes(patterns):
    options = []
    for pattern in patterns:
        if not isinstance(pattern, str) or not pattern.strip("./"):
            raise AnsibleFilterError(f"tar_excludes: {pattern!r} is not a pattern")
        if pattern.startswith("./"):
            # --anchored applies to the --exclude options after it: switched back for the next.
            options += ["--anchored", f"--exclude={pattern.rstrip('/')}", "--no-anchored"]
        else:
            options.append(f"--exclude={pattern.rstrip('/')}")
    return options


class FilterModule:
    def filters(self):
        return {"tar_excludes": tar_excludes}
