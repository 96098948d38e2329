# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The django_failure filter: one line saying why a manage.py command failed."""

from __future__ import annotations

DOCUMENTATION = r"""
name: django_failure
short_description: One line saying why a manage.py command failed
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - From the registered result of a C(manage.py) command (rc, stdout, stderr), the reason in one
    line - the system check issues it reported (id and first sentence), else the last line printed
    (the exception of a traceback), at most 300 characters.
  - With O(accepted) (for C(check --deploy)), the issues whose ids are not in the list, or an empty
    string when every issue is accepted and the command succeeded.
options:
  _input:
    description: The registered result of an ansible.builtin.command task.
    type: dict
    required: true
  accepted:
    description: Check ids that are accepted (C(security.W004), ...); none when not given.
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Stop with the reason
  ansible.builtin.fail:
    msg: "manage.py check failed: {{ check_result | django_aws.deploy.django_failure }}"
  when: check_result.rc != 0
"""

RETURN = r"""
_value:
  description: The reason, one line; empty with O(accepted) when nothing is refused.
  type: str
"""

from ansible_collections.django_aws.deploy.plugins.plugin_utils.manage_output import failure


def django_failure(result, accepted=None):
    return failure(dict(result), accepted=None if accepted is None else list(accepted))


class FilterModule:
    def filters(self):
        return {"django_failure": django_failure}
