# Copyright: django_aws.deploy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hook test."""

from __future__ import annotations

DOCUMENTATION = r"""
name: hook
short_description: Is the value one deploy hook of django_app_hooks?
version_added: 0.3.0
author: django_aws.deploy maintainers (@django-aws)
description:
  - "True for a management command line (C(load_initial_data), C(clearsessions --verbosity 0)) or a
    mapping C({command: ..., once: true|false}); False for anything else (an empty command, a command
    starting with an option or with C(manage.py), a C(once) that is not a boolean, unknown keys)."
options:
  _input:
    description: One entry of a hook point's list.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Every hook entry is one
  ansible.builtin.assert:
    that: django_app_hooks.post_migrate | reject('django_aws.deploy.hook') | list | length == 0
"""

RETURN = r"""
_value:
  description: Whether the entry is a hook.
  type: bool
"""

from ansible_collections.django_aws.deploy.plugins.plugin_utils.hooks import is_hook


class TestModule:
    def tests(self):
        return {"hook": is_hook}
