# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The proper_list test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: proper_list
short_description: Is the value a real list (not a string, not a mapping)?
version_added: 0.2.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - True for a list or tuple. False for a string, which Ansible's argument validation would split on
    commas and a template would iterate character by character, and for a mapping or a number.
options:
  _input:
    description: Any value.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: A string where a list belongs is refused
  ansible.builtin.assert:
    that: django_app_allowed_hosts is django_aws.deploy.proper_list
    fail_msg: "django_app_allowed_hosts must be a list, e.g. [www.example.com]"
"""

RETURN = r"""
_value:
  description: Whether the value is a list.
  type: bool
"""

from collections.abc import Mapping, Sequence


def proper_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes)) and not isinstance(value, Mapping)


class TestModule:
    def tests(self):
        return {"proper_list": proper_list}
